// The lanes that keep one project's test files one at a time while two workers run (tests/support/lanes.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestSpecification } from 'vitest/node';
import { playThrough } from '../support/lane-sequencer.ts';
import { Lanes } from '../support/lanes.ts';
import { testLane } from '../support/test-lane.ts';

const never = new AbortController().signal;

describe('test lanes', () => {
  it('gives a free lane at once, and a held one to the waiters in turn as each gives it back', async () => {
    const lanes = new Lanes();
    const order: string[] = [];
    await lanes.acquire('integration', { file: 'a', pid: process.pid }, never);
    const b = lanes.acquire('integration', { file: 'b', pid: process.pid }, never).then(() => order.push('b'));
    const c = lanes.acquire('integration', { file: 'c', pid: process.pid }, never).then(() => order.push('c'));
    // Another project's lane is its own.
    await lanes.acquire('e2e', { file: 'x', pid: process.pid }, never);
    await Promise.resolve();
    expect(order).toEqual([]);
    lanes.release('integration', { file: 'c', pid: process.pid }); // not the holder: nothing moves
    await Promise.resolve();
    expect(order).toEqual([]);
    lanes.release('integration', { file: 'a', pid: process.pid });
    await b;
    expect(order).toEqual(['b']);
    lanes.release('integration', { file: 'b', pid: process.pid });
    await c;
    expect(order).toEqual(['b', 'c']);
  });

  it('takes a lane back from a holder whose process is gone', async () => {
    const lanes = new Lanes();
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    await lanes.acquire('e2e', { file: 'crashed', pid }, never);
    await lanes.acquire('e2e', { file: 'next', pid: process.pid }, never);
  });

  it('forgets a waiter whose request closed', async () => {
    const lanes = new Lanes();
    await lanes.acquire('e2e', { file: 'a', pid: process.pid }, never);
    const gone = new AbortController();
    const waiting = lanes.acquire('e2e', { file: 'b', pid: process.pid }, gone.signal);
    gone.abort();
    await expect(waiting).rejects.toThrow(/b stopped waiting for the e2e lane/);
    lanes.release('e2e', { file: 'a', pid: process.pid });
    // The lane is free again, not handed to the waiter that left.
    await lanes.acquire('e2e', { file: 'c', pid: process.pid }, never);
  });
});

describe('the order of a run', () => {
  it("puts a file in its project's lane unless it names its own (`// @test-lane: own`) or another", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lanes-'));
    writeFileSync(path.join(dir, 'a.test.ts'), "// A suite.\nimport 'x';\n");
    writeFileSync(path.join(dir, 'b.test.ts'), '// A suite that boots its own CMS.\n// @test-lane: own\n');
    expect(testLane(path.join(dir, 'a.test.ts'), 'integration')).toBe('integration');
    expect(testLane(path.join(dir, 'b.test.ts'), 'integration')).toBe(`own:${path.join(dir, 'b.test.ts')}`);
    writeFileSync(path.join(dir, 'c.test.ts'), '// A suite that runs npm start.\n// @test-lane: npm-start\n');
    expect(testLane(path.join(dir, 'c.test.ts'), 'e2e')).toBe('lane:npm-start');
  });

  it('gives each free worker the next file of the free lane with the most work left, so no worker waits', () => {
    const spec = (name: string) => ({ moduleId: name }) as TestSpecification;
    const [i1, i2, i3, e1, e2, own] = ['i1', 'i2', 'i3', 'e1', 'e2', 'own'].map(spec) as TestSpecification[];
    const cost = new Map([i1, i2, i3, e1, e2, own].map((s, n) => [s!, [100, 60, 40, 90, 30, 50][n]!]));
    const lanes = new Map([
      ['integration', [i1!, i2!, i3!]],
      ['e2e', [e1!, e2!]],
      ['own:x', [own!]],
    ]);
    // Two integration files in a row would leave a worker waiting for the integration lane.
    expect(playThrough(lanes, cost).map((s) => s.moduleId)).toEqual(['i1', 'e1', 'own', 'i2', 'e2', 'i3']);
  });
});
