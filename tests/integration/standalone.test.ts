// The standalone entry points as real processes: `npm run serve-site` (scripts/rebuild/serve-site.ts) serving the live
// build of a site store, and `npm run rebuild-service` in local mode building once at start. No Strapi: the
// local-mode build is pointed at a closed port, so it fails, which is what this checks (the service stays up and
// says why). The full publish → live chain is covered by the end-to-end tests.
// @test-lane: own
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startChild, type Child } from '../../scripts/common/children.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import type { BuildRecord } from '../../scripts/rebuild/service.ts';
import { SiteStore } from '../../scripts/rebuild/site-store.ts';
import { freePort } from '../../scripts/stack/ports.ts';

const children: Child[] = [];

function start(script: string, env: Record<string, string>): { child: Child; lines: string[] } {
  const lines: string[] = [];
  const child = startChild(script, process.execPath, [path.join(ROOT, 'scripts', 'rebuild', script)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    onLine: (line) => lines.push(line),
  });
  children.push(child);
  return { child, lines };
}

async function waitForLine(started: { child: Child; lines: string[] }, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void started.child.exited.then(() => (exited = true));
  for (;;) {
    const line = started.lines.find((l) => pattern.test(l));
    if (line) return line;
    if (exited || Date.now() > deadline) throw new Error(`no line matching ${pattern}:\n${started.child.tail()}`);
    await sleep(25);
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'agency-standalone-'));
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.stop()));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run serve-site', () => {
  it('answers 503 before the first build, then serves whatever build goes live, with its 404 page', async () => {
    const siteDir = path.join(dir, 'serve');
    const port = await freePort();
    const service = start('serve-site.ts', { SITE_DIR: siteDir, SITE_PORT: String(port) });
    const line = await waitForLine(service, /^\[site\] serving /);
    expect(line).toContain(`http://127.0.0.1:${port}/`);
    expect(line).toMatch(/no build live yet/);
    const url = `http://127.0.0.1:${port}`;
    expect((await fetch(`${url}/`)).status).toBe(503);

    // A build goes live the way the rebuild service does it: a new directory, then an atomic switch.
    const store = new SiteStore(siteDir);
    for (const version of ['one', 'two']) {
      const build = store.newBuildDir(`build-${version}`);
      mkdirSync(build, { recursive: true });
      writeFileSync(path.join(build, 'index.html'), `<!doctype html><title>${version}</title></html>`);
      writeFileSync(path.join(build, '404.html'), '<!doctype html><title>not here</title></html>');
      await store.activate(build);
      const home = await fetch(`${url}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain(`<title>${version}</title>`);
    }
    const missing = await fetch(`${url}/nope/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('not here');
  });

  it('stops on SIGTERM with exit code 0 and frees the port', async () => {
    const port = await freePort();
    const service = start('serve-site.ts', { SITE_DIR: path.join(dir, 'stop'), SITE_PORT: String(port) });
    await waitForLine(service, /^\[site\] serving /);
    process.kill(service.child.process.pid!, 'SIGTERM');
    expect(await service.child.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('exits 1 naming SITE_PORT when it is invalid or taken', async () => {
    const bad = start('serve-site.ts', { SITE_DIR: path.join(dir, 'bad'), SITE_PORT: 'x' });
    expect(await bad.child.exited).toBe(1);
    expect(bad.child.tail()).toMatch(/SITE_PORT must be a port number/);

    const blocker = http.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const taken = start('serve-site.ts', { SITE_DIR: path.join(dir, 'bad'), SITE_PORT: String(port) });
      expect(await taken.child.exited).toBe(1);
      expect(taken.child.tail()).toMatch(new RegExp(`Port ${port} \\(SITE_PORT\\) is already in use`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('npm run rebuild-service in local mode', () => {
  it('builds once at start; a failed build is shown in /status and the service keeps running', async () => {
    const port = await freePort();
    const closed = await freePort();
    const siteDir = path.join(dir, 'local');
    const token = randomBytes(24).toString('base64url');
    const service = start('rebuild-service.ts', {
      WEBHOOK_TOKEN: token,
      REBUILD_PORT: String(port),
      CMS_URL: `http://127.0.0.1:${closed}`,
      CMS_TOKEN: '',
      SITE_DIR: siteDir,
      REBUILD_QUIET_MS: '0',
    });
    const line = await waitForLine(service, /^\[rebuild\] local mode on /);
    expect(line).toContain(`http://127.0.0.1:${port}`);
    expect(line).toContain(`builds from http://127.0.0.1:${closed} into ${siteDir}`);
    expect(line).not.toContain(token);

    const url = `http://127.0.0.1:${port}`;
    let failed: BuildRecord | undefined;
    const deadline = Date.now() + 90_000;
    while (!failed && Date.now() < deadline) {
      const status = (await (await fetch(`${url}/status`)).json()) as { mode: string; builds: BuildRecord[]; live: unknown };
      expect(status.mode).toBe('local');
      failed = status.builds.find((build) => build.result === 'failed');
      if (!failed) await sleep(200);
    }
    expect(failed, service.child.tail()).toBeDefined();
    expect(failed!.trigger).toEqual(['start ?']);
    // The reason is the build report's message, not a slice of Astro's log.
    expect(failed!.error).toMatch(new RegExp(`^Cannot reach the CMS at http://127\\.0\\.0\\.1:${closed}\\b`));
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(new SiteStore(siteDir).liveDir()).toBeNull();
  });
});
