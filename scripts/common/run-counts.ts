// Counts the expensive steps a test run takes (a Strapi boot, a site build) so the test report can say which
// file paid for how many (tests/support/time-report.ts). Off unless RUN_COUNTS_FILE names the file to append
// to: `npm test` sets it, and every process the tests start inherits it, so a boot in a child counts too.
import { appendFileSync } from 'node:fs';

/** A Strapi process that loads the app (`strapi start`, or the CLI's export/import); a site build in full, or an incremental update of one. */
export type RunKind = 'strapi-boot' | 'site-build' | 'site-update' | 'preview-build';

export const RUN_COUNTS_ENV = 'RUN_COUNTS_FILE';
/** The test file a step ran for: set by the tests' setup (tests/support/test-file-env.ts), inherited by children. */
export const RUN_TEST_FILE_ENV = 'RUN_TEST_FILE';

export function countRun(kind: RunKind): void {
  const file = process.env[RUN_COUNTS_ENV];
  if (!file) return;
  try {
    appendFileSync(file, `${JSON.stringify({ kind, test: process.env[RUN_TEST_FILE_ENV] ?? null })}\n`);
  } catch {
    /* a count is never worth failing a run for */
  }
}
