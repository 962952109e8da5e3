// The rebuild service's warm builder (scripts/rebuild/warm-builder.ts) against a real CMS: its builds are the
// `astro build` CLI's, file for file, and it never trusts a worker that might build something else:
//   - a fresh `astro build` and two warm builds of the same content write identical files;
//   - builds asked for at once take turns, each with its own log;
//   - with the default watch list (and a memory floor of 1 byte) the worker stays warm: a build changes none of
//     the files it watches (or every build would be cold), and a worker is not replaced for the memory its
//     first build left it with (the limit is twice that);
//   - a change to what the worker has loaded (a watched file) replaces it before the next build;
//   - a worker killed mid-build fails that build with a clear message; a build that does not end by its
//     deadline (an image that never answers) has its worker stopped; after either, the next build runs in a
//     new worker, correctly;
//   - close() stops the worker, and no build runs after it.
// (A build failing with the CMS down, and its worker not trusted again, is the rebuild service's fault chain in
// ./rebuild-faults.test.ts, whose service builds with this builder; close() mid-build, the service stopped by
// SIGTERM mid-build there: the worker is stopped, the build fails.)
// The failures follow one another with one good build after them: a failed build ends its worker, so each
// failure starts from a new worker, whatever came before. The watched file's change and the kill share a build:
// the new worker the change brings is the one killed.
// It reads the run's shared CMS (other files' articles in it too: the counts are asked of the CMS), through a
// gate (../support/cms-gate.ts); the article with an image that never answers is this file's own, deleted after.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILD_REPORT_ENV } from '@agency/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive } from '../../scripts/common/children.ts';
import { withLock } from '../../scripts/common/lock.ts';
import { countRun } from '../../scripts/common/run-counts.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import { readBuildReport, reportPathFor } from '../../scripts/rebuild/build-report.ts';
import { ASTRO_LOCK, ASTRO_LOCK_STALE_MS, buildSite, type SiteBuild } from '../../scripts/rebuild/build-site.ts';
import { WarmBuilder, WATCHED } from '../../scripts/rebuild/warm-builder.ts';
import { badImageServer } from '../support/bad-images.ts';
import { sampleArticle, TestCms } from '../support/cms.ts';
import { CmsGate } from '../support/cms-gate.ts';

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * Resolves once `file` exists (polled: another process writes it). The default allows for a build that first
 * waits for another file's at the checkout's build lock, on a loaded 2-core machine.
 */
async function fileAppears(file: string, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`Waiting for ${what}: ${file} did not appear within ${timeoutMs / 1000} s.`);
    await sleep(20);
  }
}

/** Resolves once `check` holds (polled: another process acts), or throws naming `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Waiting for ${what}: it did not happen within ${timeoutMs / 1000} s.`);
    await sleep(20);
  }
}

const h1 = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? null;

describe('warm builder', () => {
  let cms: CmsGate;
  let dir: string;
  let watched: string;
  let builder: WarmBuilder;
  /** The published articles, as the CMS counts them (what every build must fetch), and one of their slugs. */
  let articles: { count: number; slug: string };
  /** The article with an image that never answers (the deadline's test), deleted after. */
  let stuck: string | undefined;
  let n = 0;
  const outDir = () => path.join(dir, `site-${++n}`);
  const build = (env: NodeJS.ProcessEnv = {}, out = outDir()): Promise<SiteBuild> =>
    buildSite({ cmsUrl: cms.url, outDir: out, env: { CMS_TOKEN: '', ...env }, builder });
  const fetched = () => new RegExp(`\\[cms\\] Fetched ${articles.count} articles`, 'g');
  const page = () => `articles/${articles.slug}/index.html`;
  /** Resolves once Astro has started the build into `out` (its report says "started": web/src/integrations/build-report.ts). */
  const started = (out: string) => fileAppears(reportPathFor(out), 'the build to start');

  beforeAll(async () => {
    const shared = await TestCms.shared();
    const { data } = await shared.graphql<{ articles: Array<{ slug: string }>; articles_connection: { pageInfo: { total: number } } }>(
      `{ articles(pagination: { limit: 1 }) { slug } articles_connection { pageInfo { total } } }`,
    );
    articles = { count: data!.articles_connection.pageInfo.total, slug: data!.articles[0]!.slug };
    cms = await CmsGate.open(shared.url);
    dir = mkdtempSync(path.join(tmpdir(), 'agency-warm-'));
    watched = path.join(dir, 'watched.txt');
    writeFileSync(watched, 'v1');
    // The default watch list, and a file of this test's to change. A floor of 1 byte leaves the memory rule
    // itself: a fixed limit (what there was) replaced the worker after every build, and at 10,000 articles,
    // where the worker keeps ~2 GB for incremental publishes, every publish was full.
    builder = new WarmBuilder({ watched: [...WATCHED, watched], minRecycleBytes: 1 });
  }, 600_000); // the first file of a run to ask for the shared CMS pays for its boot (and the template's)
  afterAll(async () => {
    await builder?.close();
    await cms?.close();
    if (stuck) await (await TestCms.shared()).editor.deleteArticle(stuck);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the same files as a fresh `astro build`, warm from the second build on, and builds asked for at once take turns, each with its own log', async () => {
    const fresh = await buildSite({ cmsUrl: cms.url, outDir: path.join(dir, 'fresh'), env: { CMS_TOKEN: '' } });
    expect(fresh.ok, fresh.output).toBe(true);
    expect(fresh.warm).toBe(false);
    // Two builds asked of the builder at once (buildSite would have them wait for the checkout's build lock
    // first), as buildSite runs them: each with its report, and with the lock held, since other files build too.
    const envFor = (name: string) => ({
      ...process.env,
      NODE_ENV: 'production',
      ASTRO_TELEMETRY_DISABLED: '1',
      CMS_URL: cms.url,
      CMS_TOKEN: '',
      SITE_OUT_DIR: path.join(dir, name),
      [BUILD_REPORT_ENV]: reportPathFor(path.join(dir, name)),
    });
    let worker: number | null = null;
    const [first, second] = await withLock(ASTRO_LOCK, ASTRO_LOCK_STALE_MS, () => {
      countRun('site-build');
      countRun('site-build');
      return Promise.all([builder.build(envFor('at-once-a'), () => (worker ??= builder.workerPid)), builder.build(envFor('at-once-b'))]);
    });
    expect([first.code, second.code], `${first.output}\n${second.output}`).toEqual([0, 0]);
    expect([first.warm, second.warm]).toEqual([false, true]);
    const report = readBuildReport(reportPathFor(path.join(dir, 'at-once-b')));
    expect(report?.ok && report.content.articles).toBe(articles.count);
    // Astro's own log, as the CLI prints it: what /status and the failure summaries read. One build's each.
    for (const result of [first, second]) expect(result.output.match(fetched())).toHaveLength(1);
    const expected = files(fresh.outDir);
    expect(expected).toContain(page());
    for (const name of ['at-once-a', 'at-once-b']) {
      const out = path.join(dir, name);
      expect(files(out)).toEqual(expected);
      for (const file of expected)
        expect(readFileSync(path.join(out, file)).equals(readFileSync(path.join(fresh.outDir, file))), file).toBe(true);
    }
    // With the default watch list the builds changed nothing it watches, and the worker's memory after the
    // second stayed under twice the first's (~40 MiB a build on the seed site): the same worker stays, warm
    // (the next build, below, is its third).
    expect(worker).not.toBeNull();
    expect(builder.workerPid).toBe(worker);
    expect(second.rssBytes!).toBeLessThan(2 * first.rssBytes!);
  }, 240_000);

  /** The build the watched file's change sends to a new worker, which the next test kills mid-build. */
  let killed: { out: string; build: Promise<SiteBuild>; worker: number };

  it('replaces the worker when a file it has loaded changes', async () => {
    const before = builder.workerPid;
    if (before === null) throw new Error('No warm worker: the builds of the test before failed.');
    const later = new Date(Date.now() + 5000);
    utimesSync(watched, later, later);
    const out = outDir();
    const running = build({}, out);
    await started(out);
    // The build runs in a new worker: the old one is gone.
    const worker = builder.workerPid;
    expect(worker).not.toBeNull();
    expect(worker).not.toBe(before);
    expect(processAlive(before)).toBe(false);
    killed = { out, build: running, worker: worker! };
  }, 240_000);

  it('fails a build whose worker is killed mid-build', async () => {
    if (!killed) throw new Error('No build running: the test before failed.');
    const pid = killed.worker;
    // Never kill(-0): with no worker, -null is 0, and that signals this process's whole group (the test run itself).
    if (!pid || pid <= 0) throw new Error(`No worker to kill (workerPid ${pid}) while the build runs.`);
    process.kill(-pid, 'SIGKILL');
    const result = await killed.build;
    expect(result.ok).toBe(false);
    // A new worker ran it (the watched file changed): a cold build.
    expect(result.warm).toBe(false);
    expect(result.output).toMatch(/The build worker exited \(code none: killed\) before the build ended/);
    expect(builder.workerPid).toBeNull();
  }, 240_000);

  it('stops a build that does not end by its deadline: its worker is stopped, and the build fails saying so', async () => {
    const silent = await badImageServer();
    try {
      // An article whose image never answers, with no image timeout to speak of: only the build's deadline ends it.
      const editor = (await TestCms.shared()).editor;
      stuck = await editor.createArticle(sampleArticle(`stuck-${randomBytes(4).toString('hex')}`), { publish: true });
      await publishWithImage(stuck, 'With a silent image', `${silent.url}/silent.jpg`);
      const env = { CMS_TOKEN: '', IMAGE_HOSTS: silent.host, IMAGE_TIMEOUT_MS: '600000' };
      const startedAt = Date.now();
      const stuckBuild = buildSite({ cmsUrl: cms.url, outDir: outDir(), env, builder, timeoutMs: 25_000 });
      await until('the worker to ask for the image', () => silent.asked('/silent.jpg') > 0);
      console.info(`[warm-builder] a new worker asked for the image ${Date.now() - startedAt} ms into its build`);
      const worker = builder.workerPid!;
      const result = await stuckBuild;
      console.info(`[warm-builder] a build stuck on an image was stopped at its deadline after ${Math.round(result.durationMs)} ms`);
      expect(result).toMatchObject({ ok: false, timedOut: true });
      expect(result.durationMs).toBeLessThan(60_000);
      expect(result.output).toContain('The build worker did not answer within 25 s');
      expect(processAlive(worker)).toBe(false);
      expect(builder.workerPid).toBeNull();
      // Fixed: the next test builds it.
      await publishWithImage(stuck, 'Live after a stuck build', null);
    } finally {
      await silent.close();
    }
  }, 240_000);

  it('builds correctly in a new worker after those failures (the next build after a stuck one succeeds)', async () => {
    const next = await build();
    expect(next.ok, next.output).toBe(true);
    expect(next.warm).toBe(false);
    expect(files(next.outDir)).toContain(page());
    const slug = (await (await TestCms.shared()).editor.articleForm(stuck!)).slug as string;
    expect(h1(readFileSync(path.join(next.outDir, 'articles', slug, 'index.html'), 'utf8'))).toBe('Live after a stuck build');
    expect(builder.workerPid).not.toBeNull();
  }, 240_000);

  it('stops the worker on close(), and runs no build after it', async () => {
    const pid = builder.workerPid;
    expect(pid).not.toBeNull();
    await builder.close();
    expect(processAlive(pid!)).toBe(false);
    expect(builder.workerPid).toBeNull();
    const after = await builder.build({});
    expect(after.code).not.toBe(0);
    expect(after.output).toMatch(/closed/);
  }, 240_000);

  /** Publishes `documentId` as `title`, with an image at `url` in its first section (or none). */
  async function publishWithImage(documentId: string, title: string, url: string | null): Promise<void> {
    const editor = (await TestCms.shared()).editor;
    const form = await editor.articleForm(documentId);
    const body = form.body as Array<{ __component: string; body: Array<{ type: string }> }>;
    const section = body.find((block) => block.__component === 'article.section')!;
    section.body = section.body.filter((block) => block.type !== 'image');
    if (url) {
      // What the admin's blocks editor saves for an image from the media library, with the URL an editor put there.
      const now = new Date().toISOString();
      const file = { name: 'x.jpg', hash: 'x_1', ext: '.jpg', mime: 'image/jpeg', size: 1, width: 800, height: 600 };
      const image = { ...file, url, alternativeText: 'An image', provider: 'local', createdAt: now, updatedAt: now };
      section.body.push({ type: 'image', image, children: [{ type: 'text', text: '' }] } as { type: string });
    }
    await editor.publish(documentId, { ...form, title, body });
  }
});
