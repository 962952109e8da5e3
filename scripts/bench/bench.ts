// `npm run bench`: how the static site scales with the number of articles in the CMS.
// For each site size — the seed site (1 article) and generated sites (100, 1,000 articles by default) — it:
//   1. creates a fresh SQLite CMS in a temp dir and fills it (cms/scripts/generate-articles.mts, in-process,
//      before the HTTP server starts: one Strapi boot does schema, seed and inserts with no HTTP overhead);
//      every generated article has a cover of its own (a generated JPEG in the Media Library), and the seeded
//      article gets a cover and an inline image through the admin's upload API (scripts/stack/test-images.ts);
//   2. starts Strapi on a free port and builds the site from it: once cold (a just-started CMS, an empty
//      output dir and an empty image cache, SITE_CACHE_DIR in the site's temp dir), then warm rebuilds into the
//      same output dir with the same cache. "Cold" means cold content and cold images, not a cold Astro install;
//   3. reads the GraphQL request count, the article count and the images encoded vs reused from each build's
//      report (SITE_BUILD_REPORT, shared/src/build-report.ts), and weighs the seeded article page (HTML + the CSS it links, each gzipped
//      as a server would send it) and the consultation form's JavaScript (js-weight.ts: its own chunk, and all
//      of it with React's runtime).
// Figures are printed; timings are never asserted. It exits non-zero when something breaks (a build fails,
// content is missing) and, after printing, when the form's JavaScript is over its budget (≤ 75 KB gzip in all,
// its own chunk ≤ 8 KB), the article page over 12 KB, or a warm build encoded an image: a size or a count does
// not vary from run to run as a time does. A build that wrote no report (a
// web build without the writer) shows its request count as n/a.
// Flags: --smoke (CI: sizes 1,100, one warm build, 480 px covers), --sizes 1,100,1000, --warm N (warm builds per site;
// default 3, 1 with --smoke), --json FILE (the figures as JSON, for CI artifacts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  cleanUp,
  fail,
  freshCmsEnv,
  startGeneratedCms,
  median,
  parseSizes,
  renderTable,
  requireCmsBuild,
  runBench,
  say,
  seconds,
  tail,
  tempDir,
  thousands as bytes,
  writeFigures,
  type Generation,
} from './bench-kit.ts';
import { illustrateSeededArticle } from '../stack/test-images.ts';
import { buildSite, type SiteBuild } from '../rebuild/build-site.ts';
import { CmsAdmin } from '../stack/cms-admin.ts';
import { FORM_JS_BUDGET_BYTES, FORM_OWN_CHUNK_BUDGET_BYTES, formJsProblems, weighIsland, type FormJsWeight } from './js-weight.ts';
import { freePort } from '../stack/ports.ts';

const SEEDED_ARTICLE = 'articles/sales-vs-marketing/index.html';
/** Issue 11: an article with a cover and an inline image, HTML + CSS gzipped. */
const PAGE_BUDGET_BYTES = 12 * 1024;
const ARTICLES_PER_REQUEST = 100; // shared PAGE_SIZE: the target allows one request per page, plus 2
const requestBudget = (articles: number) => Math.ceil(articles / ARTICLES_PER_REQUEST) + 2;

const { values: flags } = parseArgs({
  options: { smoke: { type: 'boolean', default: false }, sizes: { type: 'string' }, warm: { type: 'string' }, json: { type: 'string' } },
});
const warmBuilds = Number(flags.warm ?? (flags.smoke ? 1 : 3));

// ---------------------------------------------------------------------------------------------------
// Measurements.

type SiteResult = {
  articles: number;
  generation: Generation | null;
  coldMs: number;
  warmMs: number[];
  /** GraphQL requests per build, from the build report; null when the build wrote no report. */
  requests: number | null;
  /** Images encoded vs reused, cold and in the last warm build (the build report's figures). */
  images: { cold: ImageCounts; warm: ImageCounts };
  page: { htmlGzip: number; cssGzip: number; cssFiles: number };
  /** The consultation form island's JavaScript on the seeded article. */
  formJs: FormJsWeight;
};

/** The request count from the build's report; fails when the build fetched the wrong content. */
function requestsOf(build: SiteBuild, articles: number): number | null {
  if (!build.report) return null; // a web build that writes no report: the page count below still checks the content
  if (!build.report.ok) fail(`The build reported a failure: ${build.report.error.message}`);
  const { content } = build.report;
  if (content.articles !== articles) fail(`The build fetched ${content.articles} articles, but the CMS has ${articles} published.`);
  return content.requests;
}

type ImageCounts = { encoded: number; reused: number };

/** The build's image figures; none (0, 0) when its report has none. */
function imagesOf(build: SiteBuild): ImageCounts {
  return build.report?.ok && build.report.images ? build.report.images : { encoded: 0, reused: 0 };
}

/** What a reader downloads for the seeded article: its HTML and each stylesheet it links, gzipped one by one. */
function weighArticlePage(outDir: string): SiteResult['page'] {
  const file = path.join(outDir, SEEDED_ARTICLE);
  const html = readFileSync(file);
  const gzipped = (bytes: Buffer) => gzipSync(bytes).length;
  let cssGzip = 0;
  let cssFiles = 0;
  for (const [tag] of html.toString('utf8').matchAll(/<link\b[^>]*>/gi)) {
    if (!/\brel=["']?stylesheet\b/i.test(tag)) continue;
    const href = /\bhref=["']?([^"'\s>]+)/i.exec(tag)?.[1];
    if (!href) continue;
    if (/^(https?:)?\/\//i.test(href))
      fail(`${SEEDED_ARTICLE} links an external stylesheet (${href}); the benchmark only weighs local files.`);
    const local = href.replace(/[?#].*$/, '');
    const cssFile = local.startsWith('/') ? path.join(outDir, local) : path.resolve(path.dirname(file), local);
    cssGzip += gzipped(readFileSync(cssFile));
    cssFiles++;
  }
  return { htmlGzip: gzipped(html), cssGzip, cssFiles };
}

async function build(cmsUrl: string, outDir: string, cacheDir: string, label: string): Promise<SiteBuild> {
  const result = await buildSite({ cmsUrl, outDir, env: { CMS_TOKEN: '', SITE_CACHE_DIR: cacheDir } });
  if (!result.ok) fail(`The ${label} build failed. Its last output:\n${tail(result.output, 40)}`);
  return result;
}

/** One site: a fresh CMS with `articles` published articles, built cold once and warm `warmBuilds` times. */
async function benchSite(articles: number): Promise<SiteResult> {
  const dir = tempDir('agency-bench-');
  const env = freshCmsEnv(dir);
  const name = articles === 1 ? 'seed site' : `${articles}-article site`;

  say(`• ${name}: `);
  // The seed site needs no generator: Strapi seeds the one article on its first start. The others are generated
  // by that start, which then serves them.
  // The smoke run's covers are small (480 px): CI still sees every one encoded cold and reused warm, in a fraction of the time.
  const startedCms = performance.now();
  const { cms, generation } = await startGeneratedCms(articles - 1, await freePort(), env, {
    covers: true,
    coverWidth: flags.smoke ? 480 : undefined,
  });
  if (generation) say(`generated ${generation.articles} articles in ${seconds(generation.ms)} (${generation.perSecond}/s); `);
  await illustrateSeededArticle(new CmsAdmin(cms.url, { email: env.ADMIN_EMAIL!, password: env.ADMIN_PASSWORD! }));
  say(`CMS up in ${seconds(performance.now() - startedCms)}; builds: `);

  const outDir = path.join(dir, 'site');
  const cacheDir = path.join(dir, 'astro-cache');
  const cold = await build(cms.url, outDir, cacheDir, `cold ${name}`);
  const coldImages = imagesOf(cold);
  say(`cold ${seconds(cold.durationMs)} (images encoded ${coldImages.encoded}, reused ${coldImages.reused})`);
  let warmImages = coldImages;
  const requests = requestsOf(cold, articles);
  const warmMs: number[] = [];
  for (let i = 1; i <= warmBuilds; i++) {
    const warm = await build(cms.url, outDir, cacheDir, `warm ${name}`);
    if (requestsOf(warm, articles) !== requests) fail(`The request count changed between builds of the ${name}.`);
    warmMs.push(warm.durationMs);
    warmImages = imagesOf(warm);
    say(`, warm ${seconds(warm.durationMs)} (encoded ${warmImages.encoded}, reused ${warmImages.reused})`);
  }
  say('\n');
  // A fast build is only a figure if it wrote every article page.
  const pages = readdirSync(path.join(outDir, 'articles')).filter((slug) => existsSync(path.join(outDir, 'articles', slug, 'index.html')));
  if (pages.length !== articles) fail(`The ${name} build wrote ${pages.length} article pages, not ${articles}.`);
  const page = weighArticlePage(outDir);
  const formJs = weighIsland(outDir, SEEDED_ARTICLE, 'ConsultationForm');

  await cleanUp(); // this site's CMS and temp dir, before the next site competes for the 2 cores
  return { articles, generation, coldMs: cold.durationMs, warmMs, requests, images: { cold: coldImages, warm: warmImages }, page, formJs };
}

// ---------------------------------------------------------------------------------------------------
// Report.

function table(results: SiteResult[]): string {
  const header = [
    'Site',
    'Content generation',
    'Cold build',
    `Warm build (median of ${warmBuilds})`,
    'GraphQL requests',
    'Images encoded / reused (cold; warm)',
    'Article page gzip',
    'Form JS gzip (own chunk)',
  ];
  const rows = results.map((r) => {
    const budget = requestBudget(r.articles);
    const page = r.page.htmlGzip + r.page.cssGzip;
    const requests = r.requests === null ? 'n/a (no build report)' : `${r.requests} ≤ ${budget} ${r.requests <= budget ? 'pass' : 'OVER'}`;
    return [
      r.articles === 1 ? 'seed (1 article)' : `${bytes(r.articles)} articles`,
      r.generation
        ? `${bytes(r.generation.articles)} in ${seconds(r.generation.ms)} (${r.generation.perSecond}/s)`
        : 'seeded on first start',
      seconds(r.coldMs),
      seconds(median(r.warmMs)),
      requests,
      `${bytes(r.images.cold.encoded)} / ${bytes(r.images.cold.reused)}; ${bytes(r.images.warm.encoded)} / ${bytes(r.images.warm.reused)}`,
      `${bytes(page)} B ≤ ${bytes(PAGE_BUDGET_BYTES)} ${page <= PAGE_BUDGET_BYTES ? 'pass' : 'OVER'}`,
      `${bytes(r.formJs.totalGzip)} B (${bytes(r.formJs.ownChunkGzip)} B) ${formJsProblems(r.formJs).length === 0 ? 'pass' : 'OVER'}`,
    ];
  });
  return renderTable(header, rows);
}

// ---------------------------------------------------------------------------------------------------

const started = performance.now();
await runBench(async () => {
  const sizes = parseSizes(flags.sizes, flags.smoke ? '1,100' : '1,100,1000');
  if (!Number.isInteger(warmBuilds) || warmBuilds < 1) fail(`--warm must be a positive integer, not "${flags.warm}".`);
  requireCmsBuild();
  console.log(`Benchmark: sites of ${sizes.join(', ')} article(s); 1 cold + ${warmBuilds} warm build(s) each.`);
  const results: SiteResult[] = [];
  for (const articles of sizes) results.push(await benchSite(articles));

  const { page } = results[0]!;
  const css = page.cssFiles ? `${page.cssFiles} linked stylesheet(s) ${bytes(page.cssGzip)} B` : 'no linked stylesheet (CSS inlined)';
  console.log(`\n${table(results)}\n`);
  console.log(`Article page = /${SEEDED_ARTICLE}, each file gzipped (zlib default level): HTML ${bytes(page.htmlGzip)} B + ${css}.`);
  const { formJs } = results[0]!;
  console.log(
    `Form JS = what the consultation form's island loads, each file gzipped: ${formJs.files.map((f) => `${f.file} ${bytes(f.gzip)} B`).join(', ')}.`,
  );
  console.log(
    `Targets: ≤ ⌈N/100⌉ + 2 GraphQL requests per build; ≤ 12 KB (12,288 B) for the article page with a cover and an inline image; warm builds encode no image; form JS ≤ ${bytes(FORM_JS_BUDGET_BYTES)} B gzip in all, its own chunk ≤ ${bytes(FORM_OWN_CHUNK_BUDGET_BYTES)} B. Total ${seconds(performance.now() - started)}.`,
  );
  writeFigures(flags.json, {
    benchmark: 'site build',
    warmBuilds,
    targets: {
      requestsPerBuild: '⌈articles/100⌉ + 2',
      articlePageBytes: PAGE_BUDGET_BYTES,
      formJsBytes: FORM_JS_BUDGET_BYTES,
      formOwnChunkBytes: FORM_OWN_CHUNK_BUDGET_BYTES,
    },
    sites: results.map((r) => ({
      articles: r.articles,
      generation: r.generation,
      coldMs: Math.round(r.coldMs),
      warmMs: r.warmMs.map(Math.round),
      warmMedianMs: Math.round(median(r.warmMs)),
      requests: r.requests,
      requestBudget: requestBudget(r.articles),
      images: r.images,
      articlePage: { ...r.page, totalGzip: r.page.htmlGzip + r.page.cssGzip },
      formJs: r.formJs,
    })),
    totalMs: Math.round(performance.now() - started),
  });
  // A budget, unlike a timing, is a property of the build: over it, the bench fails (after printing the figures).
  const over = [
    ...new Set(
      results.flatMap((r) => [
        ...formJsProblems(r.formJs),
        ...(r.page.htmlGzip + r.page.cssGzip > PAGE_BUDGET_BYTES ? [`the article page is over ${bytes(PAGE_BUDGET_BYTES)} B gzip`] : []),
        ...(r.images.warm.encoded > 0 ? [`a warm build of the ${r.articles}-article site encoded ${r.images.warm.encoded} image(s)`] : []),
      ]),
    ),
  ];
  if (over.length > 0) fail(`Over budget: ${over.join('; ')}.`);
});
