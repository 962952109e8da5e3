// The preview server (web/astro.preview.config.mjs): built when its inputs change, run as a child process.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { run, startChild, type Child } from '../common/children.ts';
import { SHARED_DIR, WEB_DIR } from '../common/paths.ts';
import { countRun } from '../common/run-counts.ts';
import { sleep } from '../common/sleep.ts';
import { ASTRO_BIN, ASTRO_LOCK, ASTRO_LOCK_STALE_MS } from '../rebuild/build-site.ts';
import { buildUnlessCurrent } from './cached-build.ts';

const PREVIEW_OUT_DIR = path.join(WEB_DIR, '.preview-dist');
const STAMP = path.join(PREVIEW_OUT_DIR, '.build-inputs');

/** Builds the preview server unless its inputs are unchanged since the last build. */
export function ensurePreviewBuild(env: NodeJS.ProcessEnv): Promise<'reused' | 'built'> {
  return buildUnlessCurrent({
    inputs: [
      path.join(WEB_DIR, 'src'),
      path.join(WEB_DIR, 'public'),
      path.join(WEB_DIR, 'astro.preview.config.mjs'),
      path.join(WEB_DIR, 'package.json'),
      path.join(SHARED_DIR, 'dist'),
    ],
    stamp: STAMP,
    // Astro builds on one checkout take turns (scripts/rebuild/build-site.ts says why).
    lock: ASTRO_LOCK,
    staleLockMs: ASTRO_LOCK_STALE_MS,
    build: async () => {
      countRun('preview-build');
      const { code, output } = await run(process.execPath, [ASTRO_BIN, 'build', '--config', 'astro.preview.config.mjs'], {
        cwd: WEB_DIR,
        env: { ...env, PREVIEW_OUT_DIR, ASTRO_TELEMETRY_DISABLED: '1' },
      });
      if (code !== 0) throw new Error(`The preview server build failed (astro build exited ${code}):\n${output.slice(-3000)}`);
    },
  });
}

export type RunningPreview = { url: string; child: Child; stop: () => Promise<void> };

/**
 * Starts the built preview server on 127.0.0.1:`port`; resolves when it answers. `onLine` is given each line it
 * prints (npm start's STACK_LOG_DIR).
 */
export async function startPreviewServer(
  port: number,
  env: NodeJS.ProcessEnv,
  { timeoutMs = 30_000, onLine }: { timeoutMs?: number; onLine?: ((line: string) => void) | undefined } = {},
): Promise<RunningPreview> {
  const entry = path.join(PREVIEW_OUT_DIR, 'server', 'entry.mjs');
  if (!existsSync(entry)) throw new Error('The preview server is not built: ensurePreviewBuild() first.');
  const url = `http://127.0.0.1:${port}`;
  const child = startChild('preview', process.execPath, [entry], {
    cwd: WEB_DIR,
    env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
    onLine,
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`The preview server stopped while starting:\n${child.tail()}`);
    try {
      await fetch(`${url}/preview/`, { signal: AbortSignal.timeout(1000) });
      return { url, child, stop: () => child.stop() };
    } catch {
      await sleep(200);
    }
  }
  await child.stop();
  throw new Error(`The preview server did not answer at ${url} within ${timeoutMs / 1000} s:\n${child.tail()}`);
}
