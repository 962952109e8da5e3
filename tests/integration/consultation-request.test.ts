// Consultation requests against a real Strapi: the public may create and nothing else; the shared schema
// decides what is stored; bots and floods are turned away; only the site's origin gets CORS; and a request
// never starts a site rebuild: what Strapi's webhook sends about it is recorded (no rebuild service, no site
// build), and the rebuild service's own rule (scripts/rebuild/webhook-event.ts) says it builds nothing.
//
// On the production pair (tests/support/pair.ts), with its flood limit's low budget (2 per address a minute,
// behind one trusted proxy): every rate-limited post is sent from a loopback address of its own (127.0.1.n; without
// X-Forwarded-For the connection's address is the client's), so the other tests never spend the budget the flood
// test runs out, nor it theirs. Its rebuild webhook is recorded by the fixture broker (hookChannel).
// @test-lane: pair
import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { decide, parseWebhookBody } from '../../scripts/rebuild/webhook-event.ts';
import type { AdminJson } from '../../scripts/stack/cms-admin.ts';
import { sampleArticle, type TestCms, type StoredConsultationRequest } from '../support/cms.ts';
import { hookChannel } from '../support/fixtures.ts';
import type { RecordedHook } from '../support/fixture-broker.ts';
import { PAIR_OTHER_SITE, PAIR_SITE, storedRequests, usePair, type Pair } from '../support/pair.ts';

const UID = 'api::consultation-request.consultation-request';
const LIST = `/content-manager/collection-types/${UID}`;
const SITE = PAIR_SITE;
const OTHER_SITE = PAIR_OTHER_SITE;
const EVIL = 'https://evil.example';

type Stored = StoredConsultationRequest;

const valid = (changes: Record<string, unknown> = {}) => ({
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: '+44 20 7946 0000',
  preferredTime: 'Weekday mornings',
  message: 'We are rebranding next spring.',
  consent: true,
  ...changes,
});

let clients = 0;
/** A loopback address no other post of this file sends from: a client with a budget of its own. */
function nextClient(): string {
  if (++clients > 254) throw new Error('consultation-request.test.ts ran out of 127.0.1.x client addresses: use a wider range.');
  return `127.0.1.${clients}`;
}

type Answer = { status: number; headers: Headers; body: AdminJson };

/** A POST sent from `localAddress` (fetch cannot pick its source address); the body parsed when it is JSON. */
function postFrom(cms: TestCms, pathname: string, body: string, headers: Record<string, string>, localAddress: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(pathname, cms.url), { method: 'POST', localAddress, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        const answer = new Headers();
        for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') answer.set(name, value);
        let parsed: AdminJson = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: response.statusCode ?? 0, headers: answer, body: parsed });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A JSON post to the public create route, from a fresh client address unless `from` names one. */
function post(cms: TestCms, body: unknown, headers: Record<string, string> = {}, from = nextClient()): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return postFrom(cms, '/api/consultation-requests', text, { 'content-type': 'application/json', ...headers }, from);
}

const stored = (cms: TestCms) => storedRequests<Stored>(cms);

describe('consultation requests', () => {
  let pair: Pair;
  let cms: TestCms;

  beforeAll(async () => {
    // The flood limit's settings (its test is below); CORS_ORIGINS lists two sites.
    pair = await usePair();
    cms = pair.cms;
  });

  it('stores a valid request exactly once, with status "new", and answers without echoing it', async () => {
    const before = (await stored(cms)).length;
    const response = await post(cms, { data: valid() });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ data: { ok: true }, meta: {} });

    const requests = await stored(cms);
    expect(requests).toHaveLength(before + 1);
    expect(requests.at(-1)).toMatchObject({ ...valid(), requestStatus: 'new' });
  });

  it('ignores a status (requestStatus or status) and any other field the client sends, and trims and empties optional fields', async () => {
    const before = (await stored(cms)).length;
    const response = await post(cms, {
      data: {
        ...valid({ name: '  Grace Hopper  ', email: 'grace@example.com', phone: '', preferredTime: '   ', message: '' }),
        status: 'closed',
        requestStatus: 'closed',
        id: 999,
        publishedAt: null,
        extra: 'x',
      },
    });
    expect(response.status).toBe(201);
    const requests = await stored(cms);
    expect(requests).toHaveLength(before + 1);
    expect(requests.at(-1)).toMatchObject({
      name: 'Grace Hopper',
      email: 'grace@example.com',
      phone: null,
      preferredTime: null,
      message: null,
      consent: true,
      requestStatus: 'new',
    });
    expect(requests.at(-1)).not.toHaveProperty('extra');
  });

  it('nobody can list or read requests without credentials (REST and GraphQL)', async () => {
    const { documentId } = (await stored(cms))[0]!;
    for (const path of [
      '/api/consultation-requests',
      `/api/consultation-requests/${documentId}`,
      '/api/consultation-requests?status=draft',
    ]) {
      const response = await cms.rest(path);
      expect(response.status, path).toBe(403);
      expect(JSON.stringify(response.body), path).not.toContain('ada@example.com');
    }
    for (const write of [
      ['PUT', `/api/consultation-requests/${documentId}`],
      ['DELETE', `/api/consultation-requests/${documentId}`],
    ] as const) {
      const response = await cms.rest(write[1], {
        method: write[0],
        headers: { 'content-type': 'application/json' },
        body: '{"data":{"requestStatus":"closed"}}',
      });
      expect([401, 403, 404, 405], `${write[0]} ${write[1]}`).toContain(response.status);
    }
    // GraphQL does not know the type at all: no query, no mutation.
    for (const query of [
      '{ consultationRequests { name email } }',
      `{ consultationRequest(documentId: "${documentId}") { email } }`,
      'mutation { createConsultationRequest(data: { name: "x" }) { documentId } }',
    ]) {
      const response = await cms.graphql(query);
      expect(response.errors?.[0]?.extensions?.code, query).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    // Even an API token (the site build may use a read-only one) cannot read them over REST.
    for (const type of ['read-only', 'full-access'] as const) {
      const token = await cms.createApiToken(type);
      const withToken = await cms.rest('/api/consultation-requests', { headers: { authorization: `Bearer ${token}` } });
      expect(withToken.status, type).toBe(403);
      expect(JSON.stringify(withToken.body)).not.toContain('ada@example.com');
    }
  });

  it.each([
    [
      'an empty form',
      {},
      { name: 'Please enter your name', email: 'Please enter your email address', consent: 'Please agree so we can contact you' },
    ],
    [
      'a bad email and no consent',
      valid({ email: 'ada@', consent: false }),
      { email: 'Please enter a valid email address, like name@example.com', consent: 'Please agree so we can contact you' },
    ],
    ['consent as a string', valid({ consent: 'true' }), { consent: 'Please agree so we can contact you' }],
    [
      'a bad phone number',
      valid({ phone: 'call me' }),
      { phone: 'Please enter a phone number using digits, spaces, +, - and parentheses (at least 6)' },
    ],
    ['a name that is too long', valid({ name: 'x'.repeat(101) }), { name: 'Please shorten your name to at most 100 characters' }],
    [
      'a message that is too long',
      valid({ message: 'x'.repeat(2001) }),
      { message: 'Please shorten your message to at most 2000 characters' },
    ],
  ])('refuses %s with 400 and field errors, storing nothing', async (_, data, expected) => {
    const before = (await stored(cms)).length;
    const response = await post(cms, { data });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    const errors = Object.fromEntries(
      response.body.error.details.errors.map((e: { path: string[]; message: string }) => [e.path.join('.'), e.message]),
    );
    expect(errors).toEqual(expected);
    expect(await stored(cms)).toHaveLength(before);
  });

  it('refuses a body without data, or not JSON, storing nothing', async () => {
    const before = (await stored(cms)).length;
    for (const body of [{}, { data: 'text' }, { data: null }, '[1,2]']) {
      const response = await post(cms, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect(await stored(cms)).toHaveLength(before);
  });

  it('answers a filled honeypot exactly like a success, and stores nothing', async () => {
    const before = (await stored(cms)).length;
    for (const data of [valid({ website: 'https://spam.example' }), { website: 'x' }]) {
      const response = await post(cms, { data });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ data: { ok: true }, meta: {} });
    }
    expect(await stored(cms)).toHaveLength(before);
  });

  describe('CORS', () => {
    const preflight = (path: string, origin: string) =>
      fetch(`${cms.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const postWithOrigin = (path: string, origin: string, body: unknown) =>
      postFrom(cms, path, JSON.stringify(body), { origin, 'content-type': 'application/json' }, nextClient());

    it.each([
      ['REST', '/api/consultation-requests'],
      ['GraphQL', '/graphql'],
    ])('%s: preflight allows the site origins only', async (_, path) => {
      for (const origin of [SITE, OTHER_SITE]) {
        const ok = await preflight(path, origin);
        expect(ok.headers.get('access-control-allow-origin'), origin).toBe(origin);
        expect(ok.headers.get('access-control-allow-methods') ?? '').toMatch(/POST/);
      }
      for (const origin of [EVIL, 'null', `${SITE}.evil.example`, 'http://agency.example']) {
        const refused = await preflight(path, origin);
        expect(refused.headers.get('access-control-allow-origin'), origin).toBeNull();
      }
    });

    it('REST: a POST from the site gets Access-Control-Allow-Origin (and Retry-After exposed); from another origin, none', async () => {
      const ok = await postWithOrigin('/api/consultation-requests', SITE, { data: valid({ email: 'cors@example.com' }) });
      expect(ok.status).toBe(201);
      expect(ok.headers.get('access-control-allow-origin')).toBe(SITE);
      expect(ok.headers.get('access-control-expose-headers') ?? '').toMatch(/Retry-After/i);
      const refused = await postWithOrigin('/api/consultation-requests', EVIL, { data: {} });
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('GraphQL: a query from the site gets Access-Control-Allow-Origin; from another origin, none (not "*")', async () => {
      const ok = await postWithOrigin('/graphql', SITE, { query: '{ global { siteName } }' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe(SITE);
      const refused = await postWithOrigin('/graphql', EVIL, { query: '{ global { siteName } }' });
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  it('requests never trigger a site rebuild (what the webhook sends about them, the rebuild service ignores)', async () => {
    expect(decide({ event: 'entry.publish', uid: UID, model: 'consultation-request', at: '' }).build).toBe(false);
    expect(decide({ event: 'entry.create', uid: UID, model: 'consultation-request', at: '' }).build).toBe(false);

    const hooks = hookChannel(pair.info);
    const raw = (call: RecordedHook) => JSON.stringify(call.body);
    const before = (await hooks.calls()).length;
    for (let i = 0; i < 3; i++) expect((await post(cms, { data: valid({ email: `nobuild${i}@example.com` }) })).status).toBe(201);
    // An editor moving a request along (new → contacted) does not rebuild either.
    const [first] = await stored(cms);
    await cms.admin('PUT', `${LIST}/${first!.documentId}`, { requestStatus: 'contacted' });
    expect((await stored(cms))[0]!.requestStatus).toBe('contacted');

    // A marker that does rebuild: an article deleted after all that. Strapi queues its webhook calls in the order
    // the events happened (its webhook runner's queue sends at most 5 at once), so once the marker's call is
    // here, whatever the requests caused has been sent: no sleep stands in for "nothing came".
    const marker = await cms.editor.createArticle(sampleArticle('consultation-marker'), { publish: false });
    await cms.editor.deleteArticle(marker);
    const isMarker = (raw: string) => {
      const event = parseWebhookBody(raw);
      return event.event === 'entry.delete' && event.uid === 'api::article.article';
    };
    const calls = (await hooks.waitFor((call) => isMarker(raw(call)))).slice(before);
    const markerAt = calls.findIndex((call) => isMarker(raw(call)));
    // The recorder works, and would have seen a call that builds: the marker is one.
    expect(decide(parseWebhookBody(raw(calls[markerAt]!))).build).toBe(true);
    // Whatever Strapi sent about the requests before it, the rebuild service would ignore, never queue.
    const decisions = calls.slice(0, markerAt).map((call) => [raw(call), decide(parseWebhookBody(raw(call))).build]);
    expect(decisions.filter(([, build]) => build)).toEqual([]);
    for (const call of calls) expect(call.authorization).toBe(`Bearer ${pair.info.env.WEBHOOK_TOKEN}`);
  });

  // Once its own Strapi; now the production pair's settings.
  describe('consultation request flood limit', () => {
    it('answers 429 with Retry-After and a clear message after the limit; every attempt counts; X-Forwarded-For does not help', async () => {
      expect(pair.limits.perAddress, 'the sequences below spell out a budget of 2').toBe(2);
      const before = (await stored(cms)).length;
      const flooder = nextClient();
      expect((await post(cms, { data: valid() }, {}, flooder)).status).toBe(201);
      expect((await post(cms, { data: {} }, {}, flooder)).status).toBe(400);

      // Behind the pair's one trusted proxy, what the client writes before the proxy's own entry (its real
      // address, last) is no fresh address (without a proxy, where all of it is ignored: rate-limit.test.ts).
      const response = await post(
        cms,
        { data: valid({ email: 'flood@example.com' }) },
        { origin: SITE, 'x-forwarded-for': `203.0.113.7, ${flooder}` },
        flooder,
      );
      expect(response.status).toBe(429);
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // The site's form can read the answer: CORS headers are there on the 429 too.
      expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
      const body = response.body as {
        error: { status: number; name: string; message: string; details: { retryAfterSeconds: number } };
      };
      expect(body.error).toMatchObject({ status: 429, name: 'RateLimitError' });
      expect(body.error.message).toMatch(/^Too many requests from your network\. Please try again in \d+ seconds, or call us\.$/);
      expect(body.error.details.retryAfterSeconds).toBe(retryAfter);

      // A bot's post (the honeypot) counts too: after it and one valid request, its address is out of budget.
      const bot = nextClient();
      expect((await post(cms, { data: valid({ website: 'bot' }) }, {}, bot)).status).toBe(201);
      expect((await post(cms, { data: valid({ email: 'after-bot@example.com' }) }, {}, bot)).status).toBe(201);
      expect((await post(cms, { data: valid({ email: 'late-bot@example.com' }) }, {}, bot)).status).toBe(429);

      const requests = (await stored(cms)).slice(before);
      expect(requests.map((request) => request.email)).toEqual(['ada@example.com', 'after-bot@example.com']);
      // The budget is the address's, not the file's: another client is still served.
      expect((await post(cms, { data: valid({ email: 'next-client@example.com' }) })).status).toBe(201);
    });
  });
});
