// What a site build reports: the JSON file the web build writes where SITE_BUILD_REPORT says
// (shared/src/build-report.ts defines it), read and checked against the contract's schema. The rebuild
// service, the benchmarks and the tests take a build's outcome and figures from it, not from Astro's log.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { BuildReportSchema, type BuildReport } from '@agency/shared';

/** Where a build into `outDir` writes its report: beside the output directory, never inside what is published. */
export function reportPathFor(outDir: string): string {
  return `${outDir.replace(/[\\/]+$/, '')}.build-report.json`;
}

/**
 * The report at `file`, or null when the build wrote none (Astro failed before the content loader ran, or the
 * build was killed). A report that is not valid JSON or does not match BuildReportSchema is a bug in the
 * writer: it throws, naming the file and what is wrong.
 */
export function readBuildReport(file: string): BuildReport | null {
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`The build report ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = BuildReportSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new Error(`The build report ${file} does not match the contract (BuildReportSchema): ${problems}`);
  }
  return parsed.data;
}

/** Removes a report, so the next build's cannot be confused with an old one. */
export function removeBuildReport(file: string): void {
  rmSync(file, { force: true });
}

/**
 * The reason an Astro build failed, from its log, in a few lines: the data module's own message (CMS down,
 * token rejected, invalid content…) without Astro's banner and stack trace. Only the fallback for a build
 * that wrote no report (Astro crashed before the content loader ran, or a web build without the writer):
 * when there is a report, its `error.message` is the reason.
 */
export function buildFailureSummary(output: string, maxLines = 12): string {
  // Astro colours its log when it thinks a terminal may show it (CI=true does): the colour codes would hide
  // the timestamps below from the filter and reach /status as noise.
  const lines = stripVTControlCharacters(output).split(/\r?\n/);
  const start = lines.findLastIndex((line) => line.includes('generating static routes'));
  const picked: string[] = [];
  for (const line of start >= 0 ? lines.slice(start + 1) : lines) {
    if (/^\s*(Stack trace:|at\s)/.test(line)) break;
    // Astro's own progress lines (timestamps, the page tree, "(+1.2s)" timings) are not the reason.
    if (/^\d\d:\d\d:\d\d\s/.test(line) || /[├└]─|^\s*\(\+[\d.]+m?s\)\s*$/.test(line) || line.trim() === '') continue;
    picked.push(line.replace(/\s+$/, ''));
    if (picked.length >= maxLines) break;
  }
  const text = picked.join('\n').trim();
  return (
    text ||
    lines
      .filter((line) => line.trim())
      .slice(-maxLines)
      .join('\n')
  );
}
