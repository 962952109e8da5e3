// No publish is lost, and the live site stays whole, whatever breaks: each fault injected for real against the
// real chain (Strapi's webhook → rebuild service → Astro build → site store → static server).
//   - the CMS restarting in the middle of a build: that build fails, the retry succeeds once the CMS is back;
//   - a full disk (the site store on a tiny tmpfs): the build fails writing, the last good build keeps serving,
//     the failed directory is cleaned up, and the retry succeeds once there is room;
//   - a prune of old builds that throws: the new build stays live;
//   - SIGTERM to `npm run rebuild-service` mid-build: the process running Astro (its warm build worker) is killed,
//     the live site is whole, exit 0;
//   - a rich-text image that answers 404, never answers, or sends 5 GB, and one on a host the build does not fetch
//     from: each publish fails in seconds naming the entry, the field and the image, /status shows no response
//     body, and the next publish goes live (once a build hung here for good, and every later publish behind it);
//   - a build that does not end by its deadline: its worker is stopped and replaced, the next build succeeds.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild } from '../../scripts/common/children.ts';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import { buildSite } from '../../scripts/rebuild/build-site.ts';
import type { BuildRecord } from '../../scripts/rebuild/service.ts';
import { checkBuild, SiteStore } from '../../scripts/rebuild/site-store.ts';
import { WarmBuilder } from '../../scripts/rebuild/warm-builder.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { TestStack } from '../support/stack.ts';

const ARTICLE = '/articles/sales-vs-marketing/';
const h1 = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? null;

/** A site store whose prune throws on demand, as a prune that cannot remove an old build does. */
class FaultyStore extends SiteStore {
  failPrune = false;
  protected override async prune(keep: number, activated: string): Promise<void> {
    if (this.failPrune) throw new Error('EACCES: permission denied, rmdir (injected)');
    return super.prune(keep, activated);
  }
}

async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 60_000,
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

describe('rebuild faults', () => {
  let stack: TestStack;
  let store: FaultyStore;
  let documentId: string;
  let dir: string;
  let siteDir: string;
  let noTmpfs: string | null;
  let images: Awaited<ReturnType<typeof badImageServer>>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'agency-faults-'));
    siteDir = path.join(dir, 'site');
    mkdirSync(siteDir);
    noTmpfs = mountTmpfs(siteDir, '64m');
    images = await badImageServer();
    stack = await TestStack.boot({
      siteDir,
      store: (root, warn) => (store = new FaultyStore(root, { warn })),
      retry: { baseMs: 1000, maxMs: 2000, maxAttempts: null },
      // Full builds: these faults strike mid-build, and an incremental publish needs the CMS for its first few
      // milliseconds only (its own faults: tests/integration/incremental.test.ts).
      incremental: false,
      // The bad image server is an allowed image host (a bucket, say); an image that never answers is given up
      // on after 4 s here (30 s by default).
      buildEnv: { IMAGE_HOSTS: images.host, IMAGE_TIMEOUT_MS: '4000' },
    });
    documentId = (await stack.cms.editor.findArticle('sales-vs-marketing')).documentId;
  }, 400_000);
  afterAll(async () => {
    await images?.close();
    await stack?.destroy();
    if (noTmpfs === null) execFileSync('umount', ['-l', siteDir]);
    rmSync(dir, { recursive: true, force: true });
  });

  const served = async () => h1(await (await fetch(`${stack.siteUrl}${ARTICLE}`)).text());
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

  /** The first failed build after `since` builds whose error mentions `text`. */
  const failedWith = (text: string, since: number) =>
    until(
      `a build to fail with ${text}`,
      () => stack.service.history.slice(since).find((b) => b.result === 'failed' && b.error?.includes(text)),
      120_000,
      () => JSON.stringify(stack.service.status().builds.slice(0, 3), null, 1),
    );

  /** After a failed image: the fixed entry's publish goes live as usual. */
  async function fixAndPublish(title: string): Promise<void> {
    await publishArticle(title, null);
    await stack.waitForSite(ARTICLE, (status, html) => status === 200 && h1(html) === title, 120_000);
    await stack.service.idle();
    expect(latest()).toMatchObject({ result: 'succeeded' });
  }

  it('retries a build the CMS restart broke, keeps the last good site meanwhile, and publishes once the CMS is back', async () => {
    const before = await served();
    await stack.cms.editor.saveDraft(documentId, { title: 'Published during a restart' });
    await stack.cms.editor.publish(documentId);
    // The publish's build is under way: now the CMS goes down.
    await until('the build to start', () => stack.service.status().building);
    const running = latest()!;
    await stack.cms.stop();

    const failed = await until('the build to fail', () => (running.result === 'failed' ? running : null));
    expect(failed.trigger.join(' ')).toContain('entry.publish api::article.article');
    expect(failed.error).toMatch(/Cannot reach the CMS at/);
    expect(failed.nextRetryAt).not.toBeNull();
    // While the CMS is down the retries fail too, each in /status, and the last good site keeps serving.
    const retried = await until('a failed retry', () => stack.service.status().builds.find((b) => b.attempt >= 2 && b.result === 'failed'));
    expect(retried.error).toMatch(/Cannot reach the CMS at/);
    expect(stack.service.status().retry).not.toBeNull();
    expect(await served()).toBe(before);

    await stack.cms.start();
    // No new publish: the retry alone brings the change live.
    await stack.waitForSite(ARTICLE, (status, html) => status === 200 && h1(html) === 'Published during a restart', 60_000);
    const succeeded = latest()!;
    expect(succeeded).toMatchObject({ result: 'succeeded' });
    expect(succeeded.attempt).toBeGreaterThanOrEqual(3);
    expect(succeeded.trigger).toEqual(failed.trigger);
    expect(stack.service.status().retry).toBeNull();
  }, 180_000);

  it('keeps the last good build serving when the disk fills up mid-build, cleans up, and retries', async (context) => {
    if (noTmpfs) context.skip(noTmpfs);
    await stack.service.idle();
    const live = store.liveDir()!;
    const before = await served();
    // Leave 8 KB: enough for the build report's first line, not for the pages.
    const { bavail, bsize } = statfsSync(siteDir);
    const filler = path.join(siteDir, 'filler');
    writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 8 * 1024)));
    try {
      await stack.cms.editor.saveDraft(documentId, { title: 'Published on a full disk' });
      await stack.cms.editor.publish(documentId);
      const failed = await until(
        'a build to fail on the full disk',
        () => stack.service.status().builds.find((b) => b.result === 'failed' && /ENOSPC|no space left/i.test(b.error ?? '')),
        60_000,
        () => JSON.stringify(stack.service.status().builds.slice(0, 3), null, 1),
      );
      expect(failed.nextRetryAt).not.toBeNull();
      expect(store.liveDir()).toBe(live);
      expect(await served()).toBe(before);
      expect(() => checkBuild(live, 1)).not.toThrow();
      // The failed build's directory (and its report) are gone.
      await until('the failed build to be cleaned up', () => !stack.service.status().building || undefined);
      expect(existsSync(path.join(store.builds, failed.id))).toBe(false);
      expect(readdirSync(store.builds).filter((name) => name.startsWith(failed.id))).toEqual([]);
    } finally {
      rmSync(filler, { force: true });
    }
    await stack.waitForSite(ARTICLE, (status, html) => status === 200 && h1(html) === 'Published on a full disk', 60_000);
    expect(latest()).toMatchObject({ result: 'succeeded' });
    expect(latest()!.attempt).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('keeps the new build live when pruning old builds throws', async () => {
    await stack.service.idle();
    store.failPrune = true;
    try {
      await stack.cms.editor.saveDraft(documentId, { title: 'Published while pruning fails' });
      await stack.cms.editor.publish(documentId);
      await stack.waitForSite(ARTICLE, (status, html) => status === 200 && h1(html) === 'Published while pruning fails');
      await stack.service.idle();
    } finally {
      store.failPrune = false;
    }
    const record = latest()!;
    expect(record).toMatchObject({ result: 'succeeded', error: null });
    expect(store.liveDir()).toBe(path.join(store.builds, record.id));
    expect(() => checkBuild(store.liveDir()!, 1)).not.toThrow();
    expect(stack.log.some((line) => /pruning old builds .* failed \(the new build is live.*injected/.test(line))).toBe(true);
    expect((await fetch(`${stack.siteUrl}/`)).status).toBe(200);
  }, 120_000);

  it('fails a publish whose image answers 404 within seconds, naming the entry, field and image; no retry, no body in /status; the next publish goes live', async () => {
    await stack.service.idle();
    const before = await served();
    const since = stack.service.history.length;
    const url = `${images.url}/missing.jpg`;
    await publishArticle('With a deleted image', url);
    const failed = await failedWith('missing.jpg', since);
    console.info(`[faults] a 404 image failed its build in ${failed.durationMs} ms`);
    expect(failed.error).toContain(`"With a deleted image", body, image ${url}: 404 Not Found. The file may have been deleted`);
    expect(images.asked('/missing.jpg')).toBeGreaterThanOrEqual(1);
    // The same content would fail the same way: no retry; the editor's next publish builds again.
    expect(failed.nextRetryAt).toBeNull();
    expect(stack.service.status().retry).toBeNull();
    const shown = JSON.stringify(await stack.status());
    expect(shown).not.toContain('BODY-THE-STATUS-MUST-NOT-SHOW');
    expect(shown).not.toContain('Leaky Reason');
    expect(await served()).toBe(before);
    await fixAndPublish('Live after a 404 image');
  }, 300_000);

  it('gives up on an image that never answers after IMAGE_TIMEOUT_MS, naming it, and the next publish goes live', async () => {
    await stack.service.idle();
    const since = stack.service.history.length;
    const url = `${images.url}/silent.jpg`;
    await publishArticle('With a silent image', url);
    const failed = await failedWith('silent.jpg', since);
    console.info(`[faults] an image that never answers failed its build in ${failed.durationMs} ms`);
    expect(failed.error).toContain(`"With a silent image", body, image ${url}: no answer within 4 s`);
    expect(images.asked('/silent.jpg')).toBeGreaterThanOrEqual(1);
    // A host that does not answer may answer later: retried, until the next publish supersedes the retry.
    expect(failed.nextRetryAt).not.toBeNull();
    await fixAndPublish('Live after a silent image');
  }, 300_000);

  it('stops an image that sends 5 GB at its size limit, naming it, and the next publish goes live', async () => {
    await stack.service.idle();
    const since = stack.service.history.length;
    const url = `${images.url}/huge.jpg`;
    await publishArticle('With a 5 GB image', url);
    const failed = await failedWith('huge.jpg', since);
    console.info(
      `[faults] a 5 GB image failed its build in ${failed.durationMs} ms; the server sent ${(images.counts.hugeBytesSent / 2 ** 20).toFixed(1)} MB`,
    );
    expect(failed.error).toContain(`"With a 5 GB image", body, image ${url}: larger than the 50 MB an image may be (it announced 5 GB)`);
    expect(failed.nextRetryAt).toBeNull();
    // The build hung up: the connection is closed, and far less than the limit was sent (what the socket buffers hold).
    await until('the 5 GB download to be closed', () => images.counts.hugeClosed >= images.asked('/huge.jpg'));
    expect(images.counts.hugeBytesSent).toBeLessThan(50 * 2 ** 20);
    await fixAndPublish('Live after a 5 GB image');
  }, 300_000);

  it('refuses a rich-text image on a host that is neither the CMS nor in IMAGE_HOSTS, without fetching it', async () => {
    await stack.service.idle();
    // Another local service (say, a container of the compose network), not a host the build may fetch from.
    const other = await badImageServer();
    try {
      const since = stack.service.history.length;
      const url = `${other.url}/missing.jpg`;
      await publishArticle('With an image from elsewhere', url);
      const failed = await failedWith('not a host the build fetches images from', since);
      expect(failed.error).toContain(
        `"With an image from elsewhere", body, image ${url}: ${other.host} is not a host the build fetches images from`,
      );
      expect(failed.nextRetryAt).toBeNull();
      expect(other.counts.requests.size).toBe(0);
    } finally {
      await other.close();
    }
    await fixAndPublish('Live after an image from elsewhere');
  }, 300_000);

  it('stops a build that does not end by its deadline: its worker is killed and replaced, and the next build succeeds', async () => {
    await stack.service.idle();
    // The image that never answers, with no timeout of its own to speak of: only the build's deadline ends it.
    // (The stack's own builds of this publish fail after 4 s and are retried; they take turns with these.)
    await publishArticle('With a silent image again', `${images.url}/silent.jpg`);
    const builder = new WarmBuilder();
    const out = mkdtempSync(path.join(dir, 'deadline-'));
    try {
      const asked = images.asked('/silent.jpg');
      const env = { CMS_TOKEN: '', IMAGE_HOSTS: images.host, IMAGE_TIMEOUT_MS: '600000' };
      const build = buildSite({ cmsUrl: stack.cms.url, outDir: path.join(out, 'a'), env, builder, timeoutMs: 25_000 });
      await until('the worker to ask for the image', () => images.asked('/silent.jpg') > asked, 60_000);
      const worker = builder.workerPid!;
      const result = await build;
      console.info(`[faults] a build stuck on an image was stopped at its deadline after ${Math.round(result.durationMs)} ms`);
      expect(result).toMatchObject({ ok: false, timedOut: true });
      expect(result.durationMs).toBeLessThan(60_000);
      expect(result.output).toContain('The build worker did not answer within 25 s');
      expect(alive(worker)).toBe(false);
      expect(builder.workerPid).toBeNull();
      // Fixed, the next build runs in a new worker and succeeds.
      await publishArticle('Live after a stuck build', null);
      const next = await buildSite({ cmsUrl: stack.cms.url, outDir: path.join(out, 'b'), env, builder, timeoutMs: 300_000 });
      expect(next.ok, next.output).toBe(true);
      expect(builder.workerPid).not.toBe(worker);
    } finally {
      await builder.close();
    }
    await stack.waitForSite(ARTICLE, (status, html) => status === 200 && h1(html) === 'Live after a stuck build', 120_000);
  }, 300_000);

  it('stops `npm run rebuild-service` on SIGTERM mid-build: Astro killed, live site whole, exit 0', async () => {
    const port = await freePort();
    const standaloneDir = path.join(dir, 'standalone');
    const token = randomBytes(24).toString('base64url');
    const lines: string[] = [];
    const child = startChild('rebuild-service', process.execPath, [path.join(ROOT, 'scripts', 'rebuild', 'rebuild-service.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
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
      const first = await until('the first build', async () => (await status())?.builds.find((b) => b.result !== 'running'), 120_000);
      expect(first.result, lines.join('\n')).toBe('succeeded');
      const liveStore = new SiteStore(standaloneDir, { warn: () => {} });
      const live = liveStore.liveDir()!;

      const hook = await fetch(`${url}/hooks/strapi`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ event: 'entry.publish', model: 'article', uid: 'api::article.article', entry: null }),
      });
      expect(hook.status).toBe(202);
      await until('the publish to start building', async () => (await status())?.building, 30_000);
      // The process running Astro: the service's warm build worker (scripts/rebuild/warm-builder.ts).
      const astro = await until(
        'the Astro build process',
        () => childPids(child.process.pid!).find((pid) => /build-worker|astro/.test(cmdline(pid))),
        30_000,
      );

      process.kill(child.process.pid!, 'SIGTERM');
      expect(await child.exited).toBe(0);
      await until('the Astro process to be gone', () => !alive(astro), 10_000);
      expect(childPids(child.process.pid!)).toEqual([]);
      expect(lines.join('\n')).toMatch(/FAILED/); // the killed build, reported and discarded
      expect(lines.join('\n')).not.toMatch(/retrying in/);
      // The live site is the first build, whole; the killed build's directory is gone.
      expect(liveStore.liveDir()).toBe(live);
      expect(() => checkBuild(live, 1)).not.toThrow();
      // (Beside it, the worker's copy of it for the next publish, if it got that far: web/src/incremental/spare-copy.ts.)
      expect(readdirSync(liveStore.builds).filter((name) => name !== `.spare-${path.basename(live)}`)).toEqual([path.basename(live)]);
    } finally {
      await child.stop();
    }
  }, 240_000);
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
