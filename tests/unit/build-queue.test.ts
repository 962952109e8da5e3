// The coalescing rules of the real queue, on Vitest's fake clock: its timers and Date.now() move only when the
// test advances them, so every wait is checked to the millisecond (not "under 300 ms" on a loaded machine), and
// "not yet" is a fact at a given instant instead of a sleep. The runner takes fake time too.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleep } from '../../scripts/common/sleep.ts';
import { BuildQueue, type QueueOptions } from '../../scripts/rebuild/build-queue.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Advances the fake clock by `ms`, running every timer due meanwhile and the promises they settle. */
const pass = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** A queue whose runner records each build's events and start time, then takes `buildMs` of fake time. */
function recordingQueue(buildMs: number, options: QueueOptions<number> = { quietMs: 50, maxWaitMs: 200 }) {
  const builds: Array<{ events: number[]; at: number }> = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const queue = new BuildQueue<number>(async (events) => {
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    builds.push({ events, at: Date.now() });
    await sleep(buildMs);
    concurrent--;
  }, options);
  return { queue, builds, events: () => builds.map((build) => build.events), maxConcurrent: () => maxConcurrent };
}

/** Runs the clock until the queue is idle; fails, naming what is left, if it is not within `limitMs`. */
async function untilIdle(queue: BuildQueue<number>, limitMs = 60_000): Promise<void> {
  let idle = false;
  void queue.idle().then(() => (idle = true));
  for (let waited = 0; !idle; waited += 10) {
    if (waited > limitMs) throw new Error(`the queue is not idle after ${limitMs} ms; queued: ${JSON.stringify(queue.queued)}`);
    await pass(10);
  }
}

describe('BuildQueue', () => {
  it('waits for a quiet window, then builds once for everything that came', async () => {
    const { queue, builds, events } = recordingQueue(10);
    queue.add(1);
    await pass(20);
    queue.add(2);
    // The window starts again at each event: at 69 ms nothing has started, at 70 ms (2's window over) it has.
    await pass(49);
    expect(builds).toEqual([]);
    await pass(1);
    expect(builds).toEqual([{ events: [1, 2], at: 70 }]);
    await untilIdle(queue);
    expect(events()).toEqual([[1, 2]]);
  });

  it('never waits longer than the maximum, even while events keep coming', async () => {
    const { queue, builds, events } = recordingQueue(10, { quietMs: 50, maxWaitMs: 120 });
    for (let i = 0; i < 10; i++) {
      queue.add(i);
      await pass(30);
    }
    await untilIdle(queue);
    // An event every 30 ms never leaves a 50 ms quiet window: the first build starts at the maximum, 120 ms.
    expect(builds[0]!.at).toBe(120);
    expect(events().flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('turns a burst of 50 events in 2 s into at most 2 builds, one at a time, the last event included', async () => {
    const { queue, events, maxConcurrent } = recordingQueue(300, { quietMs: 100, maxWaitMs: 1000 });
    for (let i = 0; i < 50; i++) {
      queue.add(i); // 50 events spread evenly over 2 s
      await pass(40);
    }
    await untilIdle(queue);
    expect(events().length).toBeLessThanOrEqual(2);
    expect(maxConcurrent()).toBe(1);
    expect(events().flat()).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('starts at once for an event marked startsAtOnce that finds it idle; what follows coalesces behind that build', async () => {
    const { queue, builds } = recordingQueue(100, { quietMs: 200, maxWaitMs: 1000, startsAtOnce: (event) => event < 10 });
    queue.add(1);
    await pass(0);
    expect(builds).toEqual([{ events: [1], at: 0 }]); // not after the 200 ms window
    await pass(30); // build 1 is running
    queue.add(2); // marked, but the queue is busy: it waits for the build, then its quiet window
    queue.add(3);
    await untilIdle(queue);
    // The second build waited out its quiet window after the first ended (at 100 ms), not just the build.
    expect(builds[1]).toEqual({ events: [2, 3], at: 300 });

    // An unmarked event that finds it idle waits out the window, and a marked one arriving meanwhile joins it.
    const from = Date.now();
    queue.add(20);
    queue.add(4);
    await pass(199);
    expect(builds).toHaveLength(2);
    await pass(1);
    expect(builds[2]).toEqual({ events: [20, 4], at: from + 200 });
    await untilIdle(queue);
  });

  it('queues at most one build behind the running one', async () => {
    const { queue, builds, events, maxConcurrent } = recordingQueue(200, { quietMs: 10, maxWaitMs: 20 });
    queue.add(1);
    await pass(50); // build 1 (from 10 ms to 210 ms) is running
    expect(queue.building).toBe(true);
    queue.add(2);
    queue.add(3);
    queue.add(4);
    expect(queue.queued).toEqual([2, 3, 4]);
    // Their window and maximum are long over at 200 ms, yet they wait for the running build to end.
    await pass(150);
    expect(queue.queued).toEqual([2, 3, 4]);
    await untilIdle(queue);
    expect(events()).toEqual([[1], [2, 3, 4]]);
    // At once when build 1 ended at 210 ms, their maximum wait being over (a 0 ms timer fires 1 ms on, as in Node).
    expect(builds[1]!.at).toBe(211);
    expect(maxConcurrent()).toBe(1);
  });

  it('keeps going after a failed build', async () => {
    const seen: number[][] = [];
    const queue = new BuildQueue<number>(
      async (events) => {
        seen.push(events);
        if (events.includes(1)) throw new Error('boom');
      },
      { quietMs: 10, maxWaitMs: 20 },
    );
    queue.add(1);
    await untilIdle(queue);
    queue.add(2);
    await untilIdle(queue);
    expect(seen).toEqual([[1], [2]]);
  });
});
