// The rebuild service's warm builder (scripts/rebuild/warm-builder.ts) against a real CMS: its builds are the
// `astro build` CLI's, file for file, and it never trusts a worker that might build something else:
//   - a fresh `astro build` and two warm builds of the same content write identical files;
//   - builds asked for at once take turns, each with its own log;
//   - a failed build (the CMS down) says why, and the next build runs in a new worker, correctly;
//   - a change to what the worker has loaded (a watched file) replaces it before the next build, and a build
//     itself changes none of the files watched by default (or every build would be cold);
//   - a worker killed mid-build fails that build with a clear message, and the next build works;
//   - a worker is not replaced for the memory its first build left it with (the limit is twice that);
//   - close() mid-build stops the worker: the build fails, no process is left.
// It reads the run's shared CMS (other files' articles in it too: the counts are asked of the CMS), through a
// gate (../support/cms-gate.ts) that is closed for the outage: the shared CMS itself cannot be stopped.
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../scripts/common/sleep.ts';
import { buildSite, type SiteBuild } from '../../scripts/rebuild/build-site.ts';
import { WarmBuilder } from '../../scripts/rebuild/warm-builder.ts';
import { TestCms } from '../support/cms.ts';
import { CmsGate } from '../support/cms-gate.ts';

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('warm builder', () => {
  let cms: CmsGate;
  let dir: string;
  let watched: string;
  let builder: WarmBuilder;
  /** The published articles, as the CMS counts them (what every build must fetch), and one of their slugs. */
  let articles: { count: number; slug: string };
  let n = 0;
  const build = (env: NodeJS.ProcessEnv = {}): Promise<SiteBuild> =>
    buildSite({ cmsUrl: cms.url, outDir: path.join(dir, `site-${++n}`), env: { CMS_TOKEN: '', ...env }, builder });
  const fetched = () => new RegExp(`\\[cms\\] Fetched ${articles.count} articles`, 'g');
  const page = () => `articles/${articles.slug}/index.html`;

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
    builder = new WarmBuilder({ watched: [watched] });
  }, 600_000); // the first file of a run to ask for the shared CMS pays for its boot (and the template's)
  afterAll(async () => {
    await builder?.close();
    await cms?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the same files as a fresh `astro build`, warm from the second build on', async () => {
    const fresh = await buildSite({ cmsUrl: cms.url, outDir: path.join(dir, 'fresh'), env: { CMS_TOKEN: '' } });
    expect(fresh.ok, fresh.output).toBe(true);
    expect(fresh.warm).toBe(false);
    const first = await build();
    const second = await build();
    expect([first.ok, second.ok], second.output).toEqual([true, true]);
    expect([first.warm, second.warm]).toEqual([false, true]);
    expect(second.report?.ok && second.report.content.articles).toBe(articles.count);
    // Astro's own log, as the CLI prints it: what /status and the failure summaries read.
    expect(second.output).toMatch(fetched());
    const expected = files(fresh.outDir);
    expect(expected).toContain(page());
    for (const warm of [first, second]) {
      expect(files(warm.outDir)).toEqual(expected);
      for (const file of expected) {
        expect(readFileSync(path.join(warm.outDir, file)).equals(readFileSync(path.join(fresh.outDir, file))), file).toBe(true);
      }
    }
  }, 240_000);

  it('runs builds asked for at once one after the other, each with its own log', async () => {
    const envFor = (name: string) => ({
      ...process.env,
      NODE_ENV: 'production',
      ASTRO_TELEMETRY_DISABLED: '1',
      CMS_URL: cms.url,
      CMS_TOKEN: '',
      SITE_OUT_DIR: path.join(dir, name),
    });
    const [a, b] = await Promise.all([builder.build(envFor('at-once-a')), builder.build(envFor('at-once-b'))]);
    expect([a.code, b.code], `${a.output}\n${b.output}`).toEqual([0, 0]);
    for (const result of [a, b]) expect(result.output.match(fetched())).toHaveLength(1);
    expect(files(path.join(dir, 'at-once-b'))).toEqual(files(path.join(dir, 'at-once-a')));
  }, 240_000);

  it('fails a build with the CMS down, saying why, and builds correctly in a new worker once it is back', async () => {
    if (builder.workerPid === null) await build(); // a warm worker (the builds above leave one)
    const before = builder.workerPid!;
    await cms.close(); // the CMS out of reach
    let failed: SiteBuild;
    try {
      failed = await build();
    } finally {
      await cms.open();
    }
    expect(failed.ok).toBe(false);
    expect(failed.warm).toBe(true);
    expect(failed.report?.ok === false && failed.report.error.message).toMatch(/Cannot reach the CMS at/);
    // A worker that failed a build is not trusted again.
    expect(builder.workerPid).toBeNull();
    expect(alive(before)).toBe(false);
    const next = await build();
    expect(next.ok, next.output).toBe(true);
    expect(next.warm).toBe(false);
    expect(files(next.outDir)).toContain(page());
  }, 240_000);

  it('replaces the worker when a file it has loaded changes', async () => {
    const warm = await build();
    expect(warm.warm).toBe(true);
    const before = builder.workerPid!;
    const later = new Date(Date.now() + 5000);
    utimesSync(watched, later, later);
    const after = await build();
    expect(after.ok, after.output).toBe(true);
    expect(after.warm).toBe(false);
    expect(builder.workerPid).not.toBe(before);
    expect(alive(before)).toBe(false);
  }, 240_000);

  it('fails a build whose worker is killed, and builds in a new one next', async () => {
    const warm = await build(); // a warm worker, whose next build is not held up by a check of the watched file
    expect(warm.ok, warm.output).toBe(true);
    const pid = builder.workerPid;
    // Never kill(-0): with no worker, -null is 0, and that signals this process's whole group (the test run itself).
    if (!pid || pid <= 0) throw new Error(`No warm worker to kill (workerPid ${pid}): the build before failed.`);
    const killed = build();
    await sleep(300); // into the build
    process.kill(-pid, 'SIGKILL');
    const result = await killed;
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/The build worker exited \(code none: killed\) before the build ended/);
    const next = await build();
    expect(next.ok, next.output).toBe(true);
    expect(next.warm).toBe(false);
  }, 240_000);

  it('stays warm with its default watch list, and keeps a worker whose memory stays under twice what its first build left it with, whatever the floor', async () => {
    // The default watch list: a build touches none of the files it watches (or every build would be cold).
    // A floor of 1 byte leaves the memory rule itself: a fixed limit (what there was) replaced the worker after
    // every build, and at 10,000 articles, where the worker keeps ~2 GB for incremental publishes, every publish
    // was full.
    const own = new WarmBuilder({ minRecycleBytes: 1 });
    try {
      const builds = [];
      for (const name of ['default-1', 'default-2', 'default-3'])
        builds.push(await buildSite({ cmsUrl: cms.url, outDir: path.join(dir, name), env: { CMS_TOKEN: '' }, builder: own }));
      expect(
        builds.map((b) => b.ok),
        builds.at(-1)!.output,
      ).toEqual([true, true, true]);
      expect(builds.map((b) => b.warm)).toEqual([false, true, true]);
      // The worker's memory after each build stayed under twice the first's (~40 MiB a build on the seed site).
      const [base, ...later] = builds.map((b) => b.workerRssBytes!);
      for (const rss of later) expect(rss).toBeLessThan(2 * base!);
    } finally {
      await own.close();
    }
  }, 240_000);

  it('stops the worker on close(), failing the build it was running', async () => {
    const own = new WarmBuilder({ watched: [watched] });
    const outDir = path.join(dir, 'closed');
    const running = buildSite({ cmsUrl: cms.url, outDir, env: { CMS_TOKEN: '' }, builder: own });
    let pid: number | null = null;
    for (let i = 0; i < 100 && pid === null; i++) {
      pid = own.workerPid;
      await sleep(20);
    }
    expect(pid).not.toBeNull();
    await own.close();
    const result = await running;
    expect(result.ok).toBe(false);
    expect(alive(pid!)).toBe(false);
    const after = await own.build({});
    expect(after.code).not.toBe(0);
    expect(after.output).toMatch(/closed/);
  }, 240_000);
});
