// The seed every randomised test takes (tests/support/seed.ts): fixed unless TEST_SEED says otherwise, a number
// replays, `random` explores, anything else is refused saying what to write; the same seed, the same sequence.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, replayHint, seededRandom, testSeed } from '../support/seed.ts';

describe('TEST_SEED', () => {
  it('is the fixed default when unset or empty, so CI runs the same sequences every time', () => {
    expect(testSeed(undefined)).toBe(DEFAULT_SEED);
    expect(testSeed('')).toBe(DEFAULT_SEED);
  });

  it('replays the seed a failure printed, and picks a fresh one for "random"', () => {
    expect(testSeed('123456')).toBe(123456);
    expect(testSeed(' 42 ')).toBe(42);
    const fresh = new Set(Array.from({ length: 5 }, () => testSeed('random')));
    expect(fresh.size).toBeGreaterThan(1);
    for (const seed of fresh) expect(Number.isSafeInteger(seed) && seed >= 0).toBe(true);
    expect(replayHint(77)).toBe('seed 77: TEST_SEED=77 replays it');
  });

  it('refuses anything else, saying what it takes', () => {
    for (const bad of ['abc', '-1', '1.5', '1e400'])
      expect(() => testSeed(bad)).toThrow(
        `TEST_SEED must be a whole number ≥ 0 (the seed a failed test printed) or "random"; it is "${bad}".`,
      );
  });
});

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, another for another, uniform in [0, 1)', () => {
    const take = (seed: number) => Array.from({ length: 1000 }, seededRandom(seed));
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
    const values = take(DEFAULT_SEED);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    // Spread over the interval: each tenth gets some of a thousand draws.
    expect(new Set(values.map((value) => Math.floor(value * 10))).size).toBe(10);
  });

  it('is pinned: mulberry32, whose seed 1 starts 0.6270739405…, so a seed printed today replays the same sequence later', () => {
    expect(Array.from({ length: 3 }, seededRandom(1))).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });
});
