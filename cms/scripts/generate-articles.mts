// `node scripts/generate-articles.mts --count 999`: adds that many published articles, slugs generated-0001…,
// for the benchmarks and tests (by this path: scripts/stack/article-generator.ts). Loads the compiled app
// without its HTTP server, like scripts/seed.mts, so on a fresh database the app's first-start seed runs first
// (sales-vs-marketing, the CTA, Global).
// Point it at a throwaway database (DATABASE_CLIENT / DATABASE_FILENAME): it never deletes anything, but the
// content is filler.
// With --covers, every article gets its own cover: a generated JPEG put in the Media Library by the upload
// plugin, as POST /upload would. With --taxonomy, articles also get topics and authors, as editors give them.
// The articles are written straight into Strapi's tables, a batch of them in a few statements per table, as the
// rows the Document Service writes for `create({ data, status: 'published' })`: through the Document Service
// they were too slow (~15 articles/s). --document-service creates them through the Document Service instead, as
// it was: the slow reference the table writes were compared with. At the end the run reads articles back
// through the Document Service and fails if any differs from what it was written from.
// Prints a last line `generated {"count":…,"ms":…,"perSecond":…}` for the benchmark to read.
// With --serve it does not stop the app after that line but serves it, as `strapi start` does (which is
// `createStrapi(…).start()`: this load, then `listen()`): a CMS with many articles costs one Strapi load, not two.
// A signal then stops it at once, like the throwaway it is.
//
// This file is the command: its flags, loading and stopping the app, and the loop that writes the articles a
// batch at a time. The parts, each with the details and the reasons in its head comment, are in generate/:
//   filler.mts    article i's copy (slug, title, intro, body): deterministic filler
//   taxonomy.mts  its topics and author (--taxonomy)
//   covers.mts    its cover (--covers)
//   writers.mts   writing a batch: as table rows, or through the Document Service (--document-service)
//   verify.mts    the read-back check at the end
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UID } from '@agency/shared';
import { uploadAsIs, uploadCover } from './generate/covers.mts';
import { generatedArticle, type Article } from './generate/filler.mts';
import { loadTaxonomy, taxonomyOf } from './generate/taxonomy.mts';
import { countVersions, verify } from './generate/verify.mts';
import { documentServiceWriter, tableWriter } from './generate/writers.mts';

const require = createRequire(import.meta.url);
const cmsDir = path.resolve(import.meta.dirname, '..');
const { createStrapi } = require('@strapi/strapi') as typeof import('@strapi/strapi');

/**
 * Articles written per database transaction: one commit (one fsync on SQLite) per batch instead of per write,
 * and a few statements per table. Covers are uploaded a batch at a time, before its transaction.
 */
const BATCH = 500;
/** Slugs are generated-0001…generated-9999, then generated-10000… (five digits at most). */
const MAX_COUNT = 99_999;

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100' },
    covers: { type: 'boolean', default: false },
    taxonomy: { type: 'boolean', default: false },
    'document-service': { type: 'boolean', default: false },
    // Smaller covers encode in a fraction of the time: CI's smoke run uses them to exercise encoded vs reused cheaply.
    'cover-width': { type: 'string', default: '1200' },
    serve: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
if (!Number.isInteger(count) || count < 0 || count > MAX_COUNT)
  throw new Error(`--count must be an integer 0..${MAX_COUNT}, not "${values.count}".`);
const coverWidth = Number(values['cover-width']);
if (!Number.isInteger(coverWidth) || coverWidth < 16 || coverWidth > 4000)
  throw new Error(`--cover-width must be a width in pixels, 16..4000, not "${values['cover-width']}".`);

/**
 * Resolves once the database connection pool is idle. Strapi's event listeners run queries of their own
 * after each write, outside our transaction; destroying the app before they finish fails with "aborted".
 */
async function settled(strapi: { db: { connection: unknown } }): Promise<void> {
  const pool = (strapi.db.connection as { client: { pool?: { numUsed(): number; numPendingAcquires(): number } } }).client.pool;
  while (pool && pool.numUsed() + pool.numPendingAcquires() > 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

const app = createStrapi({ appDir: cmsDir, distDir: path.join(cmsDir, 'dist') });
// Strapi's own signal handler (added by createStrapi) destroys the app under our running inserts, or hangs
// mid-load, then exits 0, which reads as success. The database is throwaway: stop at once, and say so.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)
  process.prependListener(signal, () => process.exit(code));
await app.load(); // runs the app's bootstrap, which seeds a fresh database
let serving = false;
try {
  const started = performance.now();
  const taxonomy = values.taxonomy ? await loadTaxonomy(app) : null;
  const coverDir = values.covers ? await mkdtemp(path.join(tmpdir(), 'agency-covers-')) : null;
  if (coverDir) await uploadAsIs(app);
  // Articles that are there already would be written twice (the Document Service refuses a slug in use).
  if (count > 0 && (await app.db.query(UID.article).count({ where: { slug: generatedArticle(1).slug } })) > 0)
    throw new Error('This database has generated articles already: generate them into a fresh (throwaway) database.');
  const before = await countVersions(app);
  // One article of each shape (sections, side note, topics and author go by i modulo 2, 3 and 6), and the last.
  const sampled = new Set([1, 2, 3, 4, 5, 6, count].filter((i) => i >= 1 && i <= count));
  const samples = new Map<number, Article>();
  const write = values['document-service'] ? documentServiceWriter(app) : await tableWriter(app);
  for (let first = 1; first <= count; first += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count + 1 - first) }, (_, k) => first + k);
    const covers = new Map<number, number>();
    // Uploads outside the transaction: the upload plugin writes the file and its row on its own.
    if (coverDir) for (const i of batch) covers.set(i, await uploadCover(app, coverDir, i, coverWidth));
    const articles = batch.map((i) => {
      const article = generatedArticle(i);
      if (taxonomy) Object.assign(article, taxonomyOf(i, taxonomy));
      if (covers.has(i)) Object.assign(article, { cover: covers.get(i), coverAlt: `A generated picture for article ${i}` });
      // A copy: the Document Service's middlewares add to the data they are given (firstPublishedAt).
      if (sampled.has(i)) samples.set(i, structuredClone(article));
      return article;
    });
    await write(articles);
  }
  if (coverDir) await rm(coverDir, { recursive: true, force: true });
  await settled(app);
  await verify(app, count, before, samples);
  const ms = performance.now() - started;
  const perSecond = count / (ms / 1000);
  console.log(
    `Generated ${count} published articles${coverDir ? ' with covers' : ''} in ${(ms / 1000).toFixed(1)} s (${perSecond.toFixed(0)} articles/s).`,
  );
  console.log(`generated ${JSON.stringify({ count, ms: Math.round(ms), perSecond: Math.round(perSecond) })}`);
  if (values.serve) {
    await app.listen();
    serving = true;
  }
} finally {
  if (!serving) await app.destroy();
}
