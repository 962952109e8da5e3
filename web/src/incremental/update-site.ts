// An incremental publish: the warm build worker's answer to a publish, unpublish or delete of articles, with
// the bundle of its last full build (./retained-build.ts) instead of a new build. It
//   1. fetches only the articles the publish named (src/cms/fetch-articles.ts) and applies them to the content
//      it holds (unchanged articles stay the very same objects);
//   2. asks the retained prerenderer for the site's paths again, and works out which pages differ
//      (./affected-paths.ts): those are rendered again, pages the site no longer has are removed;
//   3. writes into a new build directory that starts as a hard-linked copy of the live one, made ahead of time
//      (./spare-copy.ts; every build stays a complete directory, switched live atomically by the rebuild
//      service; a file is only ever replaced, never written into, so the live build is untouched), encodes any image a rendered page needs that the
//      build does not have yet, removes images no page uses any more and compresses the new files;
//   4. writes the build report, as a full build does.
// The search index follows in a second build (reindexSite): Pagefind has no way to update an index, and
// indexing every page again costs ~3 s at 1,000 articles, more than the rest of the update; readers get the new
// pages first, and the search finds them a few seconds later (docs/rebuilds.md).
// The result, once the search index has followed, is the site a full build of the same content writes, file for
// file (tests/integration/incremental.test.ts). Anything it cannot scope is not its job: the rebuild service sends
// a full build instead (scripts/rebuild/publishers.ts), and so it does when this throws.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Article, IncrementalUpdateFigures } from '@agency/shared';
import { cmsConfig, createCmsClient } from '../cms/client.ts';
import { CmsError, isCmsErrorLike } from '../cms/errors.ts';
import { fetchArticlesById } from '../cms/fetch-articles.ts';
import { setLiveContent } from '../content/live-content.ts';
import { articleImageUses, fetchContentImages } from '../images/content-images.ts';
import { currentImageRun } from '../images/image-run.ts';
import { precompressFiles } from '../integrations/precompress.ts';
import { SEARCH_INDEX_DIR, writeSearchIndex } from '../integrations/search-index.ts';
import { buildFailure, writeBuildReport } from '../lib/build-report-file.ts';
import { newestFirst } from '../lib/pagination.ts';
import { readSiteBuildSettings } from '../settings.ts';
import { ARTICLE_FREE_ROUTES, SCOPED_ROUTES, changedPaths } from './affected-paths.ts';
import { encodeMissingImages, takeStaticImages } from './astro-images.ts';
import { assetsOf, outputFile, sitePath } from './output-files.ts';
import { retainBuild, retainedBuild, setupKey, type RetainedBuild, type RetainedRoute } from './retained-build.ts';
import { copyBuild, makeSpare } from './spare-copy.ts';

type UpdateRequest = {
  /** The articles the publish named. */
  documentIds: readonly string[];
  /** The live build, which the new one starts as a copy of: it must be the one this worker last wrote. */
  from: string;
  /** The new build's directory (empty or missing). */
  outDir: string;
  /** The environment a full build would have had (SITE_BUILD_REPORT names the report to write). */
  env: Record<string, string>;
};

/** Why an update was not made: the rebuild service builds in full instead. */
export class NotIncremental extends Error {
  override name = 'NotIncremental';
}

/**
 * The publish itself fails, as a full build of the same content would (an image the changed articles show
 * could not be had), and the build report says why: the rebuild service builds nothing more for it, and the
 * worker keeps the live build.
 */
export class PublishFailed extends Error {
  override name = 'PublishFailed';
}

/**
 * `before` with the named articles replaced by what the CMS has now (absent: no longer published), newest
 * first (no page relies on the order: each list sorts its own).
 */
function applyChanges(before: readonly Article[], ids: ReadonlySet<string>, fetched: ReadonlyMap<string, Article>): Article[] {
  const after = newestFirst([...before.filter((article) => !ids.has(article.documentId)), ...fetched.values()]);
  const bySlug = new Map<string, Article>();
  for (const article of after) {
    const other = bySlug.get(article.slug);
    if (other)
      throw new CmsError(
        'duplicate-slug',
        `Two published articles share the slug "${article.slug}" (entries ${other.documentId} and ${article.documentId}): give one of them another slug in the Strapi admin.`,
      );
    bySlug.set(article.slug, article);
  }
  return after;
}

/** Replaces `file` (a new name, then a rename): a hard-linked file of the live build is never written into. */
function replaceFile(file: string, data: Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

/** Removes `file` and its compressed copies, then the folders it leaves empty (up to `root`). */
function removeOutput(root: string, file: string): void {
  for (const suffix of ['', '.br', '.gz']) rmSync(path.join(root, file + suffix), { force: true });
  for (let dir = path.dirname(path.join(root, file)); dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      break;
    }
  }
}

async function pathsOf(build: RetainedBuild): Promise<Map<string, RetainedRoute>> {
  build.prerenderer.app?.routeCache?.clearAll();
  return new Map((await build.prerenderer.getStaticPaths()).map(({ pathname, route }) => [pathname, route]));
}

/** The URL the full build requests a path at (trailingSlash 'always', format 'directory': getUrlForPath in Astro). */
function requestUrl(build: RetainedBuild, pathname: string, route: RetainedRoute): URL {
  const page = route.type === 'endpoint' || pathname.endsWith('/') ? pathname : `${pathname}/`;
  return new URL(page, build.site.origin);
}

async function render(build: RetainedBuild, pathname: string, route: RetainedRoute): Promise<Buffer> {
  const rendered = await build.prerenderer.render(new Request(requestUrl(build, pathname, route)), { routeData: route });
  const response = rendered instanceof Response ? rendered : rendered.response;
  // As the full build: the body is the file, whatever the status (the 404 page answers 404). The site has no
  // redirects, which the build would write differently.
  if (response.status >= 300 && response.status < 400)
    throw new Error(`${pathname} answered a redirect (HTTP ${response.status}) when rendered again.`);
  return Buffer.from(await response.arrayBuffer());
}

/** Makes the update, or throws (NotIncremental when it does not apply; anything else when a step failed). */
export async function updateSite(request: UpdateRequest): Promise<IncrementalUpdateFigures> {
  const build = retainedBuild();
  if (!build) throw new NotIncremental('the build worker has no full build of its own to start from');
  if (path.resolve(request.from) !== path.resolve(build.outDir))
    throw new NotIncremental(`the live build (${request.from}) is not the one this worker wrote last (${build.outDir})`);
  if (setupKey(request.env) !== build.setup) throw new NotIncremental('the build settings changed since the last full build');
  if (request.documentIds.length === 0) throw new NotIncremental('the publish names no article');
  // From here on, a failure leaves the worker's state half changed: forget the build, so the next one is full.
  retainBuild(null);

  const settings = readSiteBuildSettings(request.env);
  const client = createCmsClient(cmsConfig(settings));
  const { articles: fetched, requests, fetchMs } = await fetchArticlesById(client, request.documentIds);
  const ids = new Set(request.documentIds);
  const before = build.content.articles;
  const after = applyChanges(before, ids, fetched);
  const content = { ...build.content, articles: after };
  console.info(
    `[cms] Fetched ${fetched.size} of ${ids.size} changed article(s) from ${settings.CMS_URL} in ${requests} GraphQL request(s) (${fetchMs} ms); the other ${after.length - fetched.size} are the last build's.`,
  );

  setLiveContent(content);
  const stopImages = build.openImageRun();
  try {
    // The images step of a full build (src/content/loader.ts), for the changed articles: a missing or unusable
    // image fails the update naming its entry and field.
    const run = currentImageRun();
    if (run) await fetchContentImages(run, articleImageUses([...fetched.values()]));
  } catch (error) {
    stopImages();
    setLiveContent(null);
    if (!isCmsErrorLike(error)) throw error;
    // An image the publish shows could not be had: a full build of the same content fails the same way (its
    // images step fetches these images too), so the publish fails now, as a full build's would, instead of
    // after one. Nothing was rendered or copied yet: the worker still holds the live build, untouched, for the
    // editor's next publish (the fixed one), which is incremental again.
    retainBuild(build);
    if (settings.SITE_BUILD_REPORT) writeBuildReport(settings.SITE_BUILD_REPORT, { ok: false, error: buildFailure(error) });
    throw new PublishFailed(error.message, { cause: error });
  }
  const images = takeStaticImages(build);
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - mark);
    mark = now;
    return ms;
  };
  try {
    const paths = await pathsOf(build);
    const changed = changedPaths(before, after);
    const toRender = [...paths].filter(([pathname, route]) => {
      if (!build.paths.has(pathname)) return true;
      if (ARTICLE_FREE_ROUTES.has(route.component)) return false;
      return !SCOPED_ROUTES.has(route.component) || changed.has(pathname);
    });
    const removed = [...build.paths].filter(([pathname]) => !paths.has(pathname));

    const pathsMs = lap();
    // The live search index comes along: reindexSite replaces it next.
    const spare = await copyBuild(build.outDir, request.outDir);
    const copyMs = lap();
    const refs = new Map(build.assetRefs);
    const written: string[] = [];
    for (const [pathname, route] of toRender) {
      const file = outputFile(pathname, route);
      const body = await render(build, pathname, route);
      replaceFile(path.join(request.outDir, file), body);
      written.push(file);
      refs.set(pathname, assetsOf(file, body));
    }
    for (const [pathname, route] of removed) {
      removeOutput(request.outDir, outputFile(pathname, route));
      refs.delete(pathname);
    }
    const renderMs = lap();
    await encodeMissingImages(build, images.collected(), request.outDir);
    // Images no page shows any more: a full build would not write them.
    const used = new Set([...refs.values()].flat());
    for (const asset of new Set([...build.assetRefs.values()].flat())) if (!used.has(asset)) removeOutput(request.outDir, asset);

    const imagesMs = lap();
    await precompressFiles(request.outDir, written, compressedCache(build));
    const compressMs = lap();

    const pages = [...paths].map(([pathname, route]) => sitePath(outputFile(pathname, route))).sort();
    const figures = {
      rendered: written.length,
      removed: removed.length,
      pages: paths.size,
      requests,
      fetchMs,
      steps: { pathsMs, copyMs, renderMs, imagesMs, compressMs },
      spare,
    };
    if (settings.SITE_BUILD_REPORT)
      writeBuildReport(settings.SITE_BUILD_REPORT, {
        ok: true,
        content: { articles: after.length, requests, fetchMs },
        pages,
        incremental: { rendered: figures.rendered, removed: figures.removed, of: figures.pages },
      });
    retainBuild({ ...build, outDir: request.outDir, content, paths, assetRefs: refs });
    // No spare for the search index that comes next: its copy would compete for the disk with the rebuild
    // service checking and switching this build live; the reindex, which readers do not wait for, copies.
    return figures;
  } finally {
    images.restore();
    stopImages();
    setLiveContent(null);
  }
}

const compressedCache = (build: RetainedBuild) => path.join(build.cacheDir, 'precompressed');

/**
 * The search index of the live build `from` made again, into `outDir`: a hard-linked copy of `from` with a new
 * `pagefind/`, compressed like the rest. Returns how long Pagefind took (ms). `from` must be this worker's last
 * build, which `outDir` then becomes.
 */
export async function reindexSite(request: { from: string; outDir: string }): Promise<number> {
  const build = retainedBuild();
  if (!build) throw new NotIncremental('the build worker has no full build of its own to index');
  if (path.resolve(request.from) !== path.resolve(build.outDir))
    throw new NotIncremental(`the live build (${request.from}) is not the one this worker wrote last (${build.outDir})`);
  const started = performance.now();
  await copyBuild(build.outDir, request.outDir, new Set([SEARCH_INDEX_DIR]));
  await writeSearchIndex(request.outDir);
  const index = readdirSync(path.join(request.outDir, SEARCH_INDEX_DIR), { recursive: true, encoding: 'utf8' }).map((file) =>
    path.join(SEARCH_INDEX_DIR, file),
  );
  await precompressFiles(request.outDir, index, compressedCache(build));
  retainBuild({ ...build, outDir: request.outDir });
  // The next publish's copy, made now: this step ends the publish, so the next one finds its copy ready.
  await makeSpare(request.outDir);
  return Math.round(performance.now() - started);
}

/** Every `_astro/` file the pages under `dir` use, by page: what an update compares to find unused images. */
export function scanAssetRefs(dir: string, paths: ReadonlyMap<string, RetainedRoute>): Map<string, string[]> {
  const refs = new Map<string, string[]>();
  for (const [pathname, route] of paths) {
    const file = outputFile(pathname, route);
    const full = path.join(dir, file);
    if (!statSync(full, { throwIfNoEntry: false })) continue;
    refs.set(pathname, assetsOf(file, readFileSync(full)));
  }
  return refs;
}
