// What each test file took in a recent full run, kept in the repository (./test-durations.json) for the
// sequencer (./lane-sequencer.ts) to order files by when Vitest's own cache has no duration: a clean clone, i.e.
// every CI run. By size alone the order was off by up to ten times (incremental.test.ts is 10 KB and 100 s), and
// on two workers a long file started last runs alone at the end. Stale figures only make the order worse, never a
// result wrong. Refresh them after a full run with `npx node tests/support/recorded-durations.ts`, which reads
// the run's report (TEST_REPORT_DIR, default .test-report/; tests/support/time-report.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/common/paths.ts';

const RECORD = path.join(import.meta.dirname, 'test-durations.json');

/** File (relative to the repository) → milliseconds, as last recorded; empty when there is no record. */
export function recordedDurations(file = RECORD): Map<string, number> {
  try {
    return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>));
  } catch {
    return new Map();
  }
}

/** The record made from a run's report: each file's own time (lane waits left out), in milliseconds, sorted by file. */
export function durationsFromReport(report: { files: Array<{ file: string; seconds: number }> }): Record<string, number> {
  const entries = report.files.map(({ file, seconds }) => [file, Math.round(seconds * 1000)] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

if (import.meta.main) {
  const reportFile = path.resolve(ROOT, process.env.TEST_REPORT_DIR ?? '.test-report', 'test-times.json');
  const record = durationsFromReport(JSON.parse(readFileSync(reportFile, 'utf8')));
  writeFileSync(RECORD, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`Recorded ${Object.keys(record).length} files' durations from ${reportFile} into ${path.relative(ROOT, RECORD)}.`);
}
