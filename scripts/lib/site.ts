// Building the static site with Astro: one place, used by `npm start`, the tests and the benchmarks.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { run } from './children.ts';
import { withLock } from './lock.ts';
import { ASTRO_BIN, WEB_DIR } from './paths.ts';


/** Held by every Astro build on this checkout (the site's and the preview server's). */
export const ASTRO_LOCK = path.join(WEB_DIR, '.astro', 'build.lock');
const STALE_LOCK_MS = 5 * 60_000;

export type SiteBuild = { ok: boolean; durationMs: number; output: string; outDir: string };

/** Builds the site from the CMS at `cmsUrl` into `outDir`. Never throws for a failed build: read `ok`. */
export async function buildSite(options: {
  cmsUrl: string;
  outDir: string;
  env?: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
}): Promise<SiteBuild> {
  // For an outDir outside web/, Astro stages prerendered pages in one shared web/.astro/.prerender folder
  // (it must resolve web/node_modules from there), and deletes it when done: two builds at once (npm start
  // and a test, a benchmark) would delete each other's files. So builds on this checkout take turns.
  mkdirSync(path.join(WEB_DIR, '.astro'), { recursive: true });
  return withLock(ASTRO_LOCK, STALE_LOCK_MS, async () => {
    const started = performance.now();
    const { code, output } = await run(process.execPath, [ASTRO_BIN, 'build'], {
      cwd: WEB_DIR,
      env: { ...process.env, ...options.env, CMS_URL: options.cmsUrl, SITE_OUT_DIR: options.outDir, ASTRO_TELEMETRY_DISABLED: '1' },
      onLine: options.onLine,
    });
    return { ok: code === 0, durationMs: performance.now() - started, output, outDir: options.outDir };
  });
}

