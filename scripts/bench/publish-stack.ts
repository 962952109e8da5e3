// The stack that `npm run bench:publish` measures, what `npm start` runs, on free ports and temp dirs: a fresh
// Strapi whose webhook goes to a RebuildService with npm start's defaults, building into a SiteStore served by
// the static server. Also how the measurements watch it (the service's log, the served page, idleness) and
// the retry of a run that another Astro build in this checkout broke. Apart from the entry point
// (./bench-publish.ts) so that each measurement (./publish-runs.ts, ./publish-burst.ts) shares one stack.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  checkInterrupted,
  fail,
  freshCmsEnv,
  startGeneratedCms,
  say,
  seconds,
  tempDir,
  thousands,
  track,
  type Generation,
} from './bench-kit.ts';
import { UID } from '@agency/shared';
import { closeServer, listen } from '../common/http.ts';
import { WEB_DIR } from '../common/paths.ts';
import { sleep } from '../common/sleep.ts';
import { localPublisher, type Publisher } from '../rebuild/publishers.ts';
import { RebuildService } from '../rebuild/service.ts';
import { rebuildServiceSettings } from '../rebuild/settings.ts';
import { SiteStore } from '../rebuild/site-store.ts';
import { createStaticServer } from '../rebuild/static-server.ts';
import { CmsAdmin } from '../stack/cms-admin.ts';
import { freePort } from '../stack/ports.ts';

const SLUG = 'sales-vs-marketing';
export const ARTICLE_PATH = `/articles/${SLUG}/`;
/** Give up on a publish that is not live after this long: something is broken, not slow. */
const LIVE_TIMEOUT_MS = 120_000;

/** `promise`, or `false` once `ms` have passed; the timer never outlives it. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | false> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** How the service builds a publish: incrementally (production), or in full, both in its warm worker. */
export type Builder = 'incremental' | 'full';

export type Stack = {
  articles: number;
  /** Which builder the next build uses. */
  builder: { use: Builder };
  token: string;
  service: RebuildService;
  log: string[];
  /** When each line of `log` arrived (performance.now()). */
  logTimes: number[];
  siteUrl: string;
  hookUrl: string;
  admin: CmsAdmin;
  documentId: string;
  generation: Generation | null;
  firstBuildMs: number;
};

export async function bootStack(articles: number, name: string): Promise<Stack> {
  const dir = tempDir('agency-bench-publish-');
  // The builds' environment: the local CMS needs no token. The CMS gets its webhook's URL once it is known.
  const env = freshCmsEnv(dir, { REBUILD_URL: '', CMS_TOKEN: '' });

  const cmsPort = await freePort();
  const cmsUrl = `http://127.0.0.1:${cmsPort}`;
  // The rebuild service as npm start runs it: only the token is given, so the quiet window and maximum wait
  // are the defaults.
  const settings = rebuildServiceSettings.read({ WEBHOOK_TOKEN: env.WEBHOOK_TOKEN });
  const rebuildPort = await freePort();
  const store = new SiteStore(siteDir());
  const log: string[] = [];
  const logTimes: number[] = [];
  // One publisher, one worker: each kind of publish extends the live build the other made.
  const builder = { use: 'incremental' as Builder };
  const publisher: Publisher = localPublisher({ store, cmsUrl, env, incremental: () => builder.use === 'incremental' });
  const service = new RebuildService({
    token: settings.WEBHOOK_TOKEN,
    publisher,
    quietMs: settings.REBUILD_QUIET_MS,
    maxWaitMs: settings.REBUILD_MAX_WAIT_MS,
    log: (line) => {
      log.push(line);
      logTimes.push(performance.now());
    },
  });
  await listen(service.server, rebuildPort);
  track(async () => {
    await service.close();
    // A build still running gets a short while to fail (its CMS is gone by now) before its dir is removed.
    await within(service.idle(), 30_000);
  });
  const hookUrl = `http://127.0.0.1:${rebuildPort}/hooks/strapi`;

  const startedCms = performance.now();
  // The generated articles are written straight into the tables as the CMS first starts: no webhook is sent.
  const { generation } = await startGeneratedCms(articles - 1, cmsPort, { ...env, REBUILD_URL: hookUrl }, { taxonomy: true });
  if (generation) say(`generated ${thousands(generation.articles)} articles in ${seconds(generation.ms)}; `);
  say(`CMS up in ${seconds(performance.now() - startedCms)}; `);

  const first = await retryingCollisions('first build', async () => {
    const from = log.length;
    service.trigger('start');
    await service.idle();
    checkFailures(log.slice(from));
    return service.history.at(-1);
  });
  if (first?.result !== 'succeeded') fail(`The first build of the ${name} failed:\n${first?.error ?? log.join('\n')}`);
  say(`first build ${seconds(first.durationMs ?? 0)}; `);

  const site = createStaticServer(() => store.liveDir());
  const sitePort = await freePort();
  await listen(site, sitePort);
  track(() => closeServer(site));

  const admin = new CmsAdmin(cmsUrl, { email: env.ADMIN_EMAIL!, password: env.ADMIN_PASSWORD! });
  const { documentId } = await admin.findArticle(SLUG);
  return {
    articles,
    builder,
    token: settings.WEBHOOK_TOKEN,
    service,
    log,
    logTimes,
    siteUrl: `http://127.0.0.1:${sitePort}`,
    hookUrl,
    admin,
    documentId,
    generation,
    firstBuildMs: first.durationMs ?? 0,
  };
}

/**
 * Every `astro build` whose output dir is outside web/ stages its server chunks in web/.astro/.prerender and
 * deletes that dir when done, so another build running at the same time from this checkout (a test, npm start,
 * another benchmark) fails with ERR_MODULE_NOT_FOUND. Such a run measures nothing: it is retried and counted.
 */
class BuildCollision extends Error {}
const COLLISION = /Cannot find module '[^']*[\\/]\.astro[\\/]\.prerender[\\/]/;
const MAX_RETRIES = 3;
let collisions = 0;

export async function retryingCollisions<T>(what: string, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof BuildCollision) || attempt > MAX_RETRIES) throw error;
      collisions++;
      process.stdout.write(` [${what}: a concurrent Astro build in this checkout broke the build; again] `);
    }
  }
}

/**
 * The site store's dir, inside web/ (under the git-ignored web/.astro/): Astro then stages each build's server
 * chunks inside that build's own output dir instead of the shared web/.astro/.prerender (see BuildCollision),
 * so builds elsewhere in this checkout cannot break the measured ones, nor these theirs.
 */
function siteDir(): string {
  mkdirSync(path.join(WEB_DIR, '.astro'), { recursive: true });
  const dir = mkdtempSync(path.join(WEB_DIR, '.astro', 'bench-publish-'));
  track(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** How many runs were repeated because another Astro build broke them (see BuildCollision). */
export const repeatedRuns = () => collisions;

/** Builds the service has finished (succeeded or failed), from its log: /status keeps only the last 20. */
export const buildsIn = (lines: string[]) => lines.filter((line) => line.startsWith('[rebuild] build ')).length;
const failedBuildsIn = (lines: string[]) => lines.filter((line) => /^\[rebuild\] build .* FAILED/.test(line));
export const queuedPublishesIn = (lines: string[]) =>
  lines.filter((line) => line === `[rebuild] entry.publish ${UID.article} queued`).length;

/** Polls the static server until the article page has `title` as its <h1>; resolves with the time it did. */
export async function servedAt(stack: Stack, title: string, since: number, from: number, page = ARTICLE_PATH): Promise<number> {
  const h1 = `<h1>${escapeHtml(title)}</h1>`;
  while (performance.now() - since < LIVE_TIMEOUT_MS) {
    checkInterrupted();
    const response = await fetch(`${stack.siteUrl}${page}`, { signal: AbortSignal.timeout(10_000) });
    const html = await response.text();
    if (response.status === 200 && html.includes(h1)) return performance.now();
    checkFailures(stack.log.slice(from));
    await sleep(25);
  }
  fail(`"${title}" was not served within ${seconds(LIVE_TIMEOUT_MS)}. Rebuild log:\n${stack.log.slice(-20).join('\n')}`);
}

export function checkFailures(lines: string[]): void {
  const failed = failedBuildsIn(lines);
  if (failed.length === 0) return;
  if (failed.every((line) => COLLISION.test(line))) throw new BuildCollision(failed.join('\n'));
  fail(`A rebuild failed:\n${failed.join('\n')}`);
}

export async function idle(stack: Stack): Promise<void> {
  if (
    (await within(
      stack.service.idle().then(() => true),
      LIVE_TIMEOUT_MS,
    )) === false
  )
    fail('The rebuild service did not become idle.');
  checkInterrupted();
}

export const newTitle = (label: string) => `Sales or marketing, ${label} (${randomBytes(3).toString('hex')})`;
