// The rebuild service's retries with real timers and its real HTTP side: a failed publish is retried with
// backoff, each attempt visible in /status, until it succeeds; a new event supersedes a planned retry. The
// publisher here fails on demand (the integration tests fail real builds: CMS down, a full disk).
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../../scripts/common/http.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import { ContentFailure, type Publisher } from '../../scripts/rebuild/publishers.ts';
import { RebuildService } from '../../scripts/rebuild/service.ts';
import type { WebhookEvent } from '../../scripts/rebuild/webhook-event.ts';
import { freePort } from '../../scripts/stack/ports.ts';

const TOKEN = 'a-webhook-token-for-retries';
const services: RebuildService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
});

/** A publisher that fails while `failing` is true, recording when each call came and with what. */
function flakyPublisher() {
  const calls: Array<{ at: number; events: string[] }> = [];
  const state = { failing: true };
  const publisher: Publisher = {
    mode: 'local',
    async publish(_id: string, events: WebhookEvent[]) {
      calls.push({ at: Date.now(), events: events.map((event) => event.event) });
      await sleep(20);
      if (state.failing) throw new Error('Cannot reach the CMS at http://127.0.0.1:9');
      return { detail: 'live' };
    },
  };
  return { publisher, calls, state };
}

async function start(publisher: Publisher, retry = { baseMs: 150, maxMs: 400, maxAttempts: null as number | null }) {
  const log: string[] = [];
  const service = new RebuildService({ token: TOKEN, publisher, quietMs: 0, maxWaitMs: 0, retry, log: (line) => log.push(line) });
  services.push(service);
  const port = await freePort();
  await listen(service.server, port);
  const url = `http://127.0.0.1:${port}`;
  const status = async () => (await fetch(`${url}/status`)).json() as Promise<ReturnType<RebuildService['status']>>;
  const hook = () =>
    fetch(`${url}/hooks/strapi`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'entry.publish', model: 'article', uid: 'api::article.article', entry: null }),
    });
  return { service, status, hook, log };
}

async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

describe('rebuild retries', () => {
  it('retries a failed build with doubling backoff (capped) until it succeeds, each attempt in /status', async () => {
    const { publisher, calls, state } = flakyPublisher();
    const { service, status, hook } = await start(publisher);
    expect((await hook()).status).toBe(202);

    await until(() => calls.length >= 1);
    const first = await until(async () => {
      const s = await status();
      return s.builds[0]?.result === 'failed' && s.retry ? s : undefined;
    });
    expect(first.builds[0]).toMatchObject({ attempt: 1, error: 'Cannot reach the CMS at http://127.0.0.1:9' });
    expect(first.builds[0]!.nextRetryAt).toBe(first.retry!.at);
    expect(first.retry!.attempt).toBe(2);

    await until(() => calls.length >= 4, 5000);
    state.failing = false;
    await until(async () => (await status()).builds[0]?.result === 'succeeded', 5000);
    const after = await status();
    const attempts = [...after.builds].reverse();
    expect(attempts.map((build) => build.attempt)).toEqual(attempts.map((_, i) => i + 1));
    expect(attempts.slice(0, -1).every((build) => build.result === 'failed' && build.nextRetryAt !== null)).toBe(true);
    expect(after.retry).toBeNull();
    expect(after.live?.id).toBe(after.builds[0]!.id);
    // Every retry builds for the same publish.
    expect(calls.every((call) => call.events.join() === 'entry.publish')).toBe(true);
    // Waits: 150, 300, then capped at 400 ms (timers fire a little late, never early).
    const gaps = calls.slice(1).map((call, i) => call.at - calls[i]!.at - 20);
    expect(gaps[0]).toBeGreaterThanOrEqual(140);
    expect(gaps[1]).toBeGreaterThanOrEqual(290);
    expect(gaps[2]).toBeGreaterThanOrEqual(390);
    expect(Math.max(...gaps)).toBeLessThan(700);
    await service.idle();
  });

  it('lets a new event supersede the planned retry: the next build is attempt 1, at once', async () => {
    const { publisher, calls, state } = flakyPublisher();
    const { status, hook, log } = await start(publisher, { baseMs: 60_000, maxMs: 60_000, maxAttempts: null });
    await hook();
    await until(async () => (await status()).retry !== null);
    state.failing = false;
    await hook();
    const done = await until(async () => {
      const s = await status();
      return s.builds[0]?.result === 'succeeded' ? s : undefined;
    });
    expect(calls).toHaveLength(2);
    expect(done.builds.map((build) => [build.result, build.attempt])).toEqual([
      ['succeeded', 1],
      ['failed', 1],
    ]);
    expect(done.retry).toBeNull();
    expect(log.join('\n')).toMatch(/supersedes the retry planned for/);
  });

  it('does not retry a failure of the content: it waits for the next publish, which builds at once', async () => {
    const calls: number[] = [];
    let broken = true;
    const publisher: Publisher = {
      mode: 'local',
      async publish() {
        calls.push(Date.now());
        if (broken)
          throw new ContentFailure('"Sales vs marketing", body, image /uploads/gone.jpg: 404 Not Found. The file may have been deleted…');
        return { detail: 'live' };
      },
    };
    const { service, status, hook, log } = await start(publisher);
    await hook();
    const failed = await until(async () => {
      const s = await status();
      return s.builds[0]?.result === 'failed' && !s.building ? s : undefined;
    });
    expect(failed.builds[0]).toMatchObject({ attempt: 1, nextRetryAt: null, error: expect.stringContaining('404 Not Found') });
    expect(failed.retry).toBeNull();
    expect(log.join('\n')).toMatch(/not retrying: the content must change first/);
    // No retry is planned at all (retry: null above: no timer); nothing else runs until the next publish.
    await service.idle();
    expect(calls).toHaveLength(1);

    broken = false;
    await hook();
    await until(async () => (await status()).builds[0]?.result === 'succeeded');
    expect(calls).toHaveLength(2);
  });

  it('plans no retry after close(), and none at all with retry: null', async () => {
    const { publisher, calls } = flakyPublisher();
    const { service, hook } = await start(publisher);
    await hook();
    await until(() => calls.length === 1);
    await service.close();
    await service.idle();
    expect(service.status().retry).toBeNull();
    await sleep(400);
    expect(calls).toHaveLength(1);

    const other = flakyPublisher();
    const none = new RebuildService({ token: TOKEN, publisher: other.publisher, quietMs: 0, maxWaitMs: 0, retry: null, log: () => {} });
    services.push(none);
    none.trigger('start');
    await sleep(50);
    await none.idle();
    expect(none.status().retry).toBeNull();
    expect(none.history[0]).toMatchObject({ result: 'failed', nextRetryAt: null });
  });
});
