// Server-side, for the CMS's consultation requests (here so the unit tests can reach it).
// An in-memory sliding-window rate limit, per key (the client's IP). In memory on purpose: one Strapi
// process, no extra service; a restart forgets the counts. Several Strapi instances would each count on
// their own (then put the limit in the proxy, or a shared store, instead).

export type RateLimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(limit: number, windowMs: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`The rate limit must be a whole number ≥ 1, not ${limit}.`);
    if (!Number.isFinite(windowMs) || windowMs < 1) throw new Error(`The rate-limit window must be a positive number of milliseconds, not ${windowMs}.`);
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Counts one attempt for `key` unless the key is over the limit; refused attempts are not counted. */
  hit(key: string, now = Date.now()): RateLimitDecision {
    this.sweep(now);
    const since = now - this.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((at) => at > since);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return { allowed: false, retryAfterMs: recent[0]! + this.windowMs - now };
    }
    recent.push(now);
    this.hits.set(key, recent);
    return { allowed: true, remaining: this.limit - recent.length };
  }

  /** How many keys are tracked (for tests). */
  get size(): number {
    return this.hits.size;
  }

  /** Forgets keys with no attempt inside the window, at most once per window, so memory stays bounded. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    const since = now - this.windowMs;
    for (const [key, times] of this.hits) if (!times.some((at) => at > since)) this.hits.delete(key);
  }
}

export const DEFAULT_RATE_LIMIT = 5;
export const DEFAULT_RATE_WINDOW_MS = 10 * 60_000;

/** Reads CONSULTATION_RATE_LIMIT and CONSULTATION_RATE_WINDOW_MS; throws a message naming a bad value. */
export function rateLimitSettings(env: Record<string, string | undefined> = process.env): { limit: number; windowMs: number } {
  const read = (name: string, fallback: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, but it is "${raw}".`);
    return value;
  };
  return { limit: read('CONSULTATION_RATE_LIMIT', DEFAULT_RATE_LIMIT), windowMs: read('CONSULTATION_RATE_WINDOW_MS', DEFAULT_RATE_WINDOW_MS) };
}
