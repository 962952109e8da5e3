// The coalescing rules, with a real timer-driven queue and a runner that takes real time.
import { describe, expect, it } from 'vitest';
import { sleep } from '../../scripts/common/sleep.ts';
import { BuildQueue } from '../../scripts/rebuild/build-queue.ts';

function recordingQueue(buildMs: number, options = { quietMs: 50, maxWaitMs: 200 }) {
  const builds: number[][] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const queue = new BuildQueue<number>(async (events) => {
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    builds.push(events);
    await sleep(buildMs);
    concurrent--;
  }, options);
  return { queue, builds, maxConcurrent: () => maxConcurrent };
}

describe('BuildQueue', () => {
  it('waits for a quiet window, then builds once for everything that came', async () => {
    const { queue, builds } = recordingQueue(10);
    queue.add(1);
    await sleep(20);
    queue.add(2);
    expect(builds).toEqual([]);
    await queue.idle();
    expect(builds).toEqual([[1, 2]]);
  });

  it('never waits longer than the maximum, even while events keep coming', async () => {
    const { queue, builds } = recordingQueue(10, { quietMs: 50, maxWaitMs: 120 });
    const started = Date.now();
    let firstBuildAt = 0;
    for (let i = 0; i < 10; i++) {
      queue.add(i);
      await sleep(30);
      if (!firstBuildAt && builds.length > 0) firstBuildAt = Date.now() - started;
    }
    await queue.idle();
    expect(firstBuildAt).toBeGreaterThan(0);
    expect(firstBuildAt).toBeLessThan(300);
    expect(builds.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('turns a burst of 50 events in 2 s into at most 2 builds, one at a time, the last event included', async () => {
    const { queue, builds, maxConcurrent } = recordingQueue(300, { quietMs: 100, maxWaitMs: 1000 });
    const start = Date.now();
    for (let i = 0; i < 50; i++) {
      await sleep(start + i * 40 - Date.now()); // 50 events spread evenly over 2 s, without timer drift
      queue.add(i);
    }
    await queue.idle();
    expect(builds.length).toBeLessThanOrEqual(2);
    expect(maxConcurrent()).toBe(1);
    expect(builds.flat()).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('starts at once for an event marked startsAtOnce that finds it idle; what follows coalesces behind that build', async () => {
    const builds: Array<{ events: number[]; at: number }> = [];
    const started = Date.now();
    const queue = new BuildQueue<number>(
      async (events) => {
        builds.push({ events, at: Date.now() - started });
        await sleep(100);
      },
      { quietMs: 200, maxWaitMs: 1000, startsAtOnce: (event) => event < 10 },
    );
    queue.add(1);
    await sleep(30); // build 1 is running
    queue.add(2); // marked, but the queue is busy: it waits for the build, then its quiet window
    queue.add(3);
    await queue.idle();
    expect(builds.map((build) => build.events)).toEqual([[1], [2, 3]]);
    expect(builds[0]!.at).toBeLessThan(150); // not the 200 ms window
    // The second build waited out its quiet window after the first ended (~100 ms), not just the build.
    expect(builds[1]!.at).toBeGreaterThanOrEqual(290);

    // An unmarked event that finds it idle waits out the window, and a marked one arriving meanwhile joins it.
    const from = Date.now();
    queue.add(20);
    queue.add(4);
    await queue.idle();
    expect(builds.at(-1)!.events).toEqual([20, 4]);
    expect(builds.at(-1)!.at - (from - started)).toBeGreaterThanOrEqual(190);
  });

  it('queues at most one build behind the running one', async () => {
    const { queue, builds } = recordingQueue(200, { quietMs: 10, maxWaitMs: 20 });
    queue.add(1);
    await sleep(50); // build 1 is running
    queue.add(2);
    queue.add(3);
    queue.add(4);
    expect(queue.queued).toEqual([2, 3, 4]);
    await queue.idle();
    expect(builds).toEqual([[1], [2, 3, 4]]);
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
    await queue.idle();
    queue.add(2);
    await queue.idle();
    expect(seen).toEqual([[1], [2]]);
  });
});
