// The build report file (SITE_BUILD_REPORT, schema in shared/src/build-report.ts): how the site build tells
// whoever ran it what happened, without them reading Astro's log. Three writers fill it in turn, and none
// of them shares memory with another (Astro loads the content loader in a Vite server of its own), so they
// hand over through the file itself:
//   1. the integration (src/integrations/build-report.ts), when the build starts: "started, not finished";
//   2. the content loader (src/content/loader.ts): the content figures, or why the content could not be had;
//   3. the integration again, when every page is written: ok, the figures and the pages.
// A reader therefore always finds a valid report of the latest build, and a build that died half-way says so.
// Every write is atomic (a temporary file renamed over the report): a reader never sees half a file.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BuildReportSchema, InvalidContentError, type BuildContentStats, type BuildFailure, type BuildReport } from '@agency/shared';
import { CmsError } from '../cms/errors.ts';

/** Written when the build starts, replacing any older report: a build that never gets further says so. */
export const STARTED: BuildFailure = {
  kind: 'build',
  message: 'The site build started but did not finish; its output says why.',
};

/** Written once the content is in, until the pages are written. */
export const CONTENT_FETCHED: BuildFailure = {
  kind: 'build',
  message: 'The site build fetched its content but stopped before every page was written; its output says why.',
};

/** The report's view of an error: the CmsError's kind, `invalid-content` for invalid content, else `build`. */
export function buildFailure(error: unknown): BuildFailure {
  const message = (error instanceof Error ? error.message : String(error)).trim() || 'The site build failed.';
  if (error instanceof CmsError) return { kind: error.kind, message };
  if (error instanceof InvalidContentError) return { kind: 'invalid-content', message };
  return { kind: 'build', message };
}

/** Writes the whole report atomically. The report is checked against the schema first: a bug shows here. */
export function writeBuildReport(file: string, report: BuildReport): void {
  const valid = BuildReportSchema.parse(report);
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(valid, null, 2)}\n`);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The report as it is now, or null when there is none (or it is not a valid report). */
export function readBuildReport(file: string): BuildReport | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = BuildReportSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The content figures the loader wrote into the report, if it got that far. */
export function reportedContent(file: string): BuildContentStats | undefined {
  return readBuildReport(file)?.content;
}
