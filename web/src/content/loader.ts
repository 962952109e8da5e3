// The content layer's loader (Astro's own data path, registered in src/content.config.ts): at the start of
// every build it pulls the site's content from the CMS over GraphQL, validates it, and puts it in Astro's
// store, where pages read it with getCollection / getEntry. Three collections (articles, site settings, the
// consultation CTA) come from one set of requests: whichever collection loads first starts the fetch, and
// the other two join it.
//
// Fresh on every build: a CMS is the source of truth, so each run clears the collection before loading and
// never keeps an entry from an earlier run. (Astro also keeps its store on disk between builds; every build
// deletes that copy first, src/integrations/fresh-content.ts.) When the CMS cannot give the full, valid
// content, the loader throws and the build fails with the CmsError's message.
//
// It also prints the build's one line about its content (`[cms] Fetched N articles …`, which people and
// scripts read) and writes the content part of the build report (src/lib/build-report-file.ts).
import type { Loader } from 'astro/loaders';
import { cmsConfig, createCmsClient } from '../cms/client.ts';
import { fetchSiteContent } from '../cms/fetch-site-content.ts';
import type { SiteContent } from '../cms/site-content.ts';
import { fetchContentImages, siteImageUses } from '../images/content-images.ts';
import { currentImageRun } from '../images/image-run.ts';
import { CONTENT_FETCHED, buildFailure, writeBuildReport } from '../lib/build-report-file.ts';
import { noteFetchedContent } from '../incremental/retained-build.ts';
import { readSiteBuildSettings } from '../settings.ts';
import { CONSULTATION_CTA_ID, SITE_SETTINGS_ID } from './ids.ts';

type Env = Record<string, string | undefined>;

export type CmsLoaderOptions = {
  env?: Env;
  /**
   * The Astro command running (default: from the command line). `astro sync` and `astro check` (which
   * syncs first) only generate types, and must work without a CMS (CI lints without one): for them the
   * loader sends nothing and stores nothing.
   */
  command?: string | undefined;
  /** Never fetch, whatever the command: for the preview server's build, which only needs the types. */
  typesOnly?: boolean;
  /** Where the `[cms] Fetched …` line goes. */
  log?: (line: string) => void;
};

/** The Astro CLI command of this process (`build`, `dev`, `sync`, `check`…), as the CLI itself reads it. */
function cliCommand(argv: readonly string[] = process.argv): string | undefined {
  return argv.slice(2).find((arg) => !arg.startsWith('-'));
}

const TYPES_ONLY = new Set(['sync', 'check']);

/** Fetches, validates, logs and reports one build's content. */
async function fetchBuildContent(env: Env, log: (line: string) => void): Promise<SiteContent> {
  const settings = readSiteBuildSettings(env);
  const reportFile = settings.SITE_BUILD_REPORT;
  try {
    const config = cmsConfig(settings);
    const { content, requests, fetchMs } = await fetchSiteContent(createCmsClient(config));
    log(
      `[cms] Fetched ${content.articles.length} articles, the CTA and site settings from ${config.url} in ${requests} GraphQL requests (${fetchMs} ms).`,
    );
    if (reportFile) {
      writeBuildReport(reportFile, {
        ok: false,
        content: { articles: content.articles.length, requests, fetchMs },
        error: CONTENT_FETCHED,
      });
    }
    // The images step: every image the pages will show, fetched now, so a missing or unusable one fails the
    // build naming its entry and field (src/images/content-images.ts). Only in a build (no run elsewhere).
    const images = currentImageRun();
    if (images) {
      const started = performance.now();
      const count = await fetchContentImages(images, siteImageUses(content));
      log(`[images] ${count} image(s) the content shows are in the store (${Math.round(performance.now() - started)} ms).`);
    }
    // For the warm worker's incremental updates (src/incremental/): the content this build's pages show.
    noteFetchedContent(content);
    return content;
  } catch (error) {
    if (reportFile) writeBuildReport(reportFile, { ok: false, error: buildFailure(error) });
    throw error;
  }
}

/** One loader per collection, sharing one fetch per run. */
export function cmsLoaders(options: CmsLoaderOptions = {}) {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.info(line));
  const typesOnly = options.typesOnly ?? TYPES_ONLY.has(options.command ?? cliCommand() ?? '');

  // The current run's fetch and the collections that have taken it. A collection that loads again starts a
  // new run (the dev server reloading content): nothing is reused from one run to the next.
  let run: { content: Promise<SiteContent>; takenBy: Set<string> } | null = null;
  const contentFor = (collection: string): Promise<SiteContent> => {
    if (!run || run.takenBy.has(collection)) run = { content: fetchBuildContent(env, log), takenBy: new Set() };
    run.takenBy.add(collection);
    return run.content;
  };

  let toldTypesOnly = false;

  const loader = (entries: (content: SiteContent) => Array<{ id: string; data: Record<string, unknown> }>): Loader => ({
    name: 'cms',
    async load({ collection, store, logger }) {
      if (typesOnly) {
        // The store is left alone: this run builds no page from it, and a build may be using it right now.
        if (!toldTypesOnly) logger.info('Types only: nothing is fetched from the CMS.');
        toldTypesOnly = true;
        return;
      }
      store.clear();
      const content = await contentFor(collection);
      for (const entry of entries(content)) store.set(entry);
    },
  });

  return {
    articles: loader((content) => content.articles.map((article) => ({ id: article.slug, data: article }))),
    siteSettings: loader((content) => [{ id: SITE_SETTINGS_ID, data: content.site }]),
    consultationCta: loader((content) => [{ id: CONSULTATION_CTA_ID, data: content.cta }]),
  };
}
