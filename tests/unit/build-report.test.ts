// A build's report (SITE_BUILD_REPORT): where it goes, how it is read, and the log summary that stands in
// only when a build wrote none.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFailureSummary, readBuildReport, reportPathFor } from '../../scripts/rebuild/build-report.ts';

describe('build reports', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('go beside the output directory, never inside what is published', () => {
    const outDir = path.join(dir, 'builds', '20260101-1');
    const file = reportPathFor(`${outDir}/`);
    expect(path.dirname(file)).toBe(path.dirname(outDir));
    expect(file.startsWith(`${outDir}${path.sep}`)).toBe(false);
  });

  it('are read against the contract: a success, a failure, none at all', () => {
    const ok = path.join(dir, 'ok.json');
    writeFileSync(ok, JSON.stringify({ ok: true, content: { articles: 3, requests: 3, fetchMs: 12.5 }, pages: ['/', '/404.html'] }));
    expect(readBuildReport(ok)).toEqual({ ok: true, content: { articles: 3, requests: 3, fetchMs: 12.5 }, pages: ['/', '/404.html'] });

    const failed = path.join(dir, 'failed.json');
    writeFileSync(
      failed,
      JSON.stringify({ ok: false, error: { kind: 'unreachable', message: 'Cannot reach the CMS at http://127.0.0.1:9.' } }),
    );
    expect(readBuildReport(failed)).toMatchObject({ ok: false, error: { message: 'Cannot reach the CMS at http://127.0.0.1:9.' } });

    expect(readBuildReport(path.join(dir, 'none.json'))).toBeNull();
  });

  it('refuse a report that breaks the contract, naming the file and the field', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ok: true, content: { articles: -1, requests: 1, fetchMs: 0 }, pages: [] }));
    expect(() => readBuildReport(bad)).toThrow(/bad\.json does not match the contract.*content\.articles/);
    writeFileSync(bad, '{ not json');
    expect(() => readBuildReport(bad)).toThrow(/bad\.json is not JSON/);
  });

  it('fall back to the reason in Astro’s log, without its banner and stack trace, when there is no report', () => {
    const output = [
      '10:00:00 [build] generating static routes',
      '10:00:01 ▶ src/pages/index.astro',
      '[cms] Cannot reach the CMS at http://127.0.0.1:9: connection refused.',
      'Is it running? Start it with npm start.',
      '  Stack trace:',
      '    at load (file:///web/src/lib/cms.ts:1:1)',
    ].join('\n');
    expect(buildFailureSummary(output)).toBe(
      '[cms] Cannot reach the CMS at http://127.0.0.1:9: connection refused.\nIs it running? Start it with npm start.',
    );
  });

  it('read through the colours Astro adds to its log (as under CI=true): progress and warnings are not the reason', () => {
    const colour = (code: number, text: string) => `\u001b[${code}m${text}\u001b[39m`;
    const output = [
      `${colour(33, '\u001b[1m23:55:21\u001b[22m [WARN] [config]')} Something Astro wants to mention.`,
      `${colour(2, '23:55:22')} ${colour(34, '[build]')} Building static entrypoints...`,
      `${colour(31, '[ENOSPC]')} ENOSPC: no space left on device, write`,
      '    at writeFile (node:fs:1:1)',
    ].join('\n');
    expect(buildFailureSummary(output)).toBe('[ENOSPC] ENOSPC: no space left on device, write');
  });
});
