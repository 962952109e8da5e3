// The consultation form's flood limit (src/http/rate-limit.ts, used by src/api/consultation-request/middlewares):
// a sliding window per key. Its limits are settings (test/settings.test.ts).
import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../src/http/rate-limit.ts';

describe('SlidingWindowLimiter', () => {
  it('allows `limit` attempts per window, then refuses with the time until the oldest leaves the window', () => {
    const limiter = new SlidingWindowLimiter(3, 10_000);
    expect(limiter.hit('a', 0)).toEqual({ allowed: true, remaining: 2 });
    expect(limiter.hit('a', 1_000)).toEqual({ allowed: true, remaining: 1 });
    expect(limiter.hit('a', 2_000)).toEqual({ allowed: true, remaining: 0 });
    expect(limiter.hit('a', 3_000)).toEqual({ allowed: false, retryAfterMs: 7_000 });
    // Another key has its own budget.
    expect(limiter.hit('b', 3_000)).toMatchObject({ allowed: true });
    // The window slides: at 10 s the first attempt has left it, so one more is allowed, and no more.
    expect(limiter.hit('a', 10_000)).toMatchObject({ allowed: true });
    expect(limiter.hit('a', 10_500)).toEqual({ allowed: false, retryAfterMs: 500 });
  });

  it('does not count refused attempts (a flood does not extend its own wait)', () => {
    const limiter = new SlidingWindowLimiter(1, 1_000);
    limiter.hit('a', 0);
    for (let t = 1; t < 1_000; t += 100) expect(limiter.hit('a', t)).toMatchObject({ allowed: false });
    expect(limiter.hit('a', 1_000)).toMatchObject({ allowed: true });
  });

  it('forgets idle keys, so memory stays bounded', () => {
    const limiter = new SlidingWindowLimiter(5, 1_000);
    for (let i = 0; i < 100; i++) limiter.hit(`ip-${i}`, 0);
    expect(limiter.size).toBe(100);
    limiter.hit('late', 5_000);
    expect(limiter.size).toBe(1);
  });
});
