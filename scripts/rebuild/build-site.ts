// Building the static site with Astro: one place, used by the rebuild service (so `npm start` and production),
// the tests and the benchmarks. Each build gets its own report file (SITE_BUILD_REPORT) beside its output
// directory, and the parsed report comes back with the result.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BUILD_REPORT_ENV, type BuildReport } from '@agency/shared';
import { run } from '../common/children.ts';
import { withLock } from '../common/lock.ts';
import { countRun } from '../common/run-counts.ts';
import { WEB_DIR } from '../common/paths.ts';
import { readBuildReport, removeBuildReport, reportPathFor } from './build-report.ts';
import type { UpdateOutcome } from './build-worker-protocol.ts';
import type { WarmBuilder } from './warm-builder.ts';

/** Astro's CLI, run with this process's Node (24) whatever `node` the shell has. */
export const ASTRO_BIN = path.join(
  path.dirname(createRequire(import.meta.url).resolve('astro/package.json', { paths: [WEB_DIR] })),
  'bin',
  'astro.mjs',
);

/** Held by every Astro build on this checkout (the site's and the preview server's). */
export const ASTRO_LOCK = path.join(WEB_DIR, '.astro', 'build.lock');
export const ASTRO_LOCK_STALE_MS = 5 * 60_000;

export type SiteBuild = {
  /** Astro exited 0 and the report, when there is one, says ok. */
  ok: boolean;
  durationMs: number;
  /** Astro's log, for a person (and the failure summary when no report was written). */
  output: string;
  outDir: string;
  /** What the build reported; null when it wrote no report (Astro failed before the content loader ran). */
  report: BuildReport | null;
  /** Whether a warm worker ran it (./warm-builder.ts); false for a fresh `astro build` process. */
  warm: boolean;
  /** With a builder: its worker's memory after the build, as /status shows it; otherwise null. */
  workerRssBytes: number | null;
  /** For an incremental build: what it did, or why it did not apply (then nothing was built). */
  incremental: UpdateOutcome | null;
  /** The build had not ended by its deadline (`timeoutMs`): it was stopped, and `ok` is false. */
  timedOut: boolean;
};

/**
 * Builds the site from the CMS at `cmsUrl` into `outDir`: in a fresh `astro build` process, or with `builder`, in
 * its warm worker (the same build, without the start-up). Never throws for a failed build: read `ok`.
 */
export async function buildSite(options: {
  cmsUrl: string;
  outDir: string;
  env?: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
  builder?: WarmBuilder;
  /**
   * With a builder: only re-render what these articles' publish changed, starting from the live build `from`
   * (web/src/incremental/update-site.ts), or (`reindex`) only make its search index again. When that does not
   * apply, `incremental.applied` is false and the caller builds in full.
   */
  incremental?: { documentIds: readonly string[]; from: string } | { reindex: true; from: string };
  /**
   * The build's deadline: a build still running then is stopped (its worker, or its `astro build` process) and
   * fails. Counted once the build holds the lock. Unset: none.
   */
  timeoutMs?: number;
}): Promise<SiteBuild> {
  // For an outDir outside web/, Astro stages prerendered pages in one shared web/.astro/.prerender folder
  // (it must resolve web/node_modules from there), and deletes it when done: two builds at once (npm start
  // and a test, a benchmark) would delete each other's files. So builds on this checkout take turns.
  mkdirSync(path.join(WEB_DIR, '.astro'), { recursive: true });
  const reportFile = reportPathFor(options.outDir);
  mkdirSync(path.dirname(reportFile), { recursive: true });
  return withLock(ASTRO_LOCK, ASTRO_LOCK_STALE_MS, async () => {
    removeBuildReport(reportFile);
    const started = performance.now();
    const env = {
      ...process.env,
      // A build is for readers: a parent's NODE_ENV (vitest sets `test`) would make Vite ship React's
      // development build, twice the JavaScript.
      NODE_ENV: 'production',
      ...options.env,
      CMS_URL: options.cmsUrl,
      SITE_OUT_DIR: options.outDir,
      [BUILD_REPORT_ENV]: reportFile,
      ASTRO_TELEMETRY_DISABLED: '1',
    };
    const { timeoutMs, onLine } = options;
    countRun(options.builder && options.incremental ? 'site-update' : 'site-build');
    const { code, output, warm, rssBytes, update, timedOut } = options.builder
      ? options.incremental
        ? 'reindex' in options.incremental
          ? await options.builder.reindex(env, options.incremental.from, onLine, timeoutMs)
          : await options.builder.update(env, options.incremental.documentIds, options.incremental.from, onLine, timeoutMs)
        : await options.builder.build(env, onLine, timeoutMs)
      : {
          ...(await run(process.execPath, [ASTRO_BIN, 'build'], { cwd: WEB_DIR, env, onLine, timeoutMs })),
          warm: false,
          rssBytes: null,
          update: undefined,
        };
    const durationMs = performance.now() - started;
    // Read once and removed: the result carries it, and a build store holds only build directories.
    try {
      const report = readBuildReport(reportFile);
      return {
        ok: code === 0 && report?.ok !== false && !timedOut,
        durationMs,
        output,
        outDir: options.outDir,
        report,
        warm,
        workerRssBytes: rssBytes,
        incremental: update ?? null,
        timedOut: timedOut === true,
      };
    } finally {
      removeBuildReport(reportFile);
    }
  });
}
