// No publish is lost, and the live site stays whole, whatever breaks: each fault injected for real against the
// real chain (Strapi's webhook → rebuild service → Astro build → site store → static server).
//   - a rich-text image that answers 404, sends 5 GB, sits on a host the build does not fetch from, or never
//     answers: each publish fails in seconds naming the entry, the field and the image, /status shows no response
//     body, the publish after it is built at once, and the fixed one goes live (once a build hung here for good,
//     and every later publish behind it);
//   - the CMS going away as a build starts, and coming back: that build fails, the retries fail while it is
//     away, and a retry succeeds once it is back;
//   - a full disk (the site store on a tiny tmpfs): the build fails writing, the last good build keeps serving,
//     the failed directory is cleaned up, and the retry succeeds once there is room;
//   - a prune of old builds that throws: the new build stays live;
//   - a build that does not end by its deadline: its worker is stopped and replaced, the next build succeeds;
//   - SIGTERM to `npm run rebuild-service` mid-build: the process running Astro (its warm build worker) is killed,
//     the live site is whole, exit 0.
// On the run's shared CMS (no Strapi of its own): an article of this file's own, whose publishes reach the
// stack's service through the broker's webhook record; the CMS "goes away" for the builds when the stack's gate
// (../support/cms-gate.ts) closes, since the shared CMS itself cannot be stopped.
// Every build costs (a failed one too: a failure replaces the warm worker, so the next build starts cold), so
// the faults share builds where one proof serves several. The image faults fail in the content loader, before
// Astro renders a page, so they follow one another with no good build between them: one publish and one
// (failing) build each. Then one publish, the image removed, carries the CMS outage, the full disk and the
// failing prune on its build and its retries, each struck as the one before is cleared, and its going live
// proves recovery from all of them.
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
import http from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processAlive, startChild } from '../../scripts/common/children.ts';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { RUN_COUNTS_ENV, RUN_TEST_FILE_ENV } from '../../scripts/common/run-counts.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import { reportPathFor } from '../../scripts/rebuild/build-report.ts';
import { buildSite } from '../../scripts/rebuild/build-site.ts';
import type { BuildRecord } from '../../scripts/rebuild/service.ts';
import { checkBuild, SiteStore } from '../../scripts/rebuild/site-store.ts';
import { WarmBuilder } from '../../scripts/rebuild/warm-builder.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { sampleArticle, TestCms } from '../support/cms.ts';
import type { RecordedHook } from '../support/fixture-broker.ts';
import { hookChannel, sharedCms } from '../support/fixtures.ts';
import { TestStack } from '../support/stack.ts';

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

/**
 * A server for images that misbehave: /missing.jpg answers 404 (with a body /status must not show),
 * /silent.jpg never answers, /huge.jpg announces 5 GB and streams zeros until the client hangs up. It counts
 * what it was asked and what it sent.
 */
async function badImageServer() {
  const counts = { requests: new Map<string, number>(), hugeBytesSent: 0, hugeClosed: 0 };
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const name = request.url ?? '';
    counts.requests.set(name, (counts.requests.get(name) ?? 0) + 1);
    if (name === '/missing.jpg') response.writeHead(404, 'Leaky Reason').end('BODY-THE-STATUS-MUST-NOT-SHOW');
    else if (name === '/huge.jpg') {
      response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(5 * 1024 ** 3) });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        for (let more = true; more && !response.destroyed; counts.hugeBytesSent += chunk.length) more = response.write(chunk);
      };
      response.on('drain', pump);
      response.on('close', () => (counts.hugeClosed += 1));
      pump();
    } else if (name !== '/silent.jpg') response.writeHead(404).end();
    // /silent.jpg: no answer, ever.
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await freePort();
  await listen(server, port);
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    counts,
    asked: (name: string) => counts.requests.get(name) ?? 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}

// Each test waits for a few builds (BUILD_WAIT_MS each at most).
describe('rebuild faults', { timeout: 600_000 }, () => {
  let stack: TestStack;
  let store: FaultyStore;
  let documentId: string;
  let dir: string;
  let siteDir: string;
  let noTmpfs: string | null;
  let images: Awaited<ReturnType<typeof badImageServer>>;
  /** The articles the CMS published when the stack's first build was made: the article pages that build has. */
  let liveArticles: number;

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
      // Full builds: these faults strike mid-build, and an incremental publish needs the CMS for its first few
      // milliseconds only (its own faults: tests/integration/incremental.test.ts).
      incremental: false,
      // The bad image server is an allowed image host (a bucket, say); an image that never answers is given up
      // on after 4 s here (30 s by default).
      buildEnv: { IMAGE_HOSTS: images.host, IMAGE_TIMEOUT_MS: '4000' },
    });
    liveArticles = await publishedArticles();
  }, 600_000); // the first file of a run to ask for the shared CMS pays for its boot (and the template's)
  afterAll(async () => {
    await images?.close();
    await stack?.destroy();
    // The shared CMS outlives this file: its article goes (no stack is listening any more).
    if (documentId) await (await TestCms.shared()).editor.deleteArticle(documentId);
    if (noTmpfs === null) execFileSync('umount', ['-l', siteDir]);
    rmSync(dir, { recursive: true, force: true });
  });

  const served = async () => h1(await (await fetch(`${stack.siteUrl}${ARTICLE}`)).text());
  /** The articles the shared CMS publishes (other files' too): the article pages a whole build of it has. */
  const publishedArticles = async () =>
    (await stack.cms.graphql<{ articles_connection: { pageInfo: { total: number } } }>(`{ articles_connection { pageInfo { total } } }`))
      .data!.articles_connection.pageInfo.total;
  const latest = () => stack.service.status().builds[0];

  /** Publishes the article as `title`, with an image at `url` in its first section (or none). */
  async function publishArticle(title: string, url: string | null): Promise<void> {
    const form = await stack.cms.editor.articleForm(documentId);
    const body = form.body as Array<{ __component: string; body: Array<{ type: string }> }>;
    const section = body.find((block) => block.__component === 'article.section')!;
    section.body = section.body.filter((block) => block.type !== 'image');
    if (url) {
      // What the admin's blocks editor saves for an image from the media library, with the URL an editor (or
      // a script with an API token) put there.
      const now = new Date().toISOString();
      const file = { name: 'x.jpg', hash: 'x_1', ext: '.jpg', mime: 'image/jpeg', size: 1, width: 800, height: 600 };
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

  // The image faults, one publish after another: each fails before a page is rendered, and the next publish is
  // built at once (none waits behind it); the publish after them, with the image removed, goes live below.
  let beforeImages: string | null;

  it('fails a publish whose image answers 404 within seconds, naming the entry, field and image; no retry, no body in /status', async () => {
    await stack.service.idle();
    beforeImages = await served();
    const before = buildsSoFar();
    const url = `${images.url}/missing.jpg`;
    await publishArticle('With a deleted image', url);
    const failed = await failedWith('missing.jpg', before);
    console.info(`[faults] a 404 image failed its build in ${failed.durationMs} ms`);
    expect(failed.error).toContain(`"With a deleted image", body, image ${url}: 404 Not Found. The file may have been deleted`);
    expect(images.asked('/missing.jpg')).toBeGreaterThanOrEqual(1);
    // The same content would fail the same way: no retry; the editor's next publish builds again.
    expect(failed.nextRetryAt).toBeNull();
    expect(stack.service.status().retry).toBeNull();
    const shown = JSON.stringify(await stack.status());
    expect(shown).not.toContain('BODY-THE-STATUS-MUST-NOT-SHOW');
    expect(shown).not.toContain('Leaky Reason');
    expect(await served()).toBe(beforeImages);
  });

  it('stops an image that sends 5 GB at its size limit, naming it', async () => {
    await stack.service.idle();
    const before = buildsSoFar();
    const url = `${images.url}/huge.jpg`;
    await publishArticle('With a 5 GB image', url);
    const failed = await failedWith('huge.jpg', before);
    console.info(
      `[faults] a 5 GB image failed its build in ${failed.durationMs} ms; the server sent ${(images.counts.hugeBytesSent / 2 ** 20).toFixed(1)} MB`,
    );
    expect(failed.error).toContain(`"With a 5 GB image", body, image ${url}: larger than the 50 MB an image may be (it announced 5 GB)`);
    expect(failed.nextRetryAt).toBeNull();
    // The build hung up: the connection is closed, and far less than the limit was sent (what the socket buffers hold).
    await until('the 5 GB download to be closed', () => images.counts.hugeClosed >= images.asked('/huge.jpg'));
    expect(images.counts.hugeBytesSent).toBeLessThan(50 * 2 ** 20);
    expect(await served()).toBe(beforeImages);
  });

  it('refuses a rich-text image on a host that is neither the CMS nor in IMAGE_HOSTS, without fetching it', async () => {
    await stack.service.idle();
    // Another local service (say, a container of the compose network), not a host the build may fetch from.
    const other = await badImageServer();
    try {
      const before = buildsSoFar();
      const url = `${other.url}/missing.jpg`;
      await publishArticle('With an image from elsewhere', url);
      const failed = await failedWith('not a host the build fetches images from', before);
      expect(failed.error).toContain(
        `"With an image from elsewhere", body, image ${url}: ${other.host} is not a host the build fetches images from`,
      );
      expect(failed.nextRetryAt).toBeNull();
      expect(other.counts.requests.size).toBe(0);
    } finally {
      await other.close();
    }
    expect(await served()).toBe(beforeImages);
  });

  it('gives up on an image that never answers after IMAGE_TIMEOUT_MS, naming it', async () => {
    await stack.service.idle();
    const before = buildsSoFar();
    const url = `${images.url}/silent.jpg`;
    await publishArticle('With a silent image', url);
    const failed = await failedWith('silent.jpg', before);
    console.info(`[faults] an image that never answers failed its build in ${failed.durationMs} ms`);
    expect(failed.error).toContain(`"With a silent image", body, image ${url}: no answer within 4 s`);
    expect(images.asked('/silent.jpg')).toBeGreaterThanOrEqual(1);
    // A host that does not answer may answer later: retried, until the next publish supersedes the retry.
    expect(failed.nextRetryAt).not.toBeNull();
    expect(await served()).toBe(beforeImages);
  });

  // After the image faults, one publish with the image removed, and three faults chained on its build and retries,
  // so that one "it goes live" proves recovery from all of them: the CMS goes away as its build starts (that build
  // fails, and a retry too); the CMS is back but the disk is full (a retry fails writing); there is room again
  // and the prune of old builds throws (the retry succeeds, stays live, and the fixed article is served).
  /** The first build of this publish, struck as it started. */
  let failed: BuildRecord;
  /** The last good build, as the faults began: it must keep serving until the publish goes live. */
  let live: string;
  let filler: string;

  it('retries a build the CMS restart broke (the publish after those failed images, built at once) and keeps the last good site meanwhile', async () => {
    await stack.service.idle();
    const before = await served();
    live = store.liveDir()!;
    const gate = stack.gate!;
    const earlier = buildsSoFar();
    // The CMS goes away as the publish's build starts (before Astro can have fetched a thing), as a CMS that
    // restarts under a build does. The publish's own build only (attempt 1, new): not a retry of the silent
    // image that may start before it.
    let running: BuildRecord | undefined;
    store.onBuildStart = () => {
      const record = stack.service.history.at(-1);
      if (!record || earlier.has(record) || record.attempt !== 1) return;
      store.onBuildStart = null;
      running = record;
      void gate.close();
    };
    try {
      // The image removed: this publish supersedes the silent image's planned retry.
      await publishArticle('Published during a restart', null);
      await until('the publish to start building', () => running);
      failed = await until('the build to fail', () => (running!.result === 'failed' ? running : null));
      expect(failed.trigger.join(' ')).toContain('entry.publish api::article.article');
      expect(failed.error).toMatch(/Cannot reach the CMS at/);
      expect(failed.nextRetryAt).not.toBeNull();
      // While the CMS is away the retries fail too, each in /status, and the last good site keeps serving.
      // (This publish's: a retry of the silent image may have failed before it.)
      const retried = await until('a failed retry', () =>
        stack.service.status().builds.find((b) => !earlier.has(b) && b.attempt >= 2 && b.result === 'failed'),
      );
      expect(retried.error).toMatch(/Cannot reach the CMS at/);
      expect(stack.service.status().retry).not.toBeNull();
      expect(await served()).toBe(before);
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
      expect(await served()).toBe(beforeImages);
      // The live build is the stack's first, of the articles published then.
      expect(() => checkBuild(live, liveArticles)).not.toThrow();
      // The failed build's directory (and its report) are gone.
      expect(existsSync(path.join(store.builds, full.id))).toBe(false);
      expect(readdirSync(store.builds).filter((name) => name.startsWith(full.id))).toEqual([]);
      // The next fault, for the retry that finds room: the prune of old builds throws.
      store.failPrune = true;
    } finally {
      rmSync(filler, { force: true });
    }
  });

  it('publishes by the retry alone once the CMS is back and there is room, keeping the new build live when pruning old builds throws: after those failed images, the next publish goes live', async () => {
    try {
      // No new publish: the retry alone brings the change live.
      await stack.waitForSite(ARTICLE, (status, html) => status === 200 && h1(html) === 'Published during a restart', BUILD_WAIT_MS);
      await stack.service.idle();
    } finally {
      store.failPrune = false;
    }
    const succeeded = latest()!;
    expect(succeeded).toMatchObject({ result: 'succeeded', error: null });
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

  it('stops a build that does not end by its deadline: its worker is killed and replaced, and the next build succeeds', async () => {
    await stack.service.idle();
    // This test builds with a builder of its own: the stack's service is not told of these publishes (it would
    // build each, and retry the silent image every 2 s, taking turns with these builds).
    const publishCalls = async () => (await stack.hooks!.calls()).filter(publishOf(documentId)).length;
    const callsBefore = await publishCalls();
    let published = 0;
    await stack.receiveHooks(false);
    const builder = new WarmBuilder();
    const out = mkdtempSync(path.join(dir, 'deadline-'));
    try {
      // The image that never answers, with no timeout of its own to speak of: only the build's deadline ends it.
      await publishArticle('With a silent image again', `${images.url}/silent.jpg`);
      published += 1;
      const asked = images.asked('/silent.jpg');
      const env = { CMS_TOKEN: '', IMAGE_HOSTS: images.host, IMAGE_TIMEOUT_MS: '600000' };
      const started = Date.now();
      const build = buildSite({ cmsUrl: stack.cms.url, outDir: path.join(out, 'a'), env, builder, timeoutMs: 25_000 });
      await until('the worker to ask for the image', () => images.asked('/silent.jpg') > asked);
      console.info(`[faults] a new worker asked for the image ${Date.now() - started} ms into its build`);
      const worker = builder.workerPid!;
      const result = await build;
      console.info(`[faults] a build stuck on an image was stopped at its deadline after ${Math.round(result.durationMs)} ms`);
      expect(result).toMatchObject({ ok: false, timedOut: true });
      expect(result.durationMs).toBeLessThan(60_000);
      expect(result.output).toContain('The build worker did not answer within 25 s');
      expect(processAlive(worker)).toBe(false);
      expect(builder.workerPid).toBeNull();
      // Fixed, the next build runs in a new worker and succeeds.
      await publishArticle('Live after a stuck build', null);
      published += 1;
      const next = await buildSite({ cmsUrl: stack.cms.url, outDir: path.join(out, 'b'), env, builder, timeoutMs: 300_000 });
      expect(next.ok, next.output).toBe(true);
      expect(builder.workerPid).not.toBe(worker);
      expect(h1(readFileSync(path.join(next.outDir, ARTICLE, 'index.html'), 'utf8'))).toBe('Live after a stuck build');
    } finally {
      await builder.close();
      // Strapi calls once the request that caused the call has ended: these publishes' calls must be in before
      // the stack's service is told of calls again, or it would build them.
      await until('the CMS to call for this test’s publishes', async () => (await publishCalls()) >= callsBefore + published, 30_000);
      await stack.receiveHooks(true);
    }
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
