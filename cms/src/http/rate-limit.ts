// An in-memory sliding-window rate limit, per key (the client's IP). In memory on purpose: one Strapi
// process, no extra service; a restart forgets the counts. Several Strapi instances would each count on
// their own (then put the limit in the proxy, or a shared store, instead). Used by the consultation-request
// API's rate-limit middleware; its limits come from the CMS settings (src/settings.ts).

export type RateLimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(limit: number, windowMs: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`The rate limit must be a whole number ≥ 1, not ${limit}.`);
    if (!Number.isFinite(windowMs) || windowMs < 1)
      throw new Error(`The rate-limit window must be a positive number of milliseconds, not ${windowMs}.`);
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
