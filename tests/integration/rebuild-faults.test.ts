// The rebuild service against the real chain (Strapi's webhook → rebuild service → Astro build → site store →
// static server), on one stack: publish → live (./publish-live.suite.ts, run here on this file's stack), then
// faults injected for real. No publish is lost, and the live site stays whole, whatever breaks:
//   - an article's publish with three images that answer 404, send 5 GB and sit on a host the build does not
//     fetch from: one incremental publish (what production runs for a publish that names its entry) fails in
//     seconds naming each with its entry, field and image, /status shows no response body, no retry, and the
//     warm worker keeps the live build; an image that never answers fails its publish too, which is retried;
//     the fixed publish then goes live, incrementally, in that same worker (once a build hung here for good,
//     and every later publish behind it);
//   - the CMS going away as a full build starts in the warm worker, and coming back: that build fails (the
//     worker is not trusted again), the retries fail while it is away, and a retry succeeds once it is back;
//   - a full disk (the site store on a tiny tmpfs): the build fails writing, the last good build keeps serving,
//     the failed directory is cleaned up, and the retry succeeds once there is room;
//   - a prune of old builds that throws: the new build stays live;
//   - SIGTERM to `npm run rebuild-service` mid-build: the process running Astro (its warm build worker) is killed,
//     the live site is whole, exit 0.
// (A build past its deadline: ./warm-builder.test.ts, with the warm builder's other failures.)
// On the run's shared CMS (no Strapi of its own): articles of this file's own, whose publishes reach the
// stack's service through the broker's webhook record; the CMS "goes away" for the builds when the stack's gate
// (../support/cms-gate.ts) closes, since the shared CMS itself cannot be stopped.
// Every full build costs (a failed one too: a failure replaces the warm worker, so the next build starts cold),
// so the faults share builds where one proof serves several: the image faults are incremental publishes (no full
// build at all), and one publish, built in full, carries the CMS outage, the full disk and the failing prune on
// its build and its retries, each struck as the one before is cleared, and its going live proves recovery from
// all of them.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive, startChild } from '../../scripts/common/children.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { RUN_COUNTS_ENV, RUN_TEST_FILE_ENV } from '../../scripts/common/run-counts.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import { reportPathFor } from '../../scripts/rebuild/build-report.ts';
import type { BuildRecord } from '../../scripts/rebuild/service.ts';
import { checkBuild, SiteStore } from '../../scripts/rebuild/site-store.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { badImageServer } from '../support/bad-images.ts';
import { sampleArticle, TestCms } from '../support/cms.ts';
import type { RecordedHook } from '../support/fixture-broker.ts';
import { hookChannel, sharedCms } from '../support/fixtures.ts';
import { TestStack } from '../support/stack.ts';
import { publishLiveSuite } from './publish-live.suite.ts';

const SLUG = `faults-${randomBytes(4).toString('hex')}`;
const ARTICLE = `/articles/${SLUG}/`;
/**
 * How long a wait that includes a build may take: on a loaded 2-core machine, behind another file's build at the
 * checkout's build lock (scripts/rebuild/build-site.ts), one has taken over a minute.
 */
const BUILD_WAIT_MS = 180_000;
const h1 = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? null;
const entryOf = (call: RecordedHook) => (call.body as { entry?: { documentId?: string } }).entry?.documentId;
/** Whether `call` is the CMS's call for a publish of the entry `documentId`. */
const publishOf = (documentId: string) => (call: RecordedHook) =>
  entryOf(call) === documentId && (call.body as { event?: string }).event === 'entry.publish';

/**
 * A site store whose prune throws on demand, as a prune that cannot remove an old build does, and that says when
 * a build starts (its directory is asked for, before Astro runs): the moment a test strikes "mid-build".
 */
class FaultyStore extends SiteStore {
  failPrune = false;
  onBuildStart: (() => void) | null = null;
  override newBuildDir(id: string): string {
    const dir = super.newBuildDir(id);
    this.onBuildStart?.();
    return dir;
  }
  protected override async prune(keep: number, activated: string): Promise<void> {
    if (this.failPrune) throw new Error('EACCES: permission denied, rmdir (injected)');
    return super.prune(keep, activated);
  }
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = BUILD_WAIT_MS,
  context: () => string = () => '',
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${context()}`);
    await sleep(50);
  }
}

/** Mounts a tmpfs of `size` at `dir`; the reason when this machine does not allow it. */
function mountTmpfs(dir: string, size: string): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `mounting a tmpfs is not permitted here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`;
  }
}

/** The warm build workers this process runs (from /proc): the stack's service has one at most. */
const buildWorkers = () => childPids(process.pid).filter((pid) => /build-worker/.test(cmdline(pid)));

describe('the rebuild service', () => {
  let stack: TestStack;
  let store: FaultyStore;
  let documentId: string;
  let dir: string;
  let siteDir: string;
  let noTmpfs: string | null;
  let images: Awaited<ReturnType<typeof badImageServer>>;
  /** Whether an article's publish is incremental (production's way); the fault chain below builds in full. */
  let incremental = true;
  /** The entries publish → live made: deleted with this file's own once the stack is gone. */
  const created: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'agency-faults-'));
    siteDir = path.join(dir, 'site');
    mkdirSync(siteDir);
    noTmpfs = mountTmpfs(siteDir, '64m');
    images = await badImageServer();
    // Published before the stack starts: its first build has it, and its webhook call is not the stack's (it is
    // in before the stack listens, or the stack would build it once more).
    documentId = await (await TestCms.shared()).editor.createArticle(sampleArticle(SLUG), { publish: true });
    await hookChannel(await sharedCms('sqlite')).waitFor(publishOf(documentId));
    stack = await TestStack.boot({
      shared: true,
      siteDir,
      store: (root, warn) => (store = new FaultyStore(root, { warn })),
      // 2 s between attempts: a failure's assertions, and the next publish (which supersedes a planned retry),
      // come well before it, so each fault costs the builds it is about and no more.
      retry: { baseMs: 2000, maxMs: 2000, maxAttempts: null },
      // An article's publish is incremental, as in production; the fault chain below turns it off, for faults
      // that strike a full build mid-build (an incremental publish needs the CMS for its first few milliseconds
      // only: its own faults are in tests/integration/incremental.test.ts).
      incremental: () => incremental,
      // What ./publish-live.suite.ts needs for its burst (it says why).
      quietMs: 1000,
      maxWaitMs: 5000,
      // The bad image server is an allowed image host (a bucket, say); an image that never answers is given up
      // on after 4 s here (30 s by default).
      buildEnv: { IMAGE_HOSTS: images.host, IMAGE_TIMEOUT_MS: '4000' },
    });
  }, 600_000); // the first file of a run to ask for the shared CMS pays for its boot (and the template's)
  afterAll(async () => {
    await images?.close();
    await stack?.destroy();
    // The shared CMS outlives this file: its articles go (no stack is listening any more).
    const shared = await TestCms.shared();
    for (const id of [documentId, ...created]) if (id) await shared.editor.deleteArticle(id);
    if (noTmpfs === null) execFileSync('umount', ['-l', siteDir]);
    rmSync(dir, { recursive: true, force: true });
  });

  publishLiveSuite({ stack: () => stack, created });

  const served = async () => h1(await (await fetch(`${stack.siteUrl}${ARTICLE}`)).text());
  /** The articles the shared CMS publishes (other files' too): the article pages a whole build of it has. */
  const publishedArticles = async () =>
    (await stack.cms.graphql<{ articles_connection: { pageInfo: { total: number } } }>(`{ articles_connection { pageInfo { total } } }`))
      .data!.articles_connection.pageInfo.total;
  const latest = () => stack.service.status().builds[0];

  /** Publishes the article as `title`, with images at `urls` in its first section (or none). */
  async function publishArticle(title: string, urls: readonly string[]): Promise<void> {
    const form = await stack.cms.editor.articleForm(documentId);
    const body = form.body as Array<{ __component: string; body: Array<{ type: string }> }>;
    const section = body.find((block) => block.__component === 'article.section')!;
    section.body = section.body.filter((block) => block.type !== 'image');
    for (const [i, url] of urls.entries()) {
      // What the admin's blocks editor saves for an image from the media library, with the URL an editor (or
      // a script with an API token) put there.
      const now = new Date().toISOString();
      const file = { name: `x${i}.jpg`, hash: `x_${i}`, ext: '.jpg', mime: 'image/jpeg', size: 1, width: 800, height: 600 };
      const image = { ...file, url, alternativeText: 'An image', provider: 'local', createdAt: now, updatedAt: now };
      section.body.push({ type: 'image', image, children: [{ type: 'text', text: '' }] } as { type: string });
    }
    await stack.cms.editor.publish(documentId, { ...form, title, body });
  }

  /** The builds the service has made so far: what a later failedWith() looks past. */
  const buildsSoFar = () => new Set(stack.service.history);

  /** The first failed build not in `before` whose error mentions `text`. */
  const failedWith = (text: string, before: Set<BuildRecord>) =>
    until(
      `a build to fail with ${text}`,
      () => stack.service.history.find((b) => !before.has(b) && b.result === 'failed' && b.error?.includes(text)),
      BUILD_WAIT_MS,
      () => JSON.stringify(stack.service.status().builds.slice(0, 3), null, 1),
    );

  describe('rebuild faults', { timeout: 600_000 }, () => {
    // The image faults, as production meets them: an article's publish names its entry, so it is incremental,
    // and its images step (the changed article's images, fetched before a page is rendered) fails the publish
    // as a full build's would, with no full build after it. Then the fixed publish goes live, incrementally too.
    let beforeImages: string | null;
    /** The stack's warm worker, which made the live build: the image faults must not cost it. */
    let worker: number;

    it('fails one incremental publish whose images answer 404, send 5 GB and sit on a host not allowed, in seconds, naming each with its entry, field and image; no retry, no body in /status, no full build after it, and the worker keeps the live build', async () => {
      await stack.service.idle();
      beforeImages = await served();
      expect(buildWorkers()).toHaveLength(1);
      worker = buildWorkers()[0]!;
      // Another local service (say, a container of the compose network), not a host the build may fetch from.
      const other = await badImageServer();
      try {
        const before = buildsSoFar();
        const urls = { missing: `${images.url}/missing.jpg`, huge: `${images.url}/huge.jpg`, elsewhere: `${other.url}/missing.jpg` };
        await publishArticle('With three broken images', Object.values(urls));
        const failed = await failedWith('missing.jpg', before);
        console.info(
          `[faults] three broken images failed their publish in ${failed.durationMs} ms; the 5 GB one sent ${(images.counts.hugeBytesSent / 2 ** 20).toFixed(1)} MB`,
        );
        // Each named, with what to do: the editor fixes all three at once.
        expect(failed.error).toContain(
          `"With three broken images", body, image ${urls.missing}: 404 Not Found. The file may have been deleted`,
        );
        expect(failed.error).toContain(
          `"With three broken images", body, image ${urls.huge}: larger than the 50 MB an image may be (it announced 5 GB)`,
        );
        expect(failed.error).toContain(
          `"With three broken images", body, image ${urls.elsewhere}: ${other.host} is not a host the build fetches images from`,
        );
        expect(images.asked('/missing.jpg')).toBeGreaterThanOrEqual(1);
        // The image on a host not allowed was never asked for.
        expect(other.counts.requests.size).toBe(0);
        // The 5 GB download was hung up: the connection is closed, and far less than the limit was sent (what the
        // socket buffers hold).
        await until('the 5 GB download to be closed', () => images.counts.hugeClosed >= images.asked('/huge.jpg'));
        expect(images.counts.hugeBytesSent).toBeLessThan(50 * 2 ** 20);
        // The same content would fail the same way: no retry; the editor's next publish builds again.
        expect(failed.nextRetryAt).toBeNull();
        expect(stack.service.status().retry).toBeNull();
        const shown = JSON.stringify(await stack.status());
        expect(shown).not.toContain('BODY-THE-STATUS-MUST-NOT-SHOW');
        expect(shown).not.toContain('Leaky Reason');
        expect(await served()).toBe(beforeImages);
        // One record for the publish, and no full build after its update (a failed one would have ended the
        // worker): the worker that made the live build still runs.
        await stack.service.idle();
        expect(stack.service.history.filter((build) => !before.has(build))).toEqual([failed]);
        expect(buildWorkers()).toEqual([worker]);
      } finally {
        await other.close();
      }
    });

    it('gives up on an image that never answers after IMAGE_TIMEOUT_MS, naming it, and retries that publish', async () => {
      await stack.service.idle();
      const before = buildsSoFar();
      const url = `${images.url}/silent.jpg`;
      await publishArticle('With a silent image', [url]);
      const failed = await failedWith('silent.jpg', before);
      console.info(`[faults] an image that never answers failed its publish in ${failed.durationMs} ms`);
      expect(failed.error).toContain(`"With a silent image", body, image ${url}: no answer within 4 s`);
      expect(images.asked('/silent.jpg')).toBeGreaterThanOrEqual(1);
      // A host that does not answer may answer later: retried, until the next publish supersedes the retry.
      expect(failed.nextRetryAt).not.toBeNull();
      expect(await served()).toBe(beforeImages);
      expect(buildWorkers()).toEqual([worker]);
    });

    it('builds the fixed publish after those failed images at once, incrementally, in the same worker, and it goes live', async () => {
      // The image removed: this publish supersedes the silent image's planned retry.
      await publishArticle('Fixed: no broken image', []);
      await stack.waitForSite(ARTICLE, (status, html) => status === 200 && h1(html) === 'Fixed: no broken image', BUILD_WAIT_MS);
      await stack.service.idle();
      expect(latest()).toMatchObject({ result: 'succeeded', error: null });
      expect(latest()!.detail).toMatch(
        /; incremental: \d+ of \d+ pages rendered, .*; incremental build, worker \d+ MiB; then search index made again/,
      );
      expect(stack.service.status().retry).toBeNull();
      expect(buildWorkers()).toEqual([worker]);
    });

    // Then one publish, built in full, and three faults chained on its build and retries, so that one "it goes
    // live" proves recovery from all of them: the CMS goes away as its build starts in the warm worker (that build
    // fails, the worker goes, and a retry fails too); the CMS is back but the disk is full (a retry fails
    // writing); there is room again and the prune of old builds throws (the retry succeeds, stays live, and the
    // article is served).
    /** The first build of this publish, struck as it started. */
    let failed: BuildRecord;
    /** The last good build, as the faults began: it must keep serving until the publish goes live. */
    let live: string;
    /** What it serves of the article, and how many articles it has. */
    let servedBefore: string | null;
    let liveBefore: number;
    let filler: string;

    it('retries a build the CMS restart broke (in the warm worker, which is not trusted again), reports why, and keeps the last good site serving meanwhile', async () => {
      await stack.service.idle();
      incremental = false;
      servedBefore = await served();
      liveBefore = await publishedArticles();
      live = store.liveDir()!;
      const gate = stack.gate!;
      const earlier = buildsSoFar();
      // The warm worker that made the live build: the build below runs in it.
      expect(buildWorkers()).toEqual([worker]);
      let ranIn: number[] = [];
      // The CMS goes away as the publish's build starts (before Astro can have fetched a thing), as a CMS that
      // restarts under a build does. The publish's own build only (attempt 1, new): not a retry of the silent
      // image that may start before it.
      let running: BuildRecord | undefined;
      store.onBuildStart = () => {
        const record = stack.service.history.at(-1);
        if (!record || earlier.has(record) || record.attempt !== 1) return;
        store.onBuildStart = null;
        running = record;
        ranIn = buildWorkers();
        void gate.close();
      };
      try {
        // The image removed: this publish supersedes the silent image's planned retry.
        await publishArticle('Published during a restart', []);
        await until('the publish to start building', () => running);
        failed = await until('the build to fail', () => (running!.result === 'failed' ? running : null));
        expect(failed.trigger.join(' ')).toContain('entry.publish api::article.article');
        expect(failed.error).toMatch(/Cannot reach the CMS at/);
        expect(failed.nextRetryAt).not.toBeNull();
        expect(stack.log.some((line) => /FAILED .*last good site keeps serving/.test(line))).toBe(true);
        // It ran in the warm worker, which a failed build leaves untrusted: it is gone, and the next build starts
        // a new one.
        expect(ranIn).toEqual([worker]);
        expect(processAlive(worker)).toBe(false);
        // While the CMS is away the retries fail too, each in /status, and the last good site keeps serving.
        // (This publish's: a retry of the silent image may have failed before it.)
        const retried = await until('a failed retry', () =>
          stack.service.status().builds.find((b) => !earlier.has(b) && b.attempt >= 2 && b.result === 'failed'),
        );
        expect(retried.error).toMatch(/Cannot reach the CMS at/);
        expect(stack.service.status().retry).not.toBeNull();
        const page = await fetch(`${stack.siteUrl}${ARTICLE}`);
        expect(page.status).toBe(200);
        expect(h1(await page.text())).toBe(servedBefore);
        expect(store.liveDir()).toBe(live);
        // The next fault, for the retries once the CMS is back: the disk full (leaving 8 KB, enough for the
        // build report's first line, not for the pages). Without a tmpfs, the prune's fault comes at once.
        if (noTmpfs) store.failPrune = true;
        else {
          const { bavail, bsize } = statfsSync(siteDir);
          filler = path.join(siteDir, 'filler');
          writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 8 * 1024)));
        }
      } finally {
        // Whatever failed above: the CMS comes back, or every later build (and test) fails for want of it.
        store.onBuildStart = null;
        await gate.open();
      }
    });

    it('keeps the last good build serving when the disk fills up mid-build (the CMS back), cleans up, and retries', async (context) => {
      if (noTmpfs) context.skip(noTmpfs);
      try {
        const full = await until(
          'a retry to fail on the full disk',
          () => stack.service.status().builds.find((b) => b.result === 'failed' && /ENOSPC|no space left/i.test(b.error ?? '')),
          BUILD_WAIT_MS,
          () => JSON.stringify(stack.service.status().builds.slice(0, 3), null, 1),
        );
        expect(full.trigger).toEqual(failed.trigger);
        expect(full.nextRetryAt).not.toBeNull();
        expect(store.liveDir()).toBe(live);
        expect(await served()).toBe(servedBefore);
        // The live build is the one before the faults (the fixed publish's), whole.
        expect(() => checkBuild(live, liveBefore)).not.toThrow();
        // The failed build's directory (and its report) are gone.
        expect(existsSync(path.join(store.builds, full.id))).toBe(false);
        expect(readdirSync(store.builds).filter((name) => name.startsWith(full.id))).toEqual([]);
        // The next fault, for the retry that finds room: the prune of old builds throws.
        store.failPrune = true;
      } finally {
        rmSync(filler, { force: true });
      }
    });

    it('publishes by the retry alone once the CMS is back and there is room, in a new worker, keeping the new build live when pruning old builds throws', async () => {
      try {
        // No new publish: the retry alone brings the change live.
        await stack.waitForSite(ARTICLE, (status, html) => status === 200 && h1(html) === 'Published during a restart', BUILD_WAIT_MS);
        await stack.service.idle();
      } finally {
        store.failPrune = false;
        incremental = true;
      }
      const succeeded = latest()!;
      expect(succeeded).toMatchObject({ result: 'succeeded', error: null });
      // Built correctly in a new worker after those failures: a cold build.
      expect(succeeded.detail).toMatch(/; cold build, worker \d+ MiB$/);
      expect(buildWorkers()).not.toContain(worker);
      // The publish's build, a retry that failed while the CMS was away, (one on the full disk,) then this one.
      expect(succeeded.attempt).toBeGreaterThanOrEqual(3);
      expect(succeeded.trigger).toEqual(failed.trigger);
      expect(stack.service.status().retry).toBeNull();
      // The prune threw, and the new build stayed live, whole.
      expect(store.liveDir()).toBe(path.join(store.builds, succeeded.id));
      const articles = await publishedArticles();
      expect(() => checkBuild(store.liveDir()!, articles)).not.toThrow();
      expect(stack.log.some((line) => /pruning old builds .* failed \(the new build is live.*injected/.test(line))).toBe(true);
      expect((await fetch(`${stack.siteUrl}/`)).status).toBe(200);
    });

    it('stops `npm run rebuild-service` on SIGTERM mid-build: Astro killed, live site whole, exit 0', async () => {
      await stack.service.idle();
      const port = await freePort();
      const standaloneDir = path.join(dir, 'standalone');
      // Its live site to start from: a copy of the stack's. The service builds once at start, and that build is the
      // one SIGTERM strikes; the copy is the live site that must stay whole.
      const live = path.join(standaloneDir, 'builds', path.basename(store.liveDir()!));
      cpSync(store.liveDir()!, live, { recursive: true });
      symlinkSync(path.relative(standaloneDir, live), path.join(standaloneDir, 'current'));
      const articles = await publishedArticles();
      const token = randomBytes(24).toString('base64url');
      const lines: string[] = [];
      const child = startChild('rebuild-service', process.execPath, [path.join(ROOT, 'scripts', 'rebuild', 'rebuild-service.ts')], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          // Its builds count in the run's report, as this file's (scripts/common/run-counts.ts).
          [RUN_COUNTS_ENV]: process.env[RUN_COUNTS_ENV],
          [RUN_TEST_FILE_ENV]: process.env[RUN_TEST_FILE_ENV],
          WEBHOOK_TOKEN: token,
          REBUILD_PORT: String(port),
          CMS_URL: stack.cms.url,
          CMS_TOKEN: '',
          SITE_DIR: standaloneDir,
          REBUILD_QUIET_MS: '0',
        },
        onLine: (line) => lines.push(line),
      });
      try {
        const url = `http://127.0.0.1:${port}`;
        const status = async () => {
          try {
            return (await (await fetch(`${url}/status`)).json()) as { building: boolean; builds: BuildRecord[] };
          } catch {
            return null; // not listening yet
          }
        };
        const liveStore = new SiteStore(standaloneDir, { warn: () => {} });
        expect(liveStore.liveDir()).toBe(live);
        const building = await until('the start build', async () => (await status())?.builds.find((b) => b.result === 'running'), 60_000);

        // A publish meanwhile is taken, to be built after the running build.
        const hook = await fetch(`${url}/hooks/strapi`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ event: 'entry.publish', model: 'article', uid: 'api::article.article', entry: null }),
        });
        expect(hook.status).toBe(202);
        // The process running Astro: the service's warm build worker (scripts/rebuild/warm-builder.ts).
        const astro = await until('the Astro build process', () =>
          childPids(child.process.pid!).find((pid) => /build-worker|astro/.test(cmdline(pid))),
        );
        // Mid-build: Astro has started it (its report says "started", ../../web/src/integrations/build-report.ts).
        await until(
          'Astro to start the build',
          () => existsSync(reportPathFor(path.join(liveStore.builds, building.id))),
          BUILD_WAIT_MS,
          () => lines.join('\n'),
        );

        process.kill(child.process.pid!, 'SIGTERM');
        expect(await child.exited).toBe(0);
        await until('the Astro process to be gone', () => !processAlive(astro), 10_000);
        expect(childPids(child.process.pid!)).toEqual([]);
        expect(lines.join('\n')).toMatch(/FAILED/); // the killed build, reported and discarded
        expect(lines.join('\n')).not.toMatch(/retrying in/);
        // The live site is the one it started with, whole; the killed build's directory is gone.
        expect(liveStore.liveDir()).toBe(live);
        expect(() => checkBuild(live, articles)).not.toThrow();
        // (Beside it, the worker's copy of it for the next publish, if it got that far: web/src/incremental/spare-copy.ts.)
        expect(readdirSync(liveStore.builds).filter((name) => name !== `.spare-${path.basename(live)}`)).toEqual([path.basename(live)]);
      } finally {
        await child.stop();
      }
    });
  });
});

/** The processes whose parent is `pid` (from /proc). */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((candidate) => {
      try {
        const stat = readFileSync(`/proc/${candidate}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
