// The consultation form without JavaScript, against a real Strapi: a urlencoded post to
// /api/consultation-requests/form from the site is stored once and answered 303 to the site's thank-you page; an
// invalid one gets the form again (422) with the reader's values kept and escaped, an error summary and each error
// tied to its field; posts from elsewhere are refused (Origin, or Referer without it); the honeypot drops bots; the
// rate limit is one budget with the JSON route and answers with a page. Each test posts from its own client address
// (X-Forwarded-For through one trusted proxy hop), so their rate-limit budgets do not mix.
//
// And the flood limit behind that proxy (moved here from rate-limit.test.ts, to share this file's CMS: one boot,
// not two): the key is the address the trusted proxy saw (what a client writes into X-Forwarded-For before it is
// ignored), IPv6 counts by /64 and by /48, valid requests count per recipient mailbox whatever address sends them,
// and on Postgres two CMS processes share one budget. Both suites run with the production pair's limits
// (tests/support/pair.ts: 2 per address, 5 per /48, a few per mailbox, a minute's window), read from the fixture.
//
// On the production pair: Postgres when the run has it (TEST_DATABASE_URL, as CI: the counts are then in the
// database, and its second replica shares them), else SQLite (one process). The limiter counting on SQLite is also
// checked by consultation-request.test.ts and rate-limit.test.ts (the shared CMS). The pair keeps its counts for a
// minute across its files, so every client address here is one no other file names.
// @test-lane: pair
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestCms, StoredConsultationRequest } from '../support/cms.ts';
import { PAIR_OTHER_SITE, PAIR_SITE, storedRequests, usePair, type Pair } from '../support/pair.ts';

const SITE = PAIR_SITE;
const OTHER_SITE = PAIR_OTHER_SITE;
const THANKS = `${SITE}/consultation/thanks/`;

const VALID = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: '+44 20 7946 0000',
  preferredTime: 'Weekday mornings',
  message: 'We are rebranding next spring.',
  consent: 'true',
};

let client = 0;
/** A fresh client address for one test's posts. */
const nextClient = () => `203.0.113.${++client}`;

type Target = { url: string };

let pair: Pair;
let cms: TestCms;
/** CONSULTATION_RATE_LIMIT: per client address (IPv6 by /64), for both suites. */
let LIMIT: number;
const database = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';

beforeAll(async () => {
  pair = await usePair();
  cms = pair.cms;
  LIMIT = pair.limits.perAddress;
  // The sequences below spell out 2 per address, 5 per /48.
  expect([pair.limits.perAddress, pair.limits.perNetwork, pair.info.env.TRUSTED_PROXY_HOPS]).toEqual([2, 5, '1']);
  expect(pair.info.kind).toBe(database);
});

/** An invalid submission: refused with 400 when within the budget (every attempt counts), 429 beyond it. */
async function attempt(cms: Target, forwardedFor?: string): Promise<number> {
  const response = await fetch(`${cms.url}/api/consultation-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ data: {} }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** A valid request for `email` from `forwardedFor`: 201 when within every budget; the answer's status and error. */
async function send(cms: Target, forwardedFor: string, email: string): Promise<{ status: number; message?: string }> {
  const response = await fetch(`${cms.url}/api/consultation-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ data: { name: 'Ada Lovelace', email, consent: true } }),
  });
  const body = (await response.json()) as { error?: { message: string } };
  return { status: response.status, message: body.error?.message };
}

const attempts = async (cms: Target, forwardedFor: string[]) => {
  const statuses: number[] = [];
  for (const value of forwardedFor) statuses.push(await attempt(cms, value));
  return statuses;
};

describe(`the consultation form without JavaScript (POST /api/consultation-requests/form, ${database})`, () => {
  const stored = () => storedRequests<StoredConsultationRequest>(cms);

  /** A browser's form post: urlencoded, with the headers it would send, from `ip`. */
  async function postForm(fields: Record<string, string>, headers: Record<string, string>, ip: string) {
    const response = await fetch(`${cms.url}/api/consultation-requests/form`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip, ...headers },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  it('stores a valid post once and answers 303 to the thank-you page of the site it came from', async () => {
    const ip = nextClient();
    const before = (await stored()).length;
    const answer = await postForm({ ...VALID, name: '  Ada Lovelace ', website: '' }, { origin: SITE }, ip);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(THANKS);
    const requests = await stored();
    expect(requests).toHaveLength(before + 1);
    expect(requests.at(-1)).toMatchObject({ ...VALID, consent: true, requestStatus: 'new' });

    // The second site (CORS_ORIGINS) gets its own thank-you page; a Referer stands in for a missing Origin.
    const other = await postForm({ ...VALID, email: 'other@example.com' }, { origin: OTHER_SITE }, ip);
    expect(other.headers.get('location')).toBe(`${OTHER_SITE}/consultation/thanks/`);
    const referred = await postForm({ ...VALID, email: 'grace@example.com' }, { referer: `${SITE}/articles/x/` }, nextClient());
    expect([referred.status, referred.headers.get('location')]).toEqual([303, THANKS]);
    expect((await stored()).map((r) => r.email).slice(-3)).toEqual(['ada@example.com', 'other@example.com', 'grace@example.com']);
  });

  it('answers an invalid post with the form again: 422, values kept and escaped, a focused summary, errors tied to fields', async () => {
    const before = (await stored()).length;
    const hostile = '</textarea><script>alert(1)</script>"&';
    const answer = await postForm(
      { name: '', email: 'ada@', phone: '"><img src=x onerror=alert(1)>', message: hostile },
      { origin: SITE },
      nextClient(),
    );
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    const csp = answer.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/form-action 'self' https:\/\/agency\.example http:\/\/127\.0\.0\.1:4999/);
    expect(csp).not.toContain('script-src');
    // Not Strapi's no-referrer: under it a browser re-posts this page's form with `Origin: null`.
    expect(answer.headers.get('referrer-policy')).toBe('same-origin');
    const html = answer.text;

    // Nothing the reader typed becomes markup.
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;</textarea>');
    expect(html).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(html).toContain('value="ada@"');

    // The summary comes first, focused on load, each message a link to its field.
    const summary = /<div class="summary"[^>]*>([\s\S]*?)<\/div>/.exec(html);
    expect(summary?.[0]).toContain('autofocus');
    expect(html.indexOf('data-error-summary')).toBeLessThan(html.indexOf('<form'));
    expect(summary?.[1]).toContain('Please correct the 4 fields marked below.');
    for (const [field, message] of [
      ['name', 'Please enter your name'],
      ['email', 'Please enter a valid email address, like name@example.com'],
      ['phone', 'Please enter a phone number using digits, spaces, +, - and parentheses (at least 6)'],
      ['consent', 'Please agree so we can contact you'],
    ]) {
      expect(summary?.[1], field).toContain(`<a href="#consultation-${field}">${message}</a>`);
      expect(html, field).toMatch(
        new RegExp(`id="consultation-${field}"[^>]*aria-invalid="true" aria-describedby="consultation-${field}-error"`),
      );
      expect(html, field).toContain(`<p class="error" id="consultation-${field}-error">${message}</p>`);
    }
    // A valid optional field is not flagged; the re-post goes back to the same route and keeps the site.
    expect(html).not.toMatch(/id="consultation-message"[^>]*aria-invalid/);
    expect(html).toMatch(/<form method="post" novalidate/);
    expect(html).toContain(`<input type="hidden" name="_site" value="${SITE}">`);
    expect(await stored()).toHaveLength(before);
  });

  it('accepts the re-post from its own error page and sends the reader to the site named in it (only a site)', async () => {
    const ip = nextClient();
    const ok = await postForm({ ...VALID, email: 'repost@example.com', _site: OTHER_SITE }, { origin: cms.url }, ip);
    expect([ok.status, ok.headers.get('location')]).toEqual([303, `${OTHER_SITE}/consultation/thanks/`]);
    // A forged _site is not followed: the reader goes to SITE_URL's thank-you page.
    const forged = await postForm({ ...VALID, email: 'forged@example.com', _site: 'https://evil.example' }, { origin: cms.url }, ip);
    expect([forged.status, forged.headers.get('location')]).toEqual([303, THANKS]);
  });

  it.each([
    ['another site', { origin: 'https://evil.example' }],
    ['a look-alike origin', { origin: `${SITE}.evil.example` }],
    ['an opaque origin and a foreign referer', { origin: 'null', referer: 'https://evil.example/page' }],
    ['no Origin and no Referer', {}],
    ['a Referer that is not a web address', { referer: 'not a url' }],
  ])('refuses a post from %s (403 page), storing nothing and not counting it', async (_, headers) => {
    const before = (await stored()).length;
    const ip = nextClient();
    for (let attempt = 0; attempt < LIMIT + 1; attempt++) {
      const answer = await postForm(VALID, headers, ip);
      expect(answer.status).toBe(403);
      expect(answer.text).toContain('This form only accepts requests sent from our website. Nothing was stored.');
      expect(answer.text).toContain(`<a href="${SITE}/#consultation">`);
    }
    expect(await stored()).toHaveLength(before);
    // The refusals did not use up this address's budget.
    expect((await postForm({ ...VALID, email: `after-${client}@example.com` }, { origin: SITE }, ip)).status).toBe(303);
  });

  it('drops a bot that fills the honeypot, answering it like a person (303), storing nothing', async () => {
    const before = (await stored()).length;
    const answer = await postForm({ ...VALID, website: 'https://spam.example' }, { origin: SITE }, nextClient());
    expect([answer.status, answer.headers.get('location')]).toEqual([303, THANKS]);
    expect(await stored()).toHaveLength(before);
  });

  it('shares one rate-limit budget with the JSON route, and answers a flood with the form again (429, values kept)', async () => {
    const ip = nextClient();
    const before = (await stored()).length;
    const json = await fetch(`${cms.url}/api/consultation-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ data: { ...VALID, email: 'json@example.com', consent: true } }),
    });
    expect(json.status).toBe(201);
    for (let attempt = 1; attempt < LIMIT; attempt++) {
      expect((await postForm({ ...VALID, email: `form${attempt}@example.com` }, { origin: SITE }, ip)).status).toBe(303);
    }
    const refused = await postForm({ ...VALID, email: 'late@example.com' }, { origin: SITE }, ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.text).toMatch(/You have sent several requests in a short time\.[\s\S]*Please try again in \d+ (seconds|minutes)/);
    expect(refused.text).toContain('value="late@example.com"');
    expect(refused.text).toMatch(/id="consultation-consent"[^>]*checked/);
    // The JSON route is over the same budget.
    const jsonAfter = await fetch(`${cms.url}/api/consultation-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ data: { ...VALID, consent: true } }),
    });
    expect(jsonAfter.status).toBe(429);
    expect(await stored()).toHaveLength(before + LIMIT);
  });
});

describe(`rate limit behind one trusted proxy (TRUSTED_PROXY_HOPS=1, ${database})`, () => {
  it('keys on the address the proxy appended, whatever the client wrote before it', async () => {
    expect(await attempts(cms, ['198.51.100.1', '198.51.100.1'])).toEqual([400, 400]);
    // The client's own X-Forwarded-For entries come first; the proxy adds the real address last.
    expect(await attempts(cms, ['203.0.113.9, 198.51.100.1', '10.0.0.1, 192.0.2.1, 198.51.100.1'])).toEqual([429, 429]);
    // Another reader has a budget of their own.
    expect(await attempts(cms, ['198.51.100.2', '198.51.100.1, 198.51.100.2', '198.51.100.2'])).toEqual([400, 400, 429]);
  });

  it('counts IPv6 addresses by /64: one network shares a budget, the next one has its own', async () => {
    expect(await attempts(cms, ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:fffe', '2001:0db8:0001:0002::7'])).toEqual([400, 400, 429]);
    expect(await attempts(cms, ['2001:db8:1:3::1'])).toEqual([400]);
  });

  it('counts IPv6 addresses by /48 too: a fresh /64 per request gets 5 (CONSULTATION_RATE_LIMIT_NETWORK), not 65,536 budgets', async () => {
    const sixtyFours = Array.from({ length: 6 }, (_, i) => `2001:db8:a:${i.toString(16)}::1`);
    expect(await attempts(cms, sixtyFours)).toEqual([400, 400, 400, 400, 400, 429]);
    // Another /48 has its own budget.
    expect(await attempts(cms, ['2001:db8:b:1::1'])).toEqual([400]);
  });

  it('accepts CONSULTATION_RATE_LIMIT_EMAIL valid requests per recipient mailbox, from any address, however it is spelled', async () => {
    // A reader's typos (invalid requests) do not use up their address.
    expect(await attempts(cms, ['198.51.100.60'])).toEqual([400]);
    expect((await send(cms, '198.51.100.61', 'target@example.com')).status).toBe(201);
    expect((await send(cms, '2001:db8:c:1::1', 'Target+again@Example.com')).status).toBe(201);
    // Up to the limit, each from an address of its own.
    for (let i = 3; i <= pair.limits.perRecipient; i++)
      expect((await send(cms, `198.51.101.${i}`, `target+${i}@example.com`)).status).toBe(201);
    // One more, from a fresh address with budget to spare, naming the same mailbox: refused, saying why.
    const refused = await send(cms, '198.51.100.62', 'TARGET@example.com');
    expect(refused.status).toBe(429);
    expect(refused.message).toMatch(/^Too many requests for this e-mail address\. Please try again in \d+ seconds, or call us\.$/);
    // That address's own budget is still there for another mailbox; and another mailbox has its own.
    expect((await send(cms, '198.51.100.62', 'someone-else@example.com')).status).toBe(201);
  });

  describe.runIf(database === 'postgres')('two CMS processes on one Postgres, one budget', () => {
    const other = () => ({ url: pair.replicas[1]!.url });

    /** The rate limit's rows, read in the CMS's own database (not in either process). */
    async function rows(): Promise<Array<{ key: string; points: number }>> {
      const client = new pg.Client({ connectionString: cms.env.DATABASE_URL });
      await client.connect();
      try {
        return (await client.query(`SELECT key, points FROM "${cms.env.DATABASE_SCHEMA}".consultation_rate_limits ORDER BY key`)).rows;
      } finally {
        await client.end();
      }
    }

    it('shares the count: two attempts across both, then both refuse', async () => {
      expect(pair.replicas).toHaveLength(2);
      // No X-Forwarded-For: both processes see this machine's connection address, and count it in one row.
      expect([await attempt(cms), await attempt(other())]).toEqual([400, 400]);
      expect([await attempt(other()), await attempt(cms)]).toEqual([429, 429]);
      expect((await rows()).filter((row) => row.key === 'consultation:127.0.0.1')).toEqual([{ key: 'consultation:127.0.0.1', points: 4 }]);
    });

    it('shares the IPv6 /48 and the recipient budgets too, and keeps no e-mail address in the table', async () => {
      const fiveSixtyFours = ['2001:db8:5:1::1', '2001:db8:5:2::1', '2001:db8:5:3::1', '2001:db8:5:4::1', '2001:db8:5:5::1'];
      const statuses = [];
      for (const [i, address] of fiveSixtyFours.entries()) statuses.push(await attempt(i % 2 ? other() : cms, address));
      expect(statuses).toEqual([400, 400, 400, 400, 400]);
      expect(await attempt(other(), '2001:db8:5:6::1')).toBe(429);

      const before = (await rows()).map((row) => row.key);
      expect((await send(cms, '198.51.100.71', 'shared@example.com')).status).toBe(201);
      expect((await send(other(), '198.51.100.72', 'Shared+x@example.com')).status).toBe(201);
      // Up to the limit, alternately through each replica, each from an address of its own.
      for (let i = 3; i <= pair.limits.perRecipient; i++)
        expect((await send(i % 2 ? cms : other(), `198.51.102.${i}`, `shared+${i}@example.com`)).status).toBe(201);
      expect((await send(cms, '198.51.100.73', 'shared@example.com')).status).toBe(429);

      const keys = (await rows()).map((row) => row.key);
      expect(keys).toContain('consultation-48:2001:db8:5::/48');
      // One row for the mailbox, however it was spelled, and which process counted it.
      const added = keys.filter((key) => !before.includes(key));
      expect(added.filter((key) => key.startsWith('consultation-to:'))).toHaveLength(1);
      expect(keys.join(' ')).not.toMatch(/shared|target|example\.com/i);
    });
  });
});
