// The consultation form's flood limit: at most `limit` attempts per key per window (a fixed window that starts
// at the key's first attempt; attempts beyond the limit do not extend it). The keys are the client's address
// (IPv6 by its /64, which one home or server usually has whole), its IPv6 /48 (a site or an ISP's customer
// usually has a whole /48: 65,536 /64s, so the /64 alone would not hold one back), and the recipient the
// request names (middlewares/rate-limit.ts). The counts live in Postgres when the CMS runs
// on Postgres, in a table of their own beside Strapi's, so every CMS replica on that database shares one
// budget; on SQLite (one process) they live in memory. Used by the consultation-request API's rate-limit
// middleware; the limits come from the CMS settings (src/settings.ts).
import { isIPv4, isIPv6 } from 'node:net';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

type RateLimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/** The table the Postgres store keeps its counts in (created when missing). */
const RATE_LIMIT_TABLE = 'consultation_rate_limits';

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  if (!isIPv6(address)) return null;
  let text = address;
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => parseInt(group, 16));
  return groups.length === 8 ? groups : null;
}

/**
 * The rate-limit key for a client address: an IPv4 address as it is (also when written IPv4-mapped,
 * ::ffff:a.b.c.d); an IPv6 address by its /64 network (`2001:db8:0:1::/64`); anything else as given.
 */
export function rateLimitKey(address: string): string {
  const ip = address.trim().replace(/%.*$/, '');
  if (isIPv4(ip)) return ip;
  const groups = ipv6Groups(ip);
  if (!groups) return ip || 'unknown';
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/**
 * The IPv6 /48 network of a client address (`2001:db8:1::/48`), counted besides its /64; null for IPv4 (also
 * IPv4-mapped) and anything that is not an address: those have no wider network we could fairly count.
 */
export function networkKey(address: string): string | null {
  const ip = address.trim().replace(/%.*$/, '');
  const groups = isIPv4(ip) ? null : ipv6Groups(ip);
  if (!groups) return null;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) return null;
  return `${groups
    .slice(0, 3)
    .map((group) => group.toString(16))
    .join(':')}::/48`;
}

export type RateLimitStore = { kind: 'memory' } | { kind: 'postgres'; knex: unknown; schema: string };

export type RateLimiter = {
  readonly store: 'memory' | 'postgres';
  /** Resolves when the store is ready (the Postgres table exists); rejects when it cannot be. */
  readonly ready: Promise<void>;
  /** Counts one attempt for `key`; refuses it (with the wait) when the key is over the limit. */
  hit(key: string): Promise<RateLimitDecision>;
};

export type RateLimiterOptions = {
  /** Told apart in the shared table by this prefix (`consultation`, the client address's budget, by default). */
  keyPrefix?: string;
  /** Another limiter on the same table: this one waits for it to have created the table, instead of racing it. */
  after?: RateLimiter;
};

/** Creates the limiter: `limit` attempts per `windowMs`, counted in memory or in Postgres (over Strapi's knex). */
export function createRateLimiter(limit: number, windowMs: number, store: RateLimitStore, extra: RateLimiterOptions = {}): RateLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`The rate limit must be a whole number ≥ 1, not ${limit}.`);
  if (!Number.isFinite(windowMs) || windowMs < 1000)
    throw new Error(`The rate-limit window must be at least 1000 milliseconds, not ${windowMs}.`);
  const options = { points: limit, duration: windowMs / 1000, keyPrefix: extra.keyPrefix ?? 'consultation' };
  let limiter: RateLimiterAbstract;
  let ready: Promise<void>;
  if (store.kind === 'postgres') {
    const tableCreated = extra.after !== undefined;
    ready = (extra.after?.ready ?? Promise.resolve()).then(
      () =>
        new Promise<void>((resolve, reject) => {
          const create = (attempt: number) => {
            limiter = new RateLimiterPostgres(
              {
                ...options,
                storeClient: store.knex,
                storeType: 'knex',
                tableName: RATE_LIMIT_TABLE,
                schemaName: store.schema,
                tableCreated,
                // One limiter on the table clears expired rows (all prefixes): one DELETE every 5 minutes, not three.
                clearExpiredByTimeout: !tableCreated,
              },
              (error?: unknown) => {
                // Two replicas starting together may race to create the table: the loser tries once more.
                if (error && attempt === 0) setTimeout(() => create(1), 200 + Math.random() * 300);
                else if (error) reject(error instanceof Error ? error : new Error(String(error)));
                else resolve();
              },
            );
          };
          create(0);
        }),
    );
  } else {
    limiter = new RateLimiterMemory(options);
    ready = Promise.resolve();
  }
  return {
    store: store.kind,
    ready,
    async hit(key) {
      await ready;
      try {
        const result = await limiter.consume(key);
        return { allowed: true, remaining: result.remainingPoints };
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) return { allowed: false, retryAfterMs: outcome.msBeforeNext };
        throw outcome;
      }
    },
  };
}
