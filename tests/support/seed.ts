// The seed of every randomised test, so a failure can be replayed. CI runs the same sequence each time (a fixed
// seed unless TEST_SEED says otherwise); TEST_SEED=<number> replays one; TEST_SEED=random picks a fresh one, to
// explore new sequences on purpose. Whatever the seed, a failing test prints it with the line that replays it.
import { afterEach } from 'vitest';

/** The seed when TEST_SEED is unset: the same sequences on every run and every machine. */
export const DEFAULT_SEED = 1000;

/** The seed TEST_SEED asks for (`random`: a fresh one); DEFAULT_SEED when it is unset. */
export function testSeed(value = process.env.TEST_SEED): number {
  if (value === undefined || value.trim() === '') return DEFAULT_SEED;
  if (value.trim() === 'random') return Math.floor(Math.random() * 1_000_000_000);
  const seed = Number(value);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(`TEST_SEED must be a whole number ≥ 0 (the seed a failed test printed) or "random"; it is "${value}".`);
  return seed;
}

/** A small seeded generator (mulberry32), uniform in [0, 1): the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How to replay a run with this seed, for a failure message. */
export const replayHint = (seed: number) => `seed ${seed}: TEST_SEED=${seed} replays it`;

/**
 * The seed for the randomised tests of the suite this is called in (at collection, inside `describe`): reads
 * TEST_SEED, and after any of the suite's tests fails prints which seed it ran with and how to replay it.
 */
export function suiteSeed(name: string): number {
  const seed = testSeed();
  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.error(`${name}: failed with ${replayHint(seed)}.`);
  });
  return seed;
}
