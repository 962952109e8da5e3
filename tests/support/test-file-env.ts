// Every test file's setup: names the running file in the environment, so a Strapi boot or a site build it
// starts (in this process or a child) is counted against it (scripts/common/run-counts.ts, read by
// ./time-report.ts); and, in the projects the fixture broker serves, holds the file's lane while it runs
// (./lanes.ts, ./test-lane.ts), so the files that share their project's fixtures never run at once.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { ROOT } from '../../scripts/common/paths.ts';
import { RUN_COUNTS_ENV, RUN_TEST_FILE_ENV } from '../../scripts/common/run-counts.ts';
import { acquireLane, brokerAvailable, releaseLane } from './fixtures.ts';
import { testLane } from './test-lane.ts';

let file = '';
let holding: string | null = null;

// Vitest hands the file's suite as the second argument; the first must be written as a destructuring pattern.
// eslint-disable-next-line no-empty-pattern
beforeAll(async ({}, suite) => {
  const filepath = 'filepath' in suite ? suite.filepath : suite.file.filepath;
  file = path.relative(ROOT, filepath);
  process.env[RUN_TEST_FILE_ENV] = file;
  if (!brokerAvailable()) return;
  const lane = testLane(filepath, inject('fixtureScope'));
  const waitedMs = await acquireLane(lane, file);
  holding = lane;
  // The time report takes the wait out of the file's own time (it was the other file's).
  const counts = process.env[RUN_COUNTS_ENV];
  if (counts && waitedMs > 0) appendFileSync(counts, `${JSON.stringify({ kind: 'lane-wait', test: file, ms: waitedMs })}\n`);
}, 60 * 60_000);

// Registered first, so it runs after the file's own afterAll hooks (Vitest runs after-hooks in reverse).
afterAll(async () => {
  if (holding) await releaseLane(holding, file);
  holding = null;
});
