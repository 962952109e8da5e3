// The consultation form's flood limit behind a proxy: the key is the address the trusted proxy saw (one
// configured hop; what a client writes into X-Forwarded-For itself is ignored), IPv6 counts by /64 and by /48,
// valid requests count per recipient mailbox whatever address sends them, and on Postgres two CMS processes
// share one budget. (429's answer and headers: consultation-request.test.ts.)
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCms } from '../support/cms.ts';

/** An invalid submission: refused with 400 when within the budget (every attempt counts), 429 beyond it. */
async function attempt(cms: TestCms, forwardedFor?: string): Promise<number> {
  const response = await fetch(`${cms.url}/api/consultation-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ data: {} }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** A valid request for `email` from `forwardedFor`: 201 when within every budget; the answer's status and error. */
async function send(cms: TestCms, forwardedFor: string, email: string): Promise<{ status: number; message?: string }> {
  const response = await fetch(`${cms.url}/api/consultation-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ data: { name: 'Ada Lovelace', email, consent: true } }),
  });
  const body = (await response.json()) as { error?: { message: string } };
  return { status: response.status, message: body.error?.message };
}

const attempts = async (cms: TestCms, forwardedFor: string[]) => {
  const statuses: number[] = [];
  for (const value of forwardedFor) statuses.push(await attempt(cms, value));
  return statuses;
};

describe('rate limit without a trusted proxy (TRUSTED_PROXY_HOPS=0)', () => {
  let cms: TestCms;
  beforeAll(async () => {
    cms = await TestCms.boot({ env: { CONSULTATION_RATE_LIMIT: '2', CONSULTATION_RATE_WINDOW_MS: '60000' } });
  });
  afterAll(async () => {
    await cms?.destroy();
  });

  it('ignores X-Forwarded-For: a client cannot pick a fresh address per request', async () => {
    expect(await attempts(cms, ['198.51.100.1', '198.51.100.2', '198.51.100.3', '2001:db8::1'])).toEqual([400, 400, 429, 429]);
  });
});

describe('rate limit behind one trusted proxy (TRUSTED_PROXY_HOPS=1)', () => {
  let cms: TestCms;
  beforeAll(async () => {
    cms = await TestCms.boot({
      env: {
        CONSULTATION_RATE_LIMIT: '2',
        CONSULTATION_RATE_LIMIT_NETWORK: '5',
        CONSULTATION_RATE_LIMIT_EMAIL: '2',
        CONSULTATION_RATE_WINDOW_MS: '60000',
        TRUSTED_PROXY_HOPS: '1',
      },
    });
  });
  afterAll(async () => {
    await cms?.destroy();
  });

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

  it('accepts 2 valid requests per recipient mailbox (CONSULTATION_RATE_LIMIT_EMAIL), from any address, however it is spelled', async () => {
    // A reader's typos (invalid requests) do not use up their address.
    expect(await attempts(cms, ['198.51.100.60'])).toEqual([400]);
    expect((await send(cms, '198.51.100.61', 'target@example.com')).status).toBe(201);
    expect((await send(cms, '2001:db8:c:1::1', 'Target+again@Example.com')).status).toBe(201);
    // A third, from a fresh address with budget to spare, naming the same mailbox: refused, saying why.
    const refused = await send(cms, '198.51.100.62', 'TARGET@example.com');
    expect(refused.status).toBe(429);
    expect(refused.message).toMatch(/^Too many requests for this e-mail address\. Please try again in \d+ seconds, or call us\.$/);
    // That address's own budget is still there for another mailbox; and another mailbox has its own.
    expect((await send(cms, '198.51.100.62', 'someone-else@example.com')).status).toBe(201);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('rate limit on Postgres: two CMS processes, one budget', () => {
  let first: TestCms;
  let second: TestCms;
  beforeAll(async () => {
    first = await TestCms.boot({
      database: 'postgres',
      env: {
        CONSULTATION_RATE_LIMIT: '3',
        CONSULTATION_RATE_LIMIT_NETWORK: '2',
        CONSULTATION_RATE_LIMIT_EMAIL: '2',
        CONSULTATION_RATE_WINDOW_MS: '60000',
        // Without X-Forwarded-For the connection's address counts, as before; with it, the test picks networks.
        TRUSTED_PROXY_HOPS: '1',
      },
    });
    // The second process: the same database schema and secrets, its own port (a replica).
    second = await TestCms.boot({ database: 'postgres', env: first.env });
  });
  afterAll(async () => {
    await second?.destroy();
    await first?.destroy();
  });

  it('shares the count: three attempts across both, then both refuse', async () => {
    expect(second.env.DATABASE_SCHEMA).toBe(first.env.DATABASE_SCHEMA);
    expect([await attempt(first), await attempt(second), await attempt(first)]).toEqual([400, 400, 400]);
    expect([await attempt(second), await attempt(first)]).toEqual([429, 429]);

    // The counts are rows in the CMS's database, not in either process.
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      const rows = await client.query(`SELECT key, points FROM "${first.env.DATABASE_SCHEMA}".consultation_rate_limits`);
      expect(rows.rows).toEqual([{ key: 'consultation:127.0.0.1', points: 5 }]);
    } finally {
      await client.end();
    }
  });

  it('shares the IPv6 /48 and the recipient budgets too, and keeps no e-mail address in the table', async () => {
    expect([await attempt(first, '2001:db8:5:1::1'), await attempt(second, '2001:db8:5:2::1')]).toEqual([400, 400]);
    expect(await attempt(first, '2001:db8:5:3::1')).toBe(429);
    expect((await send(first, '198.51.100.71', 'shared@example.com')).status).toBe(201);
    expect((await send(second, '198.51.100.72', 'Shared+x@example.com')).status).toBe(201);
    expect((await send(first, '198.51.100.73', 'shared@example.com')).status).toBe(429);

    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      const rows = await client.query(`SELECT key, points FROM "${first.env.DATABASE_SCHEMA}".consultation_rate_limits`);
      const keys = rows.rows.map((row: { key: string }) => row.key);
      expect(keys).toContain('consultation-48:2001:db8:5::/48');
      expect(keys.filter((key: string) => key.startsWith('consultation-to:'))).toHaveLength(1);
      expect(keys.join(' ')).not.toMatch(/shared|example\.com/i);
    } finally {
      await client.end();
    }
  });
});
