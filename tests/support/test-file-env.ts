// Names the running test file in the environment, so a Strapi boot or a site build it starts (in this process
// or a child) is counted against it (scripts/common/run-counts.ts, read by ./time-report.ts).
import path from 'node:path';
import { beforeAll } from 'vitest';
import { ROOT } from '../../scripts/common/paths.ts';
import { RUN_TEST_FILE_ENV } from '../../scripts/common/run-counts.ts';

// Vitest hands the file's suite as the second argument; the first must be written as a destructuring pattern.
// eslint-disable-next-line no-empty-pattern
beforeAll(({}, suite) => {
  const file = 'filepath' in suite ? suite.filepath : suite.file.filepath;
  process.env[RUN_TEST_FILE_ENV] = path.relative(ROOT, file);
});
