// The rebuild service asks its publisher which events start a build at once (scripts/rebuild/build-queue.ts,
// startsAtOnce): an article's incremental publish that finds the service idle does not wait out the quiet window;
// anything else does. Real HTTP, on Vitest's fake clock (timers and Date only: the sockets run as ever), so "at
// once" is 0 ms and "waits out the window" is exactly the window, with nothing started a millisecond before it,
// whatever the machine's load. The publisher records when it was called (the real one is exercised in
// tests/integration/publish-live.suite.ts, whose publish is incremental from Strapi's own webhook).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UID } from '@agency/shared';
import { listen } from '../../scripts/common/http.ts';
import { incrementalScope, type Publisher } from '../../scripts/rebuild/publishers.ts';
import { RebuildService } from '../../scripts/rebuild/service.ts';
import { freePort } from '../../scripts/stack/ports.ts';

const TOKEN = 'a-webhook-token-for-this-test';
const QUIET_MS = 400;
const services: RebuildService[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 0 });
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
  vi.useRealTimers();
});

/** Advances the fake clock by `ms`, running every timer due meanwhile and the promises they settle. */
const pass = (ms: number) => vi.advanceTimersByTimeAsync(ms);

async function start() {
  const calls: Array<{ at: number; events: number }> = [];
  const publisher: Publisher = {
    mode: 'local',
    // As the local publisher decides it: events an incremental publish can take.
    startsAtOnce: (event) => incrementalScope([event]) !== null,
    async publish(_id, events) {
      calls.push({ at: Date.now(), events: events.length });
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
    return Date.now();
  };
  return { service, calls, send };
}

describe('builds that start at once', () => {
  it("starts an article's publish at once when idle, and waits out the quiet window for anything else", async () => {
    const { service, calls, send } = await start();
    const sent = await send('entry.publish', UID.article, 'doc-1');
    await pass(1); // the build's 0 ms timer: the caller finishes its turn first
    expect(calls).toEqual([{ at: sent, events: 1 }]);
    await service.idle();

    const global = await send('entry.publish', UID.global, null);
    await pass(QUIET_MS - 1);
    expect(calls).toHaveLength(1); // a millisecond before its window is over, it has not started
    await pass(1);
    expect(calls).toEqual([expect.anything(), { at: global + QUIET_MS, events: 1 }]);
    await service.idle();

    // A payload without its entry cannot be made incrementally: it waits too.
    const blind = await send('entry.publish', UID.article, null);
    await pass(QUIET_MS - 1);
    expect(calls).toHaveLength(2);
    await pass(1);
    expect(calls[2]).toEqual({ at: blind + QUIET_MS, events: 1 });
    await service.idle();
  });
});
