// The warm builder's worker (./warm-builder.ts): one long-lived Node process that runs the site's `astro build`
// through Astro's own JavaScript API, once per request from its parent. The build is the CLI's: same config,
// same integrations, same output, byte for byte (tests/integration/warm-builder.test.ts); what is saved is
// everything a fresh process pays before building — Node's start, resolving and compiling Astro, Vite, Rollup
// and the integrations' packages — ~60% of a seed-site build (docs/benchmarks.md). The config is evaluated
// again for every build, so each one reads its own environment (CMS_URL, SITE_OUT_DIR, the report file).
//
// Not run by hand: the parent starts it with an IPC channel, and it exits when that channel closes (the parent
// gone, whatever the reason), so it never outlives the rebuild service.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WEB_DIR } from '../common/paths.ts';
import {
  endMarker,
  type BuildDone,
  type BuildRequest,
  type SearchRequest,
  type SiteIncremental,
  type UpdateOutcome,
  type UpdateRequest,
  type WorkerRequest,
} from './build-worker-protocol.ts';

if (!process.send) {
  console.error('build-worker.ts is started by the rebuild service (scripts/rebuild/warm-builder.ts), not by hand.');
  process.exit(2);
}

const astroEntry = createRequire(import.meta.url).resolve('astro', { paths: [WEB_DIR] });
// Astro is web/'s dependency, loaded from there; only its `build` is used (the CLI's `astro build`).
const { build } = (await import(pathToFileURL(astroEntry).href)) as { build: (config: { root: string }) => Promise<void> };

/** Prints an error the way a person reads it in a build log: message, Astro's hint when it has one, stack. */
function printError(error: unknown): void {
  const { message, hint, stack } = (error ?? {}) as { message?: string; hint?: string; stack?: string };
  const lines = [`[ERROR] ${message ?? String(error)}`];
  if (hint) lines.push(`  Hint: ${hint}`);
  const frames = (stack ?? '').split('\n').filter((line) => /^\s+at\s/.test(line));
  if (frames.length > 0) lines.push('  Stack trace:', ...frames);
  console.error(lines.join('\n'));
}

// The site's incremental publishing (web/src/incremental/worker-api.ts), loaded from web/ like Astro. Each full
// build keeps its renderer for incremental publishes (web/src/integrations/retain-build.ts).
const site = (await import(pathToFileURL(path.join(WEB_DIR, 'src', 'incremental', 'worker-api.ts')).href)) as SiteIncremental;
site.enableRetention();

/** Exactly the environment the parent sent, as a fresh `astro build` process would have had it. */
function useEnv(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
}

async function runBuild(request: BuildRequest): Promise<boolean> {
  useEnv(request.env);
  try {
    await build({ root: WEB_DIR });
    await site.keepSetup(request.env);
    return true;
  } catch (error) {
    printError(error);
    return false;
  }
}

async function runUpdate(request: UpdateRequest): Promise<UpdateOutcome> {
  useEnv(request.env);
  const started = performance.now();
  try {
    const figures = await site.updateSite({
      documentIds: request.documentIds,
      from: request.from,
      outDir: request.env.SITE_OUT_DIR ?? '',
      env: request.env,
    });
    const { pathsMs, copyMs, renderMs, imagesMs, compressMs } = figures.steps;
    console.info(
      `[incremental] ${figures.rendered} of ${figures.pages} pages rendered again, ${figures.removed} removed, in ${Math.round(performance.now() - started)} ms ` +
        `(fetch ${figures.fetchMs}, paths ${pathsMs}, copy ${copyMs}${figures.spare ? ' (made ahead)' : ''}, render ${renderMs}, images ${imagesMs}, compression ${compressMs}).`,
    );
    return { applied: true, kind: 'update', ...figures };
  } catch (error) {
    if (!(error instanceof site.NotIncremental)) printError(error);
    const reason = error instanceof Error ? error.message : String(error);
    return error instanceof site.PublishFailed ? { applied: false, reason, publishFailed: true } : { applied: false, reason };
  }
}

async function runSearch(request: SearchRequest): Promise<UpdateOutcome> {
  useEnv(request.env);
  try {
    const searchMs = await site.reindexSite({ from: request.from, outDir: request.env.SITE_OUT_DIR ?? '' });
    console.info(`[incremental] search index made again in ${searchMs} ms.`);
    return { applied: true, kind: 'search', searchMs };
  } catch (error) {
    if (!(error instanceof site.NotIncremental)) printError(error);
    return { applied: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

// One build at a time: the parent waits for each `done` (and builds on this checkout also take the lock).
let queue = Promise.resolve();
process.on('message', (message: WorkerRequest) => {
  if (message?.type !== 'build' && message?.type !== 'update' && message?.type !== 'search') return;
  queue = queue.then(async () => {
    const update = message.type === 'update' ? await runUpdate(message) : message.type === 'search' ? await runSearch(message) : undefined;
    const ok = update ? update.applied : await runBuild(message as BuildRequest);
    const marker = endMarker(message.id);
    // On a line of its own: the build may have left its last line unfinished (Astro's progress line of a page
    // whose render failed ends without a newline).
    process.stdout.write(`\n${marker}\n`);
    process.stderr.write(`\n${marker}\n`);
    const done: BuildDone = { type: 'done', id: message.id, ok, rssBytes: process.memoryUsage().rss, ...(update && { update }) };
    process.send!(done);
  });
});
// The parent is gone (stopped, crashed, killed): so is this worker.
process.on('disconnect', () => process.exit(0));
