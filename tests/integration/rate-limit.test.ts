// The consultation form's flood limit without a proxy (TRUSTED_PROXY_HOPS=0, the default), on the shared CMS:
// the connection's address is the client's, and what a client writes into X-Forwarded-For is ignored. It is
// reached from a loopback address of this file's own (127.x.y.z), so its budget is not the one other files'
// requests use. Behind a trusted proxy (IPv6 by /64 and /48, per recipient mailbox, two processes on one
// Postgres) is consultation-form-post.test.ts's, on its CMS (one boot for both); 429's answer and headers are
// consultation-request.test.ts's.
import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { TestCms } from '../support/cms.ts';

type Target = { url: string };

/**
 * An invalid submission sent from `localAddress` (a loopback address: the connection's address is the client's):
 * refused with 400 when within the budget (every attempt counts), 429 beyond it.
 */
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
