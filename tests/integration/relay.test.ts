// The rebuild service in relay mode (REBUILD_MODE=github), as a real process (scripts/rebuild/rebuild-service.ts),
// relaying Strapi's webhook to a local fake of GitHub's repository_dispatch API. No Strapi needed: the
// webhook calls are sent exactly as Strapi sends them ({event, createdAt, model, uid, entry}, X-Strapi-Event).
// @test-lane: own
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startChild, type Child } from '../../scripts/common/children.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import { DISPATCH_EVENT_TYPE } from '../../scripts/rebuild/publishers.ts';
import type { BuildRecord } from '../../scripts/rebuild/service.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { FakeGithub, type RecordedRequest } from '../support/fake-github.ts';

const SCRIPT = path.join(ROOT, 'scripts', 'rebuild', 'rebuild-service.ts');
const WEBHOOK_TOKEN = `wh-${randomBytes(24).toString('base64url')}`;
const GITHUB_TOKEN = `github_pat_${randomBytes(30).toString('hex')}`;

type Status = {
  mode: string;
  building: boolean;
  queued: string[];
  retry: { attempt: number; at: string } | null;
  live: { id: string } | null;
  builds: BuildRecord[];
};

/** The process environment for a child: only what it needs, so a GITHUB_TOKEN in the test's own env can't leak in. */
function baseEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test' };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

/**
 * A running relay. `start`: its dispatch at start (source "start"), as the fake received it, and its record; the
 * fake's log is cleared after it, and status() leaves its record out, so each test sees only what its webhooks do.
 */
type Running = { child: Child; url: string; lines: string[]; start: { record: BuildRecord; dispatch: RecordedRequest | null } };
const running: Running[] = [];

/** Runs scripts/rebuild/rebuild-service.ts and waits for its startup line. */
async function startService(fake: FakeGithub, env: Record<string, string | undefined> = {}): Promise<Running> {
  const port = await freePort();
  const lines: string[] = [];
  const child = startChild('rebuild-service', process.execPath, [SCRIPT], {
    cwd: ROOT,
    env: baseEnv({
      REBUILD_MODE: 'github',
      REBUILD_PORT: String(port),
      WEBHOOK_TOKEN,
      GITHUB_TOKEN,
      GITHUB_REPOSITORY: fake.repository,
      GITHUB_API_URL: fake.url,
      REBUILD_QUIET_MS: '150',
      REBUILD_MAX_WAIT_MS: '1000',
      REBUILD_RETRY_BASE_MS: '400',
      ...env,
    }),
    onLine: (line) => lines.push(line),
  });
  const url = `http://127.0.0.1:${port}`;
  running.push({ child, url, lines, start: { record: null as unknown as BuildRecord, dispatch: null } });
  const service = running.at(-1)!;
  const deadline = Date.now() + 20_000;
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (!lines.some((line) => /^\[rebuild\] github mode on /.test(line))) {
    if (exited) throw new Error(`the rebuild service exited at start:\n${child.tail()}`);
    if (Date.now() > deadline) throw new Error(`the rebuild service did not start in 20 s:\n${child.tail()}`);
    await sleep(25);
  }
  // The dispatch at start: wait for its outcome, then start each test from a clean fake.
  service.start.record = await until('the dispatch at start', async () => {
    const builds = ((await (await fetch(`${url}/status`)).json()) as Status).builds;
    return builds.find((build) => build.trigger.join() === 'start ?' && build.result !== 'running');
  });
  service.start.dispatch = fake.dispatches[0] ?? null;
  fake.reset();
  return service;
}

/** Runs the script with a bad environment; resolves with its exit code and output. */
async function runExpectingExit(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const child = startChild('rebuild-service', process.execPath, [SCRIPT], {
    cwd: ROOT,
    env: baseEnv({ REBUILD_PORT: String(port), ...env }),
  });
  const timer = setTimeout(() => void child.stop(), 15_000);
  const code = await child.exited;
  clearTimeout(timer);
  return { code, output: child.tail() };
}

function strapiBody(
  event: string,
  uid: string,
  model: string,
  entry: unknown = { id: 1, documentId: 'abc123', slug: 'sales-vs-marketing' },
) {
  return { event, createdAt: new Date().toISOString(), model, uid, entry };
}
const PUBLISH = strapiBody('entry.publish', 'api::article.article', 'article');

function hook(service: Running, body: unknown, authorization: string | null = `Bearer ${WEBHOOK_TOKEN}`): Promise<Response> {
  const event = typeof body === 'object' && body && 'event' in body ? String((body as { event: unknown }).event) : 'entry.publish';
  return fetch(`${service.url}/hooks/strapi`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-strapi-event': event, ...(authorization === null ? {} : { authorization }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function status(service: Running): Promise<{ raw: string; json: Status }> {
  const response = await fetch(`${service.url}/status`);
  expect(response.status).toBe(200);
  const raw = await response.text();
  const json = JSON.parse(raw) as Status;
  return { raw, json: { ...json, builds: json.builds.filter((build) => build.id !== service.start.record?.id) } };
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Waits until the service is done with everything it accepted: nothing queued, nothing building, no retry
 * planned (its own /status). A webhook it accepted is queued before its 202 is sent, a queued event stays
 * queued until its build starts, and a dispatch is recorded by the fake before its build ends: so from here on
 * nothing more is dispatched without a new webhook, and "nothing was dispatched" is read, not slept on.
 */
async function settle(service: Running): Promise<Status> {
  return until('the service to be done (nothing queued, building or waiting to retry)', async () => {
    const { json } = await status(service);
    return !json.building && json.queued.length === 0 && json.retry === null && json;
  });
}

describe('rebuild service in relay mode (REBUILD_MODE=github)', () => {
  let fake: FakeGithub;
  beforeAll(async () => {
    fake = await FakeGithub.start('agency/site');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((service) => service.child.stop()));
    fake.reset();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('prints one startup line naming the mode, port and target, never a token', async () => {
    const service = await startService(fake);
    const line = service.lines.find((l) => l.startsWith('[rebuild] github mode on'))!;
    expect(line).toContain(service.url);
    expect(line).toContain('agency/site');
    expect(line).toContain(fake.url);
    expect(line).toContain(DISPATCH_EVENT_TYPE);
    expect(service.lines.join('\n')).not.toContain(GITHUB_TOKEN);
    expect(service.lines.join('\n')).not.toContain(WEBHOOK_TOKEN);
    expect((await status(service)).json.mode).toBe('github');
  });

  it('dispatches once at start (source "start"), so a publish made while the relay was down is deployed', async () => {
    const service = await startService(fake);
    expect(service.start.record).toMatchObject({ result: 'succeeded', attempt: 1, trigger: ['start ?'] });
    const body = service.start.dispatch!.body as { event_type: string; client_payload: Record<string, unknown> };
    expect(body.event_type).toBe(DISPATCH_EVENT_TYPE);
    expect(body.client_payload).toMatchObject({ source: 'start', events: 1, build_id: service.start.record.id });
    // Exactly one: nothing more without a webhook.
    const after = await settle(service);
    expect(fake.dispatches).toEqual([]);
    expect(after.builds).toEqual([]);
    expect(after.live?.id).toBe(service.start.record.id);
    // A webhook's dispatch says where it came from too.
    await hook(service, PUBLISH);
    await until('the dispatch', () => fake.dispatches.length === 1);
    expect((fake.dispatches[0]!.body as { client_payload: { source: string } }).client_payload.source).toBe('strapi-webhook');
  });

  it('refuses a missing or wrong webhook token with 401, and dispatches nothing', async () => {
    const service = await startService(fake);
    for (const authorization of [null, 'Bearer not-the-token-at-all', `Basic ${WEBHOOK_TOKEN}`, `Bearer ${WEBHOOK_TOKEN}x`, 'Bearer ']) {
      const response = await hook(service, PUBLISH, authorization);
      expect(response.status, String(authorization)).toBe(401);
      expect(((await response.json()) as { error: string }).error).toMatch(/bearer token/);
    }
    const after = await settle(service);
    expect(fake.requests).toEqual([]);
    expect(after.builds).toEqual([]);
  });

  it('answers 400 to a malformed body, and dispatches nothing', async () => {
    const service = await startService(fake);
    for (const body of [
      'not json',
      '[]',
      'null',
      JSON.stringify({ model: 'article' }),
      JSON.stringify({ event: 42 }),
      JSON.stringify({ event: 'entry.publish', uid: 7 }),
    ]) {
      const response = await hook(service, body);
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/^malformed webhook body: /);
    }
    await settle(service);
    expect(fake.requests).toEqual([]);
  });

  it('ignores draft saves and content the site does not show (202 ignored), and dispatches nothing', async () => {
    const service = await startService(fake);
    const ignored = [
      strapiBody('entry.update', 'api::article.article', 'article'),
      strapiBody('entry.create', 'api::article.article', 'article'),
      strapiBody('entry.publish', 'plugin::users-permissions.user', 'user'),
      strapiBody('entry.publish', 'api::unknown.unknown', 'unknown', null),
      strapiBody('review-workflows.updateEntryStage', 'api::article.article', 'article'),
    ];
    for (const body of ignored) {
      const response = await hook(service, body);
      expect(response.status, body.event).toBe(202);
      expect(((await response.json()) as { status: string }).status, `${body.event} ${body.uid}`).toBe('ignored');
    }
    const after = await settle(service);
    expect(fake.requests).toEqual([]);
    expect(after.builds).toEqual([]);
  });

  it('relays one publish as exactly one repository_dispatch, shaped as GitHub requires', async () => {
    const service = await startService(fake);
    const response = await hook(service, PUBLISH);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'queued' });

    await until('the dispatch', () => fake.dispatches.length === 1);
    const after = await settle(service);
    expect(fake.requests).toHaveLength(1);

    const [dispatch] = fake.dispatches;
    expect(dispatch!.path).toBe('/repos/agency/site/dispatches');
    expect(dispatch!.headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`);
    expect(dispatch!.headers.accept).toBe('application/vnd.github+json');
    expect(dispatch!.headers['content-type']).toMatch(/^application\/json/);
    expect(dispatch!.headers['user-agent']).toBeTruthy(); // GitHub refuses requests without one
    const body = dispatch!.body as { event_type: string; client_payload: Record<string, unknown> };
    expect(Object.keys(body).sort()).toEqual(['client_payload', 'event_type']);
    expect(body.event_type).toBe('cms-content-changed');
    expect(body.event_type).toBe(DISPATCH_EVENT_TYPE);
    expect(Object.keys(body.client_payload).length).toBeGreaterThan(0);
    expect(Object.keys(body.client_payload).length).toBeLessThanOrEqual(10);
    expect(body.client_payload).toMatchObject({ events: 1, models: 'api::article.article', event_names: 'entry.publish' });
    // Nothing secret, and nothing from the entry itself, goes to GitHub.
    expect(dispatch!.raw).not.toContain(WEBHOOK_TOKEN);
    expect(dispatch!.raw).not.toContain('abc123');

    expect(after.builds).toHaveLength(1);
    expect(after.builds[0]).toMatchObject({ result: 'succeeded', error: null, attempt: 1 });
    expect(after.builds[0]!.detail).toContain('agency/site');
    expect(after.live?.id).toBe(after.builds[0]!.id);
    expect(body.client_payload.build_id).toBe(after.builds[0]!.id);
  });

  it('relays unpublish, delete and media events too (entry may be null)', async () => {
    const service = await startService(fake);
    for (const body of [
      strapiBody('entry.unpublish', 'api::global.global', 'global', null),
      strapiBody('entry.delete', 'api::consultation-cta.consultation-cta', 'consultation-cta'),
      strapiBody('media.update', 'plugin::upload.file', 'file'),
    ]) {
      expect((await hook(service, body)).status).toBe(202);
    }
    await until('the dispatch', () => fake.dispatches.length >= 1);
    await settle(service);
    const events = fake.dispatches.reduce(
      (sum, d) => sum + Number((d.body as { client_payload: { events: number } }).client_payload.events),
      0,
    );
    expect(events).toBe(3);
    expect(fake.dispatches.length).toBeLessThanOrEqual(2);
  });

  it('coalesces a burst of 50 publishes within ~2 s into at most 2 dispatches, covering every event', async () => {
    const service = await startService(fake, { REBUILD_QUIET_MS: '250', REBUILD_MAX_WAIT_MS: '2000' });
    const started = Date.now();
    let lastSentAt = 0;
    for (let i = 0; i < 50; i++) {
      const response = await hook(service, strapiBody('entry.publish', 'api::article.article', 'article', { id: i }));
      expect(response.status).toBe(202);
      lastSentAt = Date.now();
      await sleep(35); // the burst itself: 50 publishes spread over ~2 s, as an editor's bulk action sends them
    }
    expect(lastSentAt - started).toBeLessThan(4000);
    const after = await settle(service);

    expect(fake.dispatches.length).toBeGreaterThanOrEqual(1);
    expect(fake.dispatches.length).toBeLessThanOrEqual(2);
    const payloads = fake.dispatches.map((d) => (d.body as { client_payload: { events: number } }).client_payload);
    expect(payloads.reduce((sum, p) => sum + p.events, 0)).toBe(50);
    // The last publish is covered by a dispatch sent after it.
    expect(fake.dispatches.at(-1)!.at).toBeGreaterThanOrEqual(lastSentAt);
    expect(after.builds.every((build) => build.result === 'succeeded')).toBe(true);
  });

  it('shows a failed dispatch (HTTP 500) as failed in /status, retries with backoff, then succeeds', async () => {
    const service = await startService(fake, { REBUILD_RETRY_BASE_MS: '700' });
    fake.failNext(1, 500, 'Server Error');
    expect((await hook(service, PUBLISH)).status).toBe(202);

    // The failure is visible before the retry, and nothing claims success.
    const failed = await until('the failed record', async () => {
      const { json } = await status(service);
      return json.builds.find((build) => build.result === 'failed');
    });
    expect(failed.error).toMatch(/HTTP 500/);
    expect(failed.attempt).toBe(1);
    const duringBackoff = (await status(service)).json;
    expect(duringBackoff.builds.filter((build) => build.result === 'succeeded')).toEqual([]);
    expect(duringBackoff.live?.id).toBe(service.start.record.id); // the dispatch at start, not the failed one
    await until('the failure and the retry in the log', () => {
      const log = service.lines.join('\n');
      return /FAILED.*HTTP 500/.test(log) && /retrying in 0\.7 s \(attempt 2 of 6\)/.test(log);
    });

    const succeeded = await until('the retried dispatch to succeed', async () => {
      const { json } = await status(service);
      return json.builds.find((build) => build.result === 'succeeded');
    });
    expect(succeeded.id).not.toBe(failed.id);
    expect(succeeded.attempt).toBe(2);

    const after = await settle(service);
    expect(fake.dispatches.map((d) => d.status)).toEqual([500, 204]);
    // Backoff: the retry waited at least the base delay after the failure.
    expect(fake.dispatches[1]!.at - fake.dispatches[0]!.at).toBeGreaterThanOrEqual(700);
    // The failed record stays failed; exactly one success, and it is what /status calls live.
    const record = after.builds.find((build) => build.id === failed.id)!;
    expect(record).toMatchObject({ result: 'failed', detail: null });
    expect(after.builds.map((build) => build.result)).toEqual(['succeeded', 'failed']);
    expect(after.live?.id).toBe(succeeded.id);
  });

  it('treats a 4xx answer as a failure too, and gives up after 6 attempts without ever reporting success', async () => {
    const service = await startService(fake, { REBUILD_RETRY_BASE_MS: '20' });
    fake.failAlways(404, 'Not Found');
    expect((await hook(service, PUBLISH)).status).toBe(202);
    await until('six attempts', () => fake.dispatches.length >= 6, 15_000);
    await until('the service to give up', () => service.lines.some((line) => /giving up after 6 attempts/.test(line)));
    const after = await settle(service);
    expect(fake.dispatches).toHaveLength(6);
    expect(after.builds).toHaveLength(6);
    expect(after.builds.every((build) => build.result === 'failed' && /HTTP 404/.test(build.error ?? ''))).toBe(true);
    expect(after.builds.map((build) => build.attempt).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(after.live?.id).toBe(service.start.record.id);

    // The next publish starts over from attempt 1, and succeeds once GitHub does.
    fake.reset();
    expect((await hook(service, PUBLISH)).status).toBe(202);
    await until('a success', async () => (await status(service)).json.builds.find((build) => build.result === 'succeeded'));
    expect((await status(service)).json.builds[0]).toMatchObject({ result: 'succeeded', attempt: 1 });
  });

  it('reports an unreachable GitHub as a failure, not a success', async () => {
    const closed = await freePort();
    const service = await startService(fake, { GITHUB_API_URL: `http://127.0.0.1:${closed}`, REBUILD_RETRY_BASE_MS: '60000' });
    expect((await hook(service, PUBLISH)).status).toBe(202);
    const failed = await until('the failed record', async () =>
      (await status(service)).json.builds.find((build) => build.result === 'failed'),
    );
    expect(failed.error).toMatch(/could not reach GitHub/);
    // The dispatch at start could not reach it either: nothing is live.
    expect(service.start.record).toMatchObject({ result: 'failed' });
    expect((await status(service)).json.live).toBeNull();
  });

  it('never shows GITHUB_TOKEN or WEBHOOK_TOKEN in /status or its output, even after failures', async () => {
    const service = await startService(fake, { REBUILD_RETRY_BASE_MS: '100' });
    fake.failNext(1, 401, 'Bad credentials');
    await hook(service, PUBLISH);
    await hook(service, PUBLISH, 'Bearer wrong-token-wrong-token');
    await until('a success', async () => (await status(service)).json.builds.find((build) => build.result === 'succeeded'));
    const { raw } = await status(service);
    expect(raw).toMatch(/HTTP 401/);
    for (const secret of [GITHUB_TOKEN, WEBHOOK_TOKEN]) {
      expect(raw).not.toContain(secret);
      expect(service.lines.join('\n')).not.toContain(secret);
    }
  });

  it('stops on SIGTERM and SIGINT with exit code 0', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const service = await startService(fake);
      process.kill(service.child.process.pid!, signal);
      expect(await service.child.exited).toBe(0);
      await expect(fetch(`${service.url}/health`)).rejects.toThrow();
    }
  });
});

describe('rebuild service configuration errors', () => {
  const github = {
    REBUILD_MODE: 'github',
    WEBHOOK_TOKEN,
    GITHUB_REPOSITORY: 'agency/site',
    GITHUB_TOKEN,
    GITHUB_API_URL: 'http://127.0.0.1:9',
  };
  // One real refused start per kind of refusal: a bad setting (every other variable's refusal is a unit test of
  // rebuildServiceSettings, tests/unit/rebuild-relay-settings.test.ts), and an address it cannot listen on.
  const cases: Array<[string, Record<string, string | undefined>, RegExp]> = [
    ['REBUILD_MODE=github without GITHUB_TOKEN', { ...github, GITHUB_TOKEN: undefined }, /GITHUB_TOKEN/],
    ['a REBUILD_HOST that is not an address of this machine', { ...github, REBUILD_HOST: '203.0.113.7' }, /REBUILD_HOST/],
  ];

  for (const [name, env, message] of cases) {
    it(`exits 1 naming the variable: ${name}`, async () => {
      const { code, output } = await runExpectingExit(env);
      expect(code, output).toBe(1);
      expect(output).toMatch(message);
      expect(output).not.toMatch(/\n\s+at /); // a message for a person, not a stack trace
      expect(output).not.toContain(GITHUB_TOKEN);
      expect(output).not.toContain(WEBHOOK_TOKEN);
    });
  }

  it('exits 1 naming REBUILD_PORT when the port is taken', async () => {
    const blocker = http.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const { code, output } = await runExpectingExit({ ...github, REBUILD_PORT: String(port) });
      expect(code, output).toBe(1);
      expect(output).toMatch(new RegExp(`Port ${port} \\(REBUILD_PORT\\) is already in use`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
