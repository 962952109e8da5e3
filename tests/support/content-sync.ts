// The first step of a site build, alone: the content layer's loaders (web/src/content/loader.ts, which `astro
// build` runs before it renders any page) against a real CMS, with all three collections loading at once as
// Astro's sync does. A build that cannot get its content fails in this step, so a test of why it fails (the CMS
// down, a wrong token) can read the loader's own error here without paying for a whole `astro build`; one real
// failing build (tests/integration/site-failures.test.ts) shows that a loader's error is the build's failure, with no page written.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BUILD_REPORT_ENV, type BuildReport } from '@agency/shared';
import { cmsLoaders } from '../../web/src/content/loader.ts';

type Entry = { id: string; data: Record<string, unknown> };
/** What Astro hands a loader (astro/loaders' LoaderContext, of which the loader uses the store and the logger). */
type LoaderContext = Parameters<ReturnType<typeof cmsLoaders>['articles']['load']>[0];
const COLLECTIONS = ['articles', 'siteSettings', 'consultationCta'] as const;

export type ContentSync = {
  /** What the loader threw (the build's failure), or null when it loaded everything. */
  error: Error | null;
  /** Every entry the loaders stored, by collection: what the pages would be rendered from. */
  entries: Record<(typeof COLLECTIONS)[number], Entry[]>;
  /** The build report the loader wrote (SITE_BUILD_REPORT), or null for none. */
  report: BuildReport | null;
  /** The lines it logged (`[cms] Fetched …`). */
  log: string[];
};

/** Runs the site build's content loaders against the CMS at `cmsUrl`, with `env` as a build's settings (CMS_TOKEN…). */
export async function syncContent(cmsUrl: string, env: Record<string, string> = {}): Promise<ContentSync> {
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-content-sync-'));
  const reportFile = path.join(dir, 'report.json');
  const log: string[] = [];
  const loaders = cmsLoaders({
    env: { CMS_TOKEN: '', ...env, CMS_URL: cmsUrl, [BUILD_REPORT_ENV]: reportFile },
    command: 'build',
    log: (line) => log.push(line),
  });
  const entries = { articles: [], siteSettings: [], consultationCta: [] } as ContentSync['entries'];
  const logger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
  let error: Error | null = null;
  try {
    await Promise.all(
      COLLECTIONS.map((collection) =>
        loaders[collection].load({
          collection,
          store: { clear: () => (entries[collection].length = 0), set: (entry: Entry) => (entries[collection].push(entry), true) },
          logger,
        } as unknown as LoaderContext),
      ),
    );
  } catch (thrown) {
    error = thrown instanceof Error ? thrown : new Error(String(thrown));
  }
  let report: BuildReport | null = null;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as BuildReport;
  } catch {
    /* the loader wrote none */
  }
  rmSync(dir, { recursive: true, force: true });
  return { error, entries, report, log };
}
