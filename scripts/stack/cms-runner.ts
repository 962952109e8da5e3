// Building and running Strapi: one place, used by `npm start`, the CMS image's build, the tests, the
// benchmarks and the backups.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { run, startChild, type Child } from '../common/children.ts';
import { waitForLock } from '../common/lock.ts';
import { CMS_DIR, SHARED_DIR } from '../common/paths.ts';
import { countRun } from '../common/run-counts.ts';
import { sleep } from '../common/sleep.ts';
import { buildUnlessCurrent, isCurrent, type CachedBuild } from './cached-build.ts';

/** Strapi's CLI, run with this process's Node (24) whatever `node` the shell has. */
export const STRAPI_BIN = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@strapi/strapi/package.json', { paths: [CMS_DIR] })),
  'bin',
  'strapi.js',
);

const BUILD_STAMP = path.join(CMS_DIR, 'dist', '.build-inputs');
// `strapi build` empties cms/dist first: a lock keeps two builds (npm start and npm test in two terminals)
// from racing, and lets a start wait for a build in progress instead of finding no build.
const BUILD_LOCK = path.join(CMS_DIR, '.build.lock');
const STALE_LOCK_MS = 10 * 60_000;

/** Resolves when no CMS build is running. */
export function waitForCmsBuild(): Promise<void> {
  return waitForLock(BUILD_LOCK, STALE_LOCK_MS);
}

/** Everything `strapi build` reads: when none of it changed, the build in cms/dist is current. */
const CMS_BUILD: Omit<CachedBuild, 'build'> = {
  inputs: [
    path.join(CMS_DIR, 'src'),
    path.join(CMS_DIR, 'config'),
    path.join(CMS_DIR, 'package.json'),
    path.join(CMS_DIR, 'tsconfig.json'),
    path.join(SHARED_DIR, 'dist'),
    path.join(path.dirname(STRAPI_BIN), '..', 'package.json'),
  ],
  stamp: BUILD_STAMP,
  lock: BUILD_LOCK,
  staleLockMs: STALE_LOCK_MS,
};

/**
 * Compiles the CMS and builds its admin panel (~40 s) unless the last build had the same inputs.
 * `env` must carry the secrets: Strapi loads its config while building.
 */
export function ensureCmsBuild(env: NodeJS.ProcessEnv, log: (line: string) => void = () => {}): Promise<'reused' | 'built'> {
  return buildUnlessCurrent({
    ...CMS_BUILD,
    build: async () => {
      // The CMS refuses to load its config without NODE_ENV (cms/src/settings.ts); a build made where it is unset
      // is built as Strapi always built it then, in development. The CMS image sets production.
      const buildEnv = { NODE_ENV: 'development', ...env, CI: 'true' };
      const result = await run(process.execPath, [STRAPI_BIN, 'build'], { cwd: CMS_DIR, env: buildEnv, onLine: log });
      if (result.code !== 0) throw new Error(`The CMS build failed (strapi build exited ${result.code}):\n${result.output.slice(-4000)}`);
    },
  });
}

export type CmsOptions = {
  port: number;
  env: NodeJS.ProcessEnv;
  /** Milliseconds to wait for /_health. */
  timeoutMs?: number;
  onLine?: (line: string) => void;
  /**
   * What Node runs instead of `strapi start`, a program that loads the app and then serves it as `strapi start`
   * does: the article generator's `--serve` (./article-generator.ts servingGeneratorArgs), which writes articles
   * first in the same load. Only the benchmarks and tests use it; the CMS image does not copy the generator's side.
   */
  args?: string[];
};

export type RunningCms = { url: string; child: Child; stop: () => Promise<void> };

/** Starts the built CMS (`strapi start`, or `args`) and resolves once it answers /_health. */
export async function startCms({ port, env, timeoutMs = 120_000, onLine, args = [STRAPI_BIN, 'start'] }: CmsOptions): Promise<RunningCms> {
  await waitForCmsBuild();
  if (!cmsIsBuilt()) throw new Error(NOT_BUILT);
  // Strapi's upload plugin fails on first boot without it (PUBLIC_DIR: the CMS's setting, relative to cms/).
  mkdirSync(path.resolve(CMS_DIR, env.PUBLIC_DIR ?? 'public', 'uploads'), { recursive: true });
  countRun('strapi-boot');
  const url = `http://127.0.0.1:${port}`;
  const child = startChild('cms', process.execPath, args, {
    cwd: CMS_DIR,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port), BROWSER: 'none', STRAPI_TELEMETRY_DISABLED: 'true' },
    onLine,
  });
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`The CMS stopped while starting. Its last output:\n${child.tail()}`);
    try {
      const response = await fetch(`${url}/_health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { url, child, stop: () => child.stop() };
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  await child.stop();
  throw new Error(`The CMS did not answer ${url}/_health within ${timeoutMs / 1000} s. Its last output:\n${child.tail()}`);
}

/** What to do when the CMS has not been built yet. */
export const NOT_BUILT = 'The CMS is not built: run `npm run build:cms` (or `npm start`) first.';

/** Whether an admin build is there to start (`strapi start` serves cms/dist/build). Current or not: ensureCmsBuild decides that. */
/** Whether cms/dist is the build of the CMS's current sources (`strapi start` runs it as it is). */
export function cmsBuildIsCurrent(): boolean {
  return isCurrent(CMS_BUILD);
}

export function cmsIsBuilt(): boolean {
  const build = path.join(CMS_DIR, 'dist', 'build');
  return existsSync(build) && statSync(build).isDirectory();
}
