// The consultation form's flood limit behind a proxy: the key is the address the trusted proxy saw (one
// configured hop; what a client writes into X-Forwarded-For itself is ignored), IPv6 counts by /64 and by /48,
// valid requests count per recipient mailbox whatever address sends them, and on Postgres two CMS processes
// share one budget. (429's answer and headers: consultation-request.test.ts.)
//
// Two CMSes, not four: without a proxy (the default) is the shared CMS, reached from a loopback address of this
// file's own (127.x.y.z), so its budget is not the one other files' requests use; behind one proxy is one CMS
// of this file's, on Postgres when the run has it, with a second process on its database for what two
// processes share (the limits are the same for both suites: 2 per address, 5 per /48, 2 per mailbox).
import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCms, type RunningCms } from '../../scripts/stack/cms-runner.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { TestCms } from '../support/cms.ts';
import { DATABASES } from '../support/databases.ts';

type Target = { url: string };

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

/** The same attempt sent from `localAddress` (a loopback address: the connection's address is the client's). */
function attemptFrom(cms: Target, localAddress: string, forwardedFor: string): Promise<number> {
  const url = new URL('/api/consultation-requests', cms.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ data: {} }));
  });
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

describe('rate limit without a trusted proxy (TRUSTED_PROXY_HOPS=0, the default: the shared CMS)', () => {
  let cms: TestCms;
  beforeAll(async () => {
    cms = await TestCms.shared();
  });

  it('ignores X-Forwarded-For: a client cannot pick a fresh address per request', async () => {
    expect(cms.env.TRUSTED_PROXY_HOPS ?? '0', 'the shared CMS runs with the default TRUSTED_PROXY_HOPS').toBe('0');
    // A loopback address nobody else uses: this file's attempts use up its budget, not 127.0.0.1's.
    const octet = () => 2 + Math.floor(Math.random() * 250);
    const own = `127.${octet()}.${octet()}.${octet()}`;
    const first = await attemptFrom(cms, own, '198.51.100.1');
    expect(first).toBe(400);
    // The budget the shared CMS runs with (the default, 5), as it logs it once its limiters are made.
    const logged = /Consultation requests: at most (\d+) per client address/.exec(cms.output.join('\n'));
    expect(logged, 'the shared CMS logs its consultation limits').not.toBeNull();
    const limit = Number(logged![1]);
    const statuses = [first];
    for (let i = 2; i <= limit + 2; i++) statuses.push(await attemptFrom(cms, own, i % 2 ? `198.51.100.${i}` : `2001:db8::${i}`));
    // Every attempt named a fresh address, and still the budget of the one connection's address ran out.
    expect(statuses).toEqual([...Array<number>(limit).fill(400), 429, 429]);
  });
});

/** Postgres when the run has it: the counts are in the database, and a second process shares them. */
const database = DATABASES.includes('postgres') ? 'postgres' : 'sqlite';

describe(`rate limit behind one trusted proxy (TRUSTED_PROXY_HOPS=1, ${database})`, () => {
  let cms: TestCms;
  /** On Postgres: a second CMS process on the same database and secrets, its own port (a replica). */
  let second: RunningCms | undefined;
  beforeAll(async () => {
    cms = await TestCms.boot({
      database,
      env: {
        CONSULTATION_RATE_LIMIT: '2',
        CONSULTATION_RATE_LIMIT_NETWORK: '5',
        CONSULTATION_RATE_LIMIT_EMAIL: '2',
        CONSULTATION_RATE_WINDOW_MS: '60000',
        // Without X-Forwarded-For the connection's address counts, as before; with it, the test picks networks.
        TRUSTED_PROXY_HOPS: '1',
      },
    });
    if (database === 'postgres') second = await startCms({ port: await freePort(), env: cms.env });
  });
  afterAll(async () => {
    await second?.stop();
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

  describe.runIf(database === 'postgres')('two CMS processes on one Postgres, one budget', () => {
    const other = () => ({ url: second!.url });

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
      expect(second).toBeDefined();
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
