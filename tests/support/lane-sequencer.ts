// The order Vitest hands files to its two workers (vitest.config.ts). A file holds its lane while it runs
// (./lanes.ts, ./test-lane.ts): its project's, or one of its own. A worker given a file whose lane is busy sits
// idle until the lane is free, so this order plays the run through on the files' last durations (Vitest's
// cache; else the recorded ones, ./recorded-durations.ts, which is what a clean clone has; else the file's size,
// as Vitest's own sequencer does) with two workers: each time a worker comes free, it gets the next file of the
// free lane with the most work left.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { ROOT } from '../../scripts/common/paths.ts';
import { recordedDurations } from './recorded-durations.ts';
import { testLane } from './test-lane.ts';

const WORKERS = 2;

export default class LaneSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const cost = new Map<TestSpecification, number>();
    const recorded = recordedDurations();
    for (const spec of sorted) {
      const result = this.ctx.cache.getTestSpecificationResult(spec);
      // Without a duration, its size in bytes as milliseconds: about a second per kilobyte of test, the scale here.
      const known = result?.duration ?? recorded.get(path.relative(ROOT, spec.moduleId));
      cost.set(spec, known ?? (await stat(spec.moduleId)).size);
    }
    const out: TestSpecification[] = [];
    for (const group of new Set(sorted.map((spec) => spec.project.config.sequence.groupOrder))) {
      const lanes = new Map<string, TestSpecification[]>();
      for (const spec of sorted.filter((s) => s.project.config.sequence.groupOrder === group)) {
        const lane = testLane(spec.moduleId, spec.project.name);
        (lanes.get(lane) ?? lanes.set(lane, []).get(lane)!).push(spec);
      }
      for (const queue of lanes.values()) queue.sort((a, b) => cost.get(b)! - cost.get(a)!);
      out.push(...playThrough(lanes, cost));
    }
    return out;
  }
}

/** The order two workers would take `lanes`' files in, each lane one file at a time. */
export function playThrough(lanes: Map<string, TestSpecification[]>, cost: Map<TestSpecification, number>): TestSpecification[] {
  const order: TestSpecification[] = [];
  const workerFreeAt = Array.from({ length: WORKERS }, () => 0);
  const laneFreeAt = new Map([...lanes.keys()].map((lane) => [lane, 0]));
  const workLeft = (lane: string) => lanes.get(lane)!.reduce((sum, spec) => sum + cost.get(spec)!, 0);
  for (;;) {
    const waiting = [...lanes.keys()].filter((lane) => lanes.get(lane)!.length > 0);
    if (waiting.length === 0) return order;
    const worker = workerFreeAt.indexOf(Math.min(...workerFreeAt));
    // The worker starts at once on a free lane, or waits for the lane that frees first.
    const now = Math.max(workerFreeAt[worker]!, Math.min(...waiting.map((lane) => laneFreeAt.get(lane)!)));
    const lane = waiting.filter((name) => laneFreeAt.get(name)! <= now).sort((a, b) => workLeft(b) - workLeft(a))[0]!;
    const spec = lanes.get(lane)!.shift()!;
    order.push(spec);
    workerFreeAt[worker] = now + cost.get(spec)!;
    laneFreeAt.set(lane, workerFreeAt[worker]!);
  }
}
