// The consultation form's flood limit (src/http/rate-limit.ts, used by src/api/consultation-request/middlewares):
// the key a client address counts under, and the in-memory store (the Postgres one:
// tests/integration/consultation-form-post.test.ts, which also runs the limiter behind a trusted proxy).
import { describe, expect, it, vi } from 'vitest';
import { createRateLimiter, networkKey, rateLimitKey } from '../src/http/rate-limit.ts';

describe('rateLimitKey', () => {
  it('keeps an IPv4 address as it is, also when written IPv4-mapped', () => {
    expect(rateLimitKey('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitKey('::ffff:cb00:7107')).toBe('203.0.113.7');
  });

  it('keys an IPv6 address by its /64, whatever its spelling', () => {
    const key = '2001:db8:0:1::/64';
    for (const address of [
      '2001:db8:0:1::1',
      '2001:0db8:0000:0001:ffff:ffff:ffff:ffff',
      '2001:DB8:0:1:a:b:c:d',
      '2001:db8::1:0:0:0:5%eth0',
    ])
      expect(rateLimitKey(address), address).toBe(key);
    expect(rateLimitKey('2001:db8:0:2::1')).toBe('2001:db8:0:2::/64');
    expect(rateLimitKey('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitKey('fe80::1:2:3:4')).toBe('fe80:0:0:0::/64');
  });

  it('keeps anything else as given, and names a missing address', () => {
    expect(rateLimitKey('not-an-ip')).toBe('not-an-ip');
    expect(rateLimitKey('')).toBe('unknown');
  });
});

describe('networkKey', () => {
  it('keys an IPv6 address by its /48 too, so a /48 cannot spread a flood over 65,536 /64 budgets', () => {
    for (const address of ['2001:db8:1::1', '2001:db8:1:ffff:1:2:3:4', '2001:0DB8:0001:0002::7%eth0'])
      expect(networkKey(address), address).toBe('2001:db8:1::/48');
    expect(networkKey('2001:db8:2::1')).toBe('2001:db8:2::/48');
  });

  it('has no wider network for IPv4 (also IPv4-mapped) or what is not an address', () => {
    for (const address of ['203.0.113.7', '::ffff:203.0.113.7', 'not-an-ip', '']) expect(networkKey(address), address).toBeNull();
  });
});

describe('createRateLimiter (memory)', () => {
  it('allows `limit` attempts per window, then refuses with the time left in the window', async () => {
    const limiter = createRateLimiter(3, 60_000, { kind: 'memory' });
    expect(limiter.store).toBe('memory');
    expect(await limiter.hit('a')).toEqual({ allowed: true, remaining: 2 });
    expect(await limiter.hit('a')).toEqual({ allowed: true, remaining: 1 });
    expect(await limiter.hit('a')).toEqual({ allowed: true, remaining: 0 });
    const refused = await limiter.hit('a');
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(refused.retryAfterMs).toBeGreaterThan(59_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    // Another key has its own budget.
    expect(await limiter.hit('b')).toMatchObject({ allowed: true });
  });

  it('opens again when the window is over; refused attempts do not extend it', async () => {
    // On Vitest's fake clock: the window's end is an instant, checked a millisecond either side, not a sleep.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 0 });
    try {
      const limiter = createRateLimiter(1, 1_000, { kind: 'memory' });
      expect(await limiter.hit('a')).toMatchObject({ allowed: true });
      await vi.advanceTimersByTimeAsync(500);
      for (let i = 0; i < 5; i++) expect(await limiter.hit('a')).toEqual({ allowed: false, retryAfterMs: 500 });
      await vi.advanceTimersByTimeAsync(499);
      expect(await limiter.hit('a')).toEqual({ allowed: false, retryAfterMs: 1 });
      // The window opened by the first attempt ends at 1,000 ms, whatever was refused since.
      await vi.advanceTimersByTimeAsync(1);
      expect(await limiter.hit('a')).toMatchObject({ allowed: true });
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses nonsense limits', () => {
    expect(() => createRateLimiter(0, 60_000, { kind: 'memory' })).toThrow(/whole number/);
    expect(() => createRateLimiter(5, 10, { kind: 'memory' })).toThrow(/at least 1000 milliseconds/);
  });
});
