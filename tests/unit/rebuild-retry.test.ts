// The rebuild service's retries and its real HTTP side: a failed publish is retried with backoff, each attempt
// visible in /status, until it succeeds; a new event supersedes a planned retry. On Vitest's fake clock (timers
// and Date only: the sockets run as ever), so each backoff is checked to the millisecond, and "no retry" means
// none in minutes of fake time rather than none during a sleep. The publisher here fails on demand (the
// integration tests fail real builds: CMS down, a full disk).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listen } from '../../scripts/common/http.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import { ContentFailure, type Publisher } from '../../scripts/rebuild/publishers.ts';
import { RebuildService } from '../../scripts/rebuild/service.ts';
import type { WebhookEvent } from '../../scripts/rebuild/webhook-event.ts';
import { freePort } from '../../scripts/stack/ports.ts';

const TOKEN = 'a-webhook-token-for-retries';
const services: RebuildService[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 0 });
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
  vi.useRealTimers();
});

/** How long the flaky publisher's build takes, in fake time. */
const BUILD_MS = 20;

/** A publisher that fails while `failing` is true, recording when each call came and with what. */
function flakyPublisher() {
  const calls: Array<{ at: number; events: string[] }> = [];
  const state = { failing: true };
  const publisher: Publisher = {
    mode: 'local',
    async publish(_id: string, events: WebhookEvent[]) {
      calls.push({ at: Date.now(), events: events.map((event) => event.event) });
      await sleep(BUILD_MS);
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

/** Moves the fake clock on, 10 ms at a time, until `check` holds; fails naming `what` after `limitMs` of fake time. */
async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, limitMs = 10_000): Promise<T> {
  for (let waited = 0; ; waited += 10) {
    const value = await check();
    if (value) return value;
    if (waited >= limitMs) throw new Error(`waited ${limitMs} ms (fake time) for ${what}; it never came`);
    await vi.advanceTimersByTimeAsync(10);
  }
}

describe('rebuild retries', () => {
  it('retries a failed build with doubling backoff (capped) until it succeeds, each attempt in /status', async () => {
    const { publisher, calls, state } = flakyPublisher();
    const { service, status, hook } = await start(publisher);
    expect((await hook()).status).toBe(202);

    await until('the first build', () => calls.length >= 1);
    const first = await until('the first build to fail with a retry planned', async () => {
      const s = await status();
      return s.builds[0]?.result === 'failed' && s.retry ? s : undefined;
    });
    expect(first.builds[0]).toMatchObject({ attempt: 1, error: 'Cannot reach the CMS at http://127.0.0.1:9' });
    expect(first.builds[0]!.nextRetryAt).toBe(first.retry!.at);
    expect(first.retry!.attempt).toBe(2);
    // Planned 150 ms after the failure, which came when the 20 ms build ended.
    expect(Date.parse(first.retry!.at)).toBe(calls[0]!.at + BUILD_MS + 150);

    await until('a fourth attempt', () => calls.length >= 4);
    state.failing = false;
    await until('a build that succeeds', async () => (await status()).builds[0]?.result === 'succeeded');
    const after = await status();
    const attempts = [...after.builds].reverse();
    expect(attempts.map((build) => build.attempt)).toEqual(attempts.map((_, i) => i + 1));
    expect(attempts.slice(0, -1).every((build) => build.result === 'failed' && build.nextRetryAt !== null)).toBe(true);
    expect(after.retry).toBeNull();
    expect(after.live?.id).toBe(after.builds[0]!.id);
    // Every retry builds for the same publish.
    expect(calls.every((call) => call.events.join() === 'entry.publish')).toBe(true);
    // Waits from each failure to the next attempt: 150, 300, then capped at 400 ms; each attempt starts on the
    // build queue's 0 ms timer, which Node (and the fake clock) fires 1 ms on.
    // The fourth attempt was running when the CMS came back, so it succeeded: three waits, the third capped.
    const gaps = calls.slice(1).map((call, i) => call.at - calls[i]!.at - BUILD_MS);
    expect(gaps).toEqual([151, 301, 401]);
    await service.idle();
  });

  it('lets a new event supersede the planned retry: the next build is attempt 1, at once', async () => {
    const { publisher, calls, state } = flakyPublisher();
    const { status, hook, log } = await start(publisher, { baseMs: 60_000, maxMs: 60_000, maxAttempts: null });
    await hook();
    await until('a planned retry', async () => (await status()).retry !== null);
    state.failing = false;
    await hook();
    const sent = Date.now();
    const done = await until('a build that succeeds', async () => {
      const s = await status();
      return s.builds[0]?.result === 'succeeded' ? s : undefined;
    });
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - sent).toBeLessThanOrEqual(1); // at once, not at the retry's minute
    expect(done.builds.map((build) => [build.result, build.attempt])).toEqual([
      ['succeeded', 1],
      ['failed', 1],
    ]);
    expect(done.retry).toBeNull();
    expect(log.join('\n')).toMatch(/supersedes the retry planned for/);
    // The superseded retry's timer is gone: its minute passes, twice over, and nothing else builds.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(2);
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
    const failed = await until('the failed build', async () => {
      const s = await status();
      return s.builds[0]?.result === 'failed' && !s.building ? s : undefined;
    });
    expect(failed.builds[0]).toMatchObject({ attempt: 1, nextRetryAt: null, error: expect.stringContaining('404 Not Found') });
    expect(failed.retry).toBeNull();
    expect(log.join('\n')).toMatch(/not retrying: the content must change first/);
    // No retry is planned at all (retry: null above: no timer); nothing else runs until the next publish, however
    // long it takes: ten times the longest backoff passes without a build.
    await service.idle();
    await vi.advanceTimersByTimeAsync(4_000);
    expect(calls).toHaveLength(1);

    broken = false;
    await hook();
    const sent = Date.now();
    await until('a build that succeeds', async () => (await status()).builds[0]?.result === 'succeeded');
    expect(calls).toHaveLength(2);
    expect(calls[1]! - sent).toBeLessThanOrEqual(1);
  });

  it('plans no retry after close(), and none at all with retry: null', async () => {
    const { publisher, calls } = flakyPublisher();
    const { service, hook } = await start(publisher);
    await hook();
    await until('the first build', () => calls.length === 1);
    await service.close();
    const closed = service.idle();
    await vi.advanceTimersByTimeAsync(BUILD_MS);
    await closed;
    expect(service.status().retry).toBeNull();
    // Ten times the longest backoff (400 ms) passes without another attempt.
    await vi.advanceTimersByTimeAsync(4_000);
    expect(calls).toHaveLength(1);

    const other = flakyPublisher();
    const none = new RebuildService({ token: TOKEN, publisher: other.publisher, quietMs: 0, maxWaitMs: 0, retry: null, log: () => {} });
    services.push(none);
    none.trigger('start');
    await until('the build to fail', () => none.history[0]?.result === 'failed');
    await none.idle();
    expect(none.status().retry).toBeNull();
    expect(none.history[0]).toMatchObject({ result: 'failed', nextRetryAt: null });
    await vi.advanceTimersByTimeAsync(4_000);
    expect(other.calls).toHaveLength(1);
  });
});
