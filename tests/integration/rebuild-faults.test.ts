// No publish is lost, and the live site stays whole, whatever breaks: each fault injected for real against the
// real chain (Strapi's webhook → rebuild service → Astro build → site store → static server).
//   - the CMS restarting in the middle of a build: that build fails, the retry succeeds once the CMS is back;
//   - a full disk (the site store on a tiny tmpfs): the build fails writing, the last good build keeps serving,
//     the failed directory is cleaned up, and the retry succeeds once there is room;
//   - a prune of old builds that throws: the new build stays live;
//   - SIGTERM to `npm run rebuild-service` mid-build: the process running Astro (its warm build worker) is killed,
//     the live site is whole, exit 0.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild } from '../../scripts/common/children.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import type { BuildRecord } from '../../scripts/rebuild/service.ts';
import { checkBuild, SiteStore } from '../../scripts/rebuild/site-store.ts';
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

describe('rebuild faults', () => {
  let stack: TestStack;
  let store: FaultyStore;
  let documentId: string;
  let dir: string;
  let siteDir: string;
  let noTmpfs: string | null;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'agency-faults-'));
    siteDir = path.join(dir, 'site');
    mkdirSync(siteDir);
    noTmpfs = mountTmpfs(siteDir, '64m');
    stack = await TestStack.boot({
      siteDir,
      store: (root, warn) => (store = new FaultyStore(root, { warn })),
      retry: { baseMs: 1000, maxMs: 2000, maxAttempts: null },
      // Full builds: these faults strike mid-build, and an incremental publish needs the CMS for its first few
      // milliseconds only (its own faults: tests/integration/incremental.test.ts).
      incremental: false,
    });
    documentId = (await stack.cms.editor.findArticle('sales-vs-marketing')).documentId;
  }, 400_000);
  afterAll(async () => {
    await stack?.destroy();
    if (noTmpfs === null) execFileSync('umount', ['-l', siteDir]);
    rmSync(dir, { recursive: true, force: true });
  });

  const served = async () => h1(await (await fetch(`${stack.siteUrl}${ARTICLE}`)).text());
  const latest = () => stack.service.status().builds[0];

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
