// `npm run bench:publish`: how long an editor waits between pressing Publish and readers getting the new page,
// and how the rebuild service copes with a burst of publishes.
// For the seed site (1 article) and a generated 1,000-article site it runs the real chain of `npm start`:
//   Strapi (fresh SQLite in a temp dir, REBUILD_URL + WEBHOOK_TOKEN) ──webhook──► RebuildService (npm start's
//   default quiet window and maximum wait, scripts/rebuild/settings.ts) ──► Astro build into a SiteStore
//   ──atomic switch──► the static server,
// then:
//   1. publishes: changes the seed article's title through the admin API, as the Content Manager does
//      (scripts/stack/cms-admin.ts), and times from the publish request until the static server serves the new
//      <h1>; median, min and max of --publishes runs (5; 2 with --smoke), each after the service is idle. Each
//      run is a pair, side by side: an incremental publish (web/src/incremental/, what runs in production: only
//      the pages the change affects are rendered) and a full build in the same warm worker
//      (scripts/rebuild/warm-builder.ts), in turn. Above PAIRED_UP_TO articles a full build takes minutes
//      (~10 at 10,000 on 2 cores): only incremental publishes are timed, and the full build printed beside them
//      is the site's first build;
//   2. a burst: 50 `entry.publish` webhook calls for the article type within ~2 s, straight to the service
//      with the bearer token, with a real publish (a new title) among the last of them; it waits until the
//      service is idle, counts the builds and checks the served page has the real publish's title. The calls
//      carry no entry, so their builds are full ones: sites above PAIRED_UP_TO skip it (coalescing does not
//      depend on the site's size).
//   3. a new article, published once: not the goal's figure (see timeNewArticle), printed beside it.
// Sites of more than one article are generated with topics and authors (cms/scripts/generate-articles.mts
// --taxonomy), so they have the listing pages and related articles a publish touches.
// Figures are printed beside their goals (≤ 2 s seed, ≤ 1.5 s for 1,000 articles, ≤ 2 s for 10,000, ≤ 2 builds
// per burst), never asserted: it exits non-zero only when something breaks (a build fails, a call is refused,
// the site serves stale content once the service is idle). Flags: --smoke (CI: seed site, 2 publishes, one
// burst), --sizes 1,1000,10000, --publishes N, --json FILE (the figures as JSON, for CI artifacts).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkInterrupted,
  cleanUp,
  fail,
  freshCmsEnv,
  startGeneratedCms,
  median,
  parseSizes,
  renderTable,
  requireCmsBuild,
  runBench,
  say,
  seconds,
  tempDir,
  thousands,
  track,
  writeFigures,
  type Generation,
} from './bench-kit.ts';
import { modelName, UID } from '@agency/shared';
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
const ARTICLE_PATH = `/articles/${SLUG}/`;
const BURST_CALLS = 50;
const BURST_MS = 2_000;
/** The real publish goes out with this call of the burst (0-based), so its own webhook lands near the end. */
const BURST_PUBLISH_AT = 45;
const BURST_BUILD_GOAL = 2;
/** The largest site whose publishes are paired with full builds, and which gets a burst (see the head comment). */
const PAIRED_UP_TO = 1000;
const goalMs = (articles: number) => (articles >= 10_000 ? 2_000 : articles >= 1000 ? 1_500 : 2_000);
/** Give up on a publish that is not live after this long: something is broken, not slow. */
const LIVE_TIMEOUT_MS = 120_000;

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    publishes: { type: 'string' },
    json: { type: 'string' },
  },
});
const publishes = Number(flags.publishes ?? (flags.smoke ? 2 : 5));

/** `promise`, or `false` once `ms` have passed; the timer never outlives it. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | false> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// ---------------------------------------------------------------------------------------------------
// The stack: what `npm start` runs, on free ports and a temp dir.

/** How the service builds a publish: incrementally (production), or in full, both in its warm worker. */
type Builder = 'incremental' | 'full';

type Stack = {
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

async function bootStack(articles: number, name: string): Promise<Stack> {
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

async function retryingCollisions<T>(what: string, work: () => Promise<T>): Promise<T> {
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

/** Builds the service has finished (succeeded or failed), from its log: /status keeps only the last 20. */
const buildsIn = (lines: string[]) => lines.filter((line) => line.startsWith('[rebuild] build ')).length;
const failedBuildsIn = (lines: string[]) => lines.filter((line) => /^\[rebuild\] build .* FAILED/.test(line));
const queuedPublishesIn = (lines: string[]) => lines.filter((line) => line === `[rebuild] entry.publish ${UID.article} queued`).length;

/** Polls the static server until the article page has `title` as its <h1>; resolves with the time it did. */
async function servedAt(stack: Stack, title: string, since: number, from: number, page = ARTICLE_PATH): Promise<number> {
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

function checkFailures(lines: string[]): void {
  const failed = failedBuildsIn(lines);
  if (failed.length === 0) return;
  if (failed.every((line) => COLLISION.test(line))) throw new BuildCollision(failed.join('\n'));
  fail(`A rebuild failed:\n${failed.join('\n')}`);
}

async function idle(stack: Stack): Promise<void> {
  if (
    (await within(
      stack.service.idle().then(() => true),
      LIVE_TIMEOUT_MS,
    )) === false
  )
    fail('The rebuild service did not become idle.');
  checkInterrupted();
}

const newTitle = (label: string) => `Sales or marketing, ${label} (${randomBytes(3).toString('hex')})`;

// ---------------------------------------------------------------------------------------------------
// Measurements.

/**
 * hookMs: from the publish request until Strapi's webhook reached the service (Strapi's part of the wait);
 * liveMs − hookMs is the service's part.
 */
type PublishRun = { builder: Builder; liveMs: number; requestMs: number; hookMs: number; buildMs: number; builds: number; detail: string };

/** One editor publish: a new title, from the publish request until the new <h1> is served, built by `builder`. */
async function timePublish(stack: Stack, run: number, builder: Builder): Promise<PublishRun> {
  await idle(stack);
  stack.builder.use = builder;
  const from = stack.log.length;
  const form = await stack.admin.articleForm(stack.documentId); // the form the editor has open
  const title = newTitle(`publish ${run}`);
  const started = performance.now();
  await stack.admin.publish(stack.documentId, { ...form, title });
  const requestMs = performance.now() - started;
  const liveMs = (await servedAt(stack, title, started, from)) - started;
  const hook = stack.log.findIndex((line, index) => index >= from && line === `[rebuild] entry.publish ${UID.article} queued`);
  const hookMs = hook === -1 ? NaN : stack.logTimes[hook]! - started;
  await idle(stack);
  const record = stack.service.history.at(-1);
  stack.builder.use = 'incremental';
  const detail = record?.detail ?? '';
  if (builder === 'incremental' && !/; incremental: \d+ of/.test(detail)) fail(`The publish was not made incrementally: ${detail}`);
  return { builder, liveMs, requestMs, hookMs, buildMs: record?.durationMs ?? NaN, builds: buildsIn(stack.log.slice(from)), detail };
}

/**
 * A new article (no topic, no author), created and published as the editor does it, from the create request
 * until its page is served. Not the goal's figure, said beside it: a new article is the newest, so it shifts
 * every page of the home page's list by one, and those pages are rendered again (docs/rebuilds.md).
 */
async function timeNewArticle(stack: Stack): Promise<{ liveMs: number; detail: string }> {
  await idle(stack);
  const from = stack.log.length;
  const slug = `bench-new-${randomBytes(3).toString('hex')}`;
  const title = newTitle('a new article');
  const started = performance.now();
  await stack.admin.createArticle(
    {
      title,
      slug,
      intro: `A new article, published by the benchmark.`,
      body: [
        { __component: 'article.section', heading: 'A section', body: [{ type: 'paragraph', children: [{ type: 'text', text: title }] }] },
      ],
    },
    { publish: true },
  );
  const liveMs = (await servedAt(stack, title, started, from, `/articles/${slug}/`)) - started;
  await idle(stack);
  const detail = stack.service.history.at(-1)?.detail ?? '';
  if (!/; incremental: \d+ of/.test(detail)) fail(`The new article was not published incrementally: ${detail}`);
  return { liveMs, detail };
}

type Burst = {
  calls: number;
  sentMs: number;
  builds: number;
  eventsPerBuild: number[];
  liveMs: number;
  idleMs: number;
  lastServed: boolean;
};

/** 50 webhook calls within ~2 s, one real publish among the last of them; then builds counted once idle. */
async function burst(stack: Stack): Promise<Burst> {
  await idle(stack);
  const from = stack.log.length;
  const historyFrom = stack.service.history.at(-1)?.id;
  const form = await stack.admin.articleForm(stack.documentId);
  const title = newTitle('burst');
  const body = () =>
    JSON.stringify({
      event: 'entry.publish',
      model: modelName(UID.article),
      uid: UID.article,
      entry: null,
      createdAt: new Date().toISOString(),
    });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` };

  const started = performance.now();
  const calls: Array<Promise<Response>> = [];
  let published: Promise<void> | undefined;
  let publishStarted = 0;
  for (let i = 0; i < BURST_CALLS; i++) {
    await sleep(started + (i * BURST_MS) / BURST_CALLS - performance.now());
    if (i === BURST_PUBLISH_AT) {
      publishStarted = performance.now();
      published = stack.admin.publish(stack.documentId, { ...form, title });
    }
    calls.push(fetch(stack.hookUrl, { method: 'POST', headers, body: body() }));
  }
  const responses = await Promise.all(calls);
  const sentMs = performance.now() - started;
  for (const response of responses) {
    const answer = (await response.json()) as { status?: string };
    if (response.status !== 202 || answer.status !== 'queued')
      fail(`The service answered a burst call with ${response.status} ${JSON.stringify(answer)}.`);
  }
  await published;

  // Strapi's own webhook for the real publish is one more queued event; wait for it, then for the builds.
  const expected = BURST_CALLS + 1;
  while (queuedPublishesIn(stack.log.slice(from)) < expected) {
    checkInterrupted();
    if (performance.now() - publishStarted > 30_000)
      fail(`Strapi's webhook for the burst's publish never reached the service. Log:\n${stack.log.slice(-10).join('\n')}`);
    await sleep(20);
  }
  const liveMs = (await servedAt(stack, title, publishStarted, from)) - publishStarted;
  await idle(stack);
  const idleMs = performance.now() - started;

  const lines = stack.log.slice(from);
  checkFailures(lines);
  const history = stack.service.history;
  const records = history.slice(history.findIndex((record) => record.id === historyFrom) + 1);
  const html = await (await fetch(`${stack.siteUrl}${ARTICLE_PATH}`)).text();
  return {
    calls: expected,
    sentMs,
    builds: buildsIn(lines),
    eventsPerBuild: records.map((record) => record.trigger.length),
    liveMs,
    idleMs,
    lastServed: html.includes(`<h1>${escapeHtml(title)}</h1>`),
  };
}

type SiteResult = {
  articles: number;
  generation: Generation | null;
  firstBuildMs: number;
  runs: PublishRun[];
  newArticle: { liveMs: number; detail: string };
  burst: Burst | null;
};

async function benchSite(articles: number): Promise<SiteResult> {
  const name = articles === 1 ? 'seed site' : `${thousands(articles)}-article site`;
  say(`• ${name}: `);
  const stack = await bootStack(articles, name);

  const paired = articles <= PAIRED_UP_TO;
  say(paired ? 'publish → served, incremental / full build: ' : 'publish → served, incremental (no full builds at this size): ');

  const runs: PublishRun[] = [];
  for (let run = 1; run <= publishes; run++) {
    // Pairs in turn, the order alternating, so a load spike on this shared machine hits both alike.
    const order: Builder[] = !paired ? ['incremental'] : run % 2 === 1 ? ['incremental', 'full'] : ['full', 'incremental'];
    const pair: Partial<Record<Builder, PublishRun>> = {};
    for (const builder of order) {
      pair[builder] = await retryingCollisions(`publish ${run} (${builder})`, () => timePublish(stack, run, builder));
      runs.push(pair[builder]);
    }
    say(`${run > 1 ? ', ' : ''}${seconds(pair.incremental!.liveMs)}${pair.full ? ` / ${seconds(pair.full.liveMs)}` : ''}`);
  }
  let result: Burst | null = null;
  if (paired) {
    say('; burst: ');
    result = await retryingCollisions('burst', () => burst(stack));
    say(`${result.calls} webhook calls → ${result.builds} build(s), idle after ${seconds(result.idleMs)}`);
  }
  const newArticle = await retryingCollisions('new article', () => timeNewArticle(stack));
  say(`; a new article: ${seconds(newArticle.liveMs)}`);
  say('\n');
  await cleanUp(); // this site's CMS, service and temp dir, before the next site competes for the 2 cores
  return { articles, generation: stack.generation, firstBuildMs: stack.firstBuildMs, runs, newArticle, burst: result };
}

// ---------------------------------------------------------------------------------------------------
// Report.

const siteLabel = (articles: number) => (articles === 1 ? 'seed (1 article)' : `${thousands(articles)} articles`);
const spread = (values: number[]) => `${seconds(median(values))} (${seconds(Math.min(...values))}–${seconds(Math.max(...values))})`;

const runsBy = (r: SiteResult, builder: Builder) => r.runs.filter((run) => run.builder === builder);
/**
 * The median of the pairs' ratios, incremental over full: each pair ran back to back, under the same load. Null
 * for a site too large for pairs.
 */
function pairRatio(r: SiteResult): number | null {
  const incremental = runsBy(r, 'incremental');
  const full = runsBy(r, 'full');
  return full.length ? median(incremental.map((run, i) => run.liveMs / full[i]!.liveMs)) : null;
}

/** "rendered of pages, requests" from an incremental publish's /status detail (scripts/rebuild/publishers.ts). */
function rendered(run: Pick<PublishRun, 'detail'>): { rendered: number; pages: number; requests: number } | null {
  const match = /incremental: (\d+) of (\d+) pages rendered, \d+ removed, (\d+) GraphQL/.exec(run.detail);
  return match ? { rendered: Number(match[1]), pages: Number(match[2]), requests: Number(match[3]) } : null;
}

function publishTable(results: SiteResult[]): string {
  const header = [
    'Site',
    `Publish → new HTML served, median (min–max) of ${publishes}: incremental (production)`,
    'Goal',
    `Full build (same warm worker; above ${thousands(PAIRED_UP_TO)} articles: the first build, cold)`,
    '×, incremental against full (pairs)',
    'Publish request / webhook in',
    'Build: incremental / full',
    'Pages rendered again (GraphQL requests)',
    'A new article: publish → served (pages rendered again)',
  ];
  const rows = results.map((r) => {
    const incremental = runsBy(r, 'incremental');
    const full = runsBy(r, 'full');
    const live = median(incremental.map((run) => run.liveMs));
    const goal = goalMs(r.articles);
    const ratio = pairRatio(r);
    const counts = incremental.map(rendered).filter((count) => count !== null);
    return [
      siteLabel(r.articles),
      spread(incremental.map((run) => run.liveMs)),
      `≤ ${seconds(goal)} ${live <= goal ? 'pass' : 'OVER'}`,
      full.length ? spread(full.map((run) => run.liveMs)) : `first build ${seconds(r.firstBuildMs)}`,
      ratio === null ? '–' : `×${ratio.toFixed(2)}`,
      `${seconds(median(r.runs.map((run) => run.requestMs)))} / ${seconds(median(r.runs.map((run) => run.hookMs)))}`,
      `${seconds(median(incremental.map((run) => run.buildMs)))} / ${full.length ? seconds(median(full.map((run) => run.buildMs))) : seconds(r.firstBuildMs)}`,
      counts.length
        ? `${[...new Set(counts.map((c) => `${c.rendered} of ${thousands(c.pages)}`))].join(', ')} (${[...new Set(counts.map((c) => c.requests))].join(', ')})`
        : '?',
      `${seconds(r.newArticle.liveMs)} (${rendered(r.newArticle)?.rendered ?? '?'})`,
    ];
  });
  return renderTable(header, rows);
}

function burstTable(results: SiteResult[]): string {
  const header = ['Site', 'Burst', 'Builds', 'Goal', 'Events per build', 'Last publish served', 'Its publish → served', 'Burst → idle'];
  const rows = results
    .flatMap(({ articles, burst: b }) => (b ? [[articles, b] as const] : []))
    .map(([articles, b]) => [
      siteLabel(articles),
      `${b.calls - 1} calls + Strapi's 1, in ${seconds(b.sentMs)}`,
      String(b.builds),
      `≤ ${BURST_BUILD_GOAL} ${b.builds <= BURST_BUILD_GOAL ? 'pass' : 'OVER'}`,
      b.eventsPerBuild.join(' + '),
      b.lastServed ? 'yes' : 'NO (stale)',
      seconds(b.liveMs),
      seconds(b.idleMs),
    ]);
  return renderTable(header, rows);
}

// ---------------------------------------------------------------------------------------------------

const started = performance.now();
await runBench(async () => {
  const sizes = parseSizes(flags.sizes, flags.smoke ? '1' : '1,1000');
  if (!Number.isInteger(publishes) || publishes < 1) fail(`--publishes must be a positive integer, not "${flags.publishes}".`);
  requireCmsBuild();
  const defaults = rebuildServiceSettings.read({ WEBHOOK_TOKEN: 'x'.repeat(16) });
  console.log(
    `Publish → live benchmark: sites of ${sizes.join(', ')} article(s); ${publishes} publish(es) each, and a burst up to ${thousands(PAIRED_UP_TO)} articles. ` +
      `Rebuild service as npm start runs it: quiet window ${defaults.REBUILD_QUIET_MS} ms, maximum wait ${defaults.REBUILD_MAX_WAIT_MS} ms.`,
  );
  const results: SiteResult[] = [];
  for (const articles of sizes) results.push(await benchSite(articles));

  console.log(`\n${publishTable(results)}\n`);
  if (results.some((r) => r.burst)) console.log(`${burstTable(results)}\n`);
  console.log(
    `Publish → new HTML served: from sending the publish request (admin API, a new title) until the static server ` +
      `answers ${ARTICLE_PATH} with the new <h1>; incremental: only the pages the publish changes are rendered, from the last ` +
      `build's bundle (production); full: the whole site built again in the same warm worker; in pairs. Publish request, webhook in (from the publish request until Strapi's webhook reached the service) and Build (until the search index followed) are medians. Burst: ${BURST_CALLS} entry.publish calls ` +
      `to the service plus Strapi's own for a real publish sent with call ${BURST_PUBLISH_AT + 1}. Total ${seconds(performance.now() - started)}.`,
  );
  if (collisions)
    console.log(`${collisions} run(s) were repeated: another Astro build in this checkout removed web/.astro/.prerender under them.`);
  writeFigures(flags.json, {
    benchmark: 'publish → live',
    rebuildService: { quietMs: defaults.REBUILD_QUIET_MS, maxWaitMs: defaults.REBUILD_MAX_WAIT_MS },
    goals: { seedLiveMs: goalMs(1), thousandLiveMs: goalMs(1000), tenThousandLiveMs: goalMs(10_000), buildsPerBurst: BURST_BUILD_GOAL },
    sites: results.map((r) => ({
      articles: r.articles,
      generation: r.generation,
      firstBuildMs: Math.round(r.firstBuildMs),
      publishes: r.runs.map((run) => ({
        builder: run.builder,
        detail: run.detail,
        liveMs: Math.round(run.liveMs),
        requestMs: Math.round(run.requestMs),
        hookMs: Math.round(run.hookMs),
        buildMs: run.buildMs,
        builds: run.builds,
      })),
      liveMedianMs: Math.round(median(runsBy(r, 'incremental').map((run) => run.liveMs))),
      newArticle: { liveMs: Math.round(r.newArticle.liveMs), detail: r.newArticle.detail },
      fullLiveMedianMs: runsBy(r, 'full').length ? Math.round(median(runsBy(r, 'full').map((run) => run.liveMs))) : null,
      incrementalOverFull: pairRatio(r) === null ? null : Number(pairRatio(r)!.toFixed(3)),
      liveGoalMs: goalMs(r.articles),
      burst: r.burst && {
        ...r.burst,
        sentMs: Math.round(r.burst.sentMs),
        liveMs: Math.round(r.burst.liveMs),
        idleMs: Math.round(r.burst.idleMs),
      },
    })),
    repeatedRuns: collisions,
    totalMs: Math.round(performance.now() - started),
  });
  if (results.some((r) => r.burst && !r.burst.lastServed))
    fail('After a burst the site did not serve the last publish: a rebuild lost an event.');
});
