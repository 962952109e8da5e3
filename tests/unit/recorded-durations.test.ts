// The recorded durations the sequencer orders a clean clone's run by (tests/support/recorded-durations.ts): made
// from a run's report without the lane waits, read back as they were written, and none when there is no record.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { durationsFromReport, recordedDurations } from '../support/recorded-durations.ts';

describe('recorded test durations', () => {
  it("records each file's own seconds as milliseconds, sorted by file, and reads them back", () => {
    const record = durationsFromReport({
      files: [
        { file: 'tests/integration/b.test.ts', seconds: 100.74 },
        { file: 'tests/e2e/a.test.ts', seconds: 0.02 },
      ],
    });
    expect(Object.entries(record)).toEqual([
      ['tests/e2e/a.test.ts', 20],
      ['tests/integration/b.test.ts', 100740],
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'agency-durations-')), 'record.json');
    writeFileSync(file, JSON.stringify(record));
    expect(recordedDurations(file).get('tests/integration/b.test.ts')).toBe(100740);
  });

  it('has no durations without a readable record (the sequencer then goes by file size)', () => {
    expect(recordedDurations(path.join(tmpdir(), 'no-such-record.json')).size).toBe(0);
  });
});
