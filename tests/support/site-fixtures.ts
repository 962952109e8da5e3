// The broker's side of the rich site (./rich-site.ts says what is in it): made once per run, when an e2e file
// first asks, as Starlight's e2e fixtures are built once. Before, five reading suites each booted a CMS, filled
// it and built a site (6 boots, 13 builds); now one CMS is filled (the filler written in bulk into its stopped
// database, the rest through the admin API) and one build is made, and the files read its output.
//
// The CMS keeps running after the build: the image tests rebuild from it (the image cache is keyed by the
// CMS's URL, so only the same CMS shows reuse), then stop it for good (`POST /rich-site/stop-cms`) to load the
// pages with no CMS. A file that needs the CMS afterwards gets a clear error, not a hang.
import { mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { buildSite, type SiteBuild } from '../../scripts/rebuild/build-site.ts';
import { servingGeneratorArgs } from '../../scripts/stack/article-generator.ts';
import { CmsAdmin } from '../../scripts/stack/cms-admin.ts';
import { startCms, type RunningCms } from '../../scripts/stack/cms-runner.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { copyTestDatabase, type TestDatabase } from './databases.ts';
import { ownPublicDir } from './public-dir.ts';
import type { CmsTemplate } from './fixture-broker.ts';
import { fillRichCms, FILLER, SITE_URL, type RichImages } from './rich-site.ts';

/** The rich site as the test files get it: its build (outDir, report, output) and what it was built from and with. */
export type RichSite = {
  build: SiteBuild;
  /** The environment the build ran with (SITE_URL, SITE_CACHE_DIR, PUBLIC_CMS_URL): a rebuild uses the same. */
  buildEnv: Record<string, string>;
  /** The CMS it was built from, while it runs (see `stop-cms`); the admin account is in `env`. */
  cms: { url: string; port: number; env: Record<string, string> };
  images: RichImages;
};

export class RichSiteFixture {
  private readonly dir: string;
  private readonly template: () => Promise<CmsTemplate>;
  private made: Promise<RichSite> | undefined;
  private cms: RunningCms | undefined;
  private database: TestDatabase | undefined;

  /** `dir`: the broker's own temporary directory; `template`: the run's SQLite CMS template, the rich CMS's start. */
  constructor(dir: string, template: () => Promise<CmsTemplate>) {
    this.dir = dir;
    this.template = template;
  }

  /** `GET /rich-site`: the site (made on the first call); `POST /rich-site/stop-cms`: stops its CMS for the rest of the run. */
  async route(rest: string[], request: IncomingMessage): Promise<unknown> {
    if (rest.length === 0) return this.site();
    if (rest[0] === 'stop-cms' && request.method === 'POST') {
      await this.site();
      await this.cms?.stop();
      this.cms = undefined;
      return null;
    }
    throw new Error(`The rich site has no ${request.method} ${rest.join('/')}.`);
  }

  private site(): Promise<RichSite> {
    if (!this.made) {
      this.made = this.make();
      // A failure is not remembered: the next file that asks tries again, and reports its own error.
      this.made.catch(() => (this.made = undefined));
    }
    return this.made;
  }

  private async make(): Promise<RichSite> {
    const started = performance.now();
    // Where the time goes, in the run's output: this is the one fixture every reading suite waits for.
    const lap = (what: string) => console.log(`[rich site] ${what} at ${Math.round((performance.now() - started) / 1000)} s`);
    const template = await this.template();
    lap('template ready');
    await this.cms?.stop();
    await this.database?.drop();
    this.database = await copyTestDatabase(template.database);
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...template.env,
      NODE_ENV: 'development',
      ...this.database.env,
      ...ownPublicDir(this.dir).env,
    };
    // In bulk, straight into the tables as the CMS first starts (the load that then serves): the admin path is
    // not what the reading tests are about.
    const port = await freePort();
    this.cms = await startCms({ port, env, args: servingGeneratorArgs({ count: FILLER }) });
    lap(`CMS up with ${FILLER} articles generated`);
    const images = await fillRichCms(new CmsAdmin(this.cms.url, { email: env.ADMIN_EMAIL!, password: env.ADMIN_PASSWORD! }));
    lap('content made');
    const site = path.join(this.dir, 'rich-site');
    rmSync(site, { recursive: true, force: true });
    mkdirSync(site, { recursive: true });
    const buildEnv = {
      SITE_URL,
      SITE_CACHE_DIR: path.join(site, 'cache'),
      // The image tests check that no address of the CMS, public or not, is left in the output.
      PUBLIC_CMS_URL: `http://localhost:${port}`,
    };
    const build = await buildSite({ cmsUrl: this.cms.url, outDir: path.join(site, 'dist'), env: { CMS_TOKEN: '', ...buildEnv } });
    lap(`site built (Astro ${Math.round(build.durationMs / 1000)} s)`);
    if (!build.ok) throw new Error(`The rich site's build failed:\n${build.output}`);
    return { build, buildEnv, cms: { url: this.cms.url, port, env: { ...template.env, PUBLIC_DIR: env.PUBLIC_DIR! } }, images };
  }

  async close(): Promise<void> {
    await this.cms?.stop().catch(() => undefined);
    await this.database?.drop().catch(() => undefined);
  }
}
