// The rebuild service asks its publisher which events start a build at once (scripts/rebuild/build-queue.ts,
// startsAtOnce): an article's incremental publish that finds the service idle does not wait out the quiet window;
// anything else does. Real HTTP and real timers, with a quiet window long enough that the two cannot be confused;
// the publisher records when it was called (the real one is exercised in tests/integration/rebuild.test.ts,
// whose publish is incremental from Strapi's own webhook).
import { afterEach, describe, expect, it } from 'vitest';
import { UID } from '@agency/shared';
import { listen } from '../../scripts/common/http.ts';
import { incrementalScope, type Publisher } from '../../scripts/rebuild/publishers.ts';
import { RebuildService } from '../../scripts/rebuild/service.ts';
import { freePort } from '../../scripts/stack/ports.ts';

const TOKEN = 'a-webhook-token-for-this-test';
const QUIET_MS = 1_500;
const services: RebuildService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
});

async function start() {
  const calls: Array<{ at: number; events: number }> = [];
  const publisher: Publisher = {
    mode: 'local',
    // As the local publisher decides it: events an incremental publish can take.
    startsAtOnce: (event) => incrementalScope([event]) !== null,
    async publish(_id, events) {
      calls.push({ at: performance.now(), events: events.length });
      return { detail: 'live' };
    },
  };
  const service = new RebuildService({ token: TOKEN, publisher, quietMs: QUIET_MS, maxWaitMs: 5_000, log: () => {} });
  services.push(service);
  const port = await freePort();
  await listen(service.server, port);
  const send = async (event: string, uid: string, documentId: string | null) => {
    const response = await fetch(`http://127.0.0.1:${port}/hooks/strapi`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event, uid, model: uid.split('.').pop(), entry: documentId ? { documentId } : null }),
    });
    expect(response.status).toBe(202);
    return performance.now();
  };
  return { service, calls, send };
}

describe('builds that start at once', () => {
  it("starts an article's publish at once when idle, and waits out the quiet window for anything else", async () => {
    const { service, calls, send } = await start();
    const sent = await send('entry.publish', UID.article, 'doc-1');
    await service.idle();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.at - sent).toBeLessThan(QUIET_MS / 2);

    const global = await send('entry.publish', UID.global, null);
    await service.idle();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - global).toBeGreaterThanOrEqual(QUIET_MS - 50);

    // A payload without its entry cannot be made incrementally: it waits too.
    const blind = await send('entry.publish', UID.article, null);
    await service.idle();
    expect(calls[2]!.at - blind).toBeGreaterThanOrEqual(QUIET_MS - 50);
  });
});
