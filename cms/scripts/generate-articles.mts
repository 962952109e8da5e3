// `node scripts/generate-articles.mts --count 999`: adds that many published articles, slugs generated-0001…,
// for the benchmark (scripts/bench.ts). Loads the compiled app without its HTTP server, like scripts/seed.mts,
// so on a fresh database the app's first-start seed runs first (sales-vs-marketing, the CTA, Global).
// Point it at a throwaway database (DATABASE_CLIENT / DATABASE_FILENAME): it never deletes anything, but the
// content is filler.
// With --covers, every article gets its own cover: a generated JPEG (a gradient and a disc, different per
// article) put in the Media Library by the upload plugin, as POST /upload would (without Strapi's responsive
// formats and size optimisation, which the site never uses: the site encodes its own at build time).
// With --taxonomy, articles also get topics and authors, as editors give them: every article one or two of the
// seeded topics, and two articles in three an author (the seeded one, or one of three made for it), so the
// site has topic and author pages, their pagination and related articles to show.
// Prints a last line `generated {"count":…,"ms":…,"perSecond":…}` for the benchmark to read.
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UID } from '@agency/shared';
import type { Modules, Schema } from '@strapi/strapi';

const require = createRequire(import.meta.url);
const cmsDir = path.resolve(import.meta.dirname, '..');
const { createStrapi } = require('@strapi/strapi') as typeof import('@strapi/strapi');

/** Articles written per database transaction: one commit (one fsync on SQLite) per batch instead of per write. */
const BATCH = 50;

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100' },
    covers: { type: 'boolean', default: false },
    taxonomy: { type: 'boolean', default: false },
    // Smaller covers encode in a fraction of the time: CI's smoke run uses them to exercise encoded vs reused cheaply.
    'cover-width': { type: 'string', default: '1200' },
  },
});
const count = Number(values.count);
if (!Number.isInteger(count) || count < 0 || count > 9999) throw new Error(`--count must be an integer 0..9999, not "${values.count}".`);
const coverWidth = Number(values['cover-width']);
if (!Number.isInteger(coverWidth) || coverWidth < 16 || coverWidth > 4000)
  throw new Error(`--cover-width must be a width in pixels, 16..4000, not "${values['cover-width']}".`);
/** Covers are 16:10, like the benchmarks' test images. */
const coverHeight = Math.round((coverWidth * 10) / 16);

// ---------------------------------------------------------------------------------------------------
// Filler copy in the agency's register: deterministic (article i always reads the same), varied enough
// that pages differ in length like real ones do.

const TOPICS = [
  'brand voice',
  'logo design',
  'packaging',
  'signage',
  'brand strategy',
  'customer experience',
  'naming',
  'tone of voice',
  'visual identity',
  'rebranding',
  'brand guidelines',
  'social media',
];
const AUDIENCES = ['small businesses', 'start-ups', 'retailers', 'not-for-profits', 'professional services', 'manufacturers'];
const HEADINGS = [
  'Why it matters',
  'Where to start',
  'Common mistakes',
  'Measuring results',
  'Working with an agency',
  'Keeping it consistent',
  'A worked example',
  'What to do next',
];
const SENTENCES = [
  'A clear brand helps customers recognise you and remember you when they are ready to buy.',
  'Consistency across every touchpoint builds trust faster than any single campaign.',
  'Start with what your customers already believe about you, then decide what they should believe.',
  'Small changes applied everywhere often do more than a large change applied once.',
  'Your team is the first audience for the brand: if they cannot explain it, nobody else will.',
  'Good design removes friction, so the message arrives before the reader gets bored.',
  'Measure what people remember, not only what they click.',
  'A brief that names one goal gets better work than a brief that names ten.',
  'Competitors can copy a product, but they cannot copy the relationship you build.',
  'Review the brand every year, and change it only when the business has changed.',
];

const pick = <T,>(list: readonly T[], i: number): T => list[i % list.length]!;
const text = (i: number, sentences: number) => Array.from({ length: sentences }, (_, k) => pick(SENTENCES, i * 7 + k * 3)).join(' ');
const paragraphs = (...texts: string[]): Schema.Attribute.BlocksValue =>
  texts.map((t) => ({ type: 'paragraph', children: [{ type: 'text', text: t }] }));

type ArticleInput = Modules.Documents.Params.Data.Input<typeof UID.article>;

/** The topics and authors articles are given with --taxonomy (documentIds), filled once the app is loaded. */
type Taxonomy = { topics: string[]; authors: string[] };

/** Article i's topics and author: deterministic, spread so that listings and related articles vary. */
function taxonomyOf(i: number, taxonomy: Taxonomy): Pick<ArticleInput, 'topics' | 'author'> {
  const first = pick(taxonomy.topics, i);
  const topics = i % 2 === 0 ? [first, pick(taxonomy.topics, i * 7 + 1)] : [first];
  const author = i % 3 === 2 ? undefined : pick(taxonomy.authors, Math.floor(i / 3));
  return { topics: [...new Set(topics)], ...(author && { author }) } as Pick<ArticleInput, 'topics' | 'author'>;
}

const EXTRA_AUTHORS = [
  { name: 'Alex Morgan', slug: 'alex-morgan', role: 'Brand strategist' },
  { name: 'Sam Patel', slug: 'sam-patel', role: 'Designer' },
  { name: 'Jo Kim', slug: 'jo-kim', role: 'Copywriter' },
];

/** The seeded topics and authors, plus EXTRA_AUTHORS (made and published now when missing). */
async function loadTaxonomy(strapi: typeof app): Promise<Taxonomy> {
  const authors = strapi.documents(UID.author);
  for (const author of EXTRA_AUTHORS) {
    if (await authors.findFirst({ filters: { slug: author.slug }, status: 'draft' })) continue;
    const { documentId } = await authors.create({ data: author });
    await authors.publish({ documentId });
  }
  const ids = async (uid: typeof UID.topic | typeof UID.author) =>
    (await strapi.documents(uid).findMany({ status: 'published', sort: 'slug:asc' })).map((entry) => entry.documentId);
  return { topics: await ids(UID.topic), authors: await ids(UID.author) };
}

function generatedArticle(i: number): ArticleInput {
  const topic = pick(TOPICS, i);
  const audience = pick(AUDIENCES, i * 5);
  const sectionCount = 3 + (i % 3);
  const body: NonNullable<ArticleInput['body']> = Array.from({ length: sectionCount }, (_, s) => ({
    __component: 'article.section' as const,
    heading: pick(HEADINGS, i + s),
    body: paragraphs(...Array.from({ length: 1 + ((i + s) % 3) }, (_, p) => text(i + s + p, 3 + ((i + p) % 3)))),
  }));
  // Every third article has a side note after its first section, like the seeded one.
  if (i % 3 === 0) body.splice(1, 0, { __component: 'article.side-note', label: 'Side note', body: paragraphs(text(i + 11, 3)) });
  return {
    slug: `generated-${String(i).padStart(4, '0')}`,
    title: `${topic[0]!.toUpperCase()}${topic.slice(1)} for ${audience}, part ${i}`,
    intro: `How ${audience} can get more from ${topic}. ${text(i + 3, 2)}`,
    body,
  };
}

/** i in binary as a row of white squares: the colours repeat every 360 articles, these never do. */
const bits = (i: number) =>
  Array.from({ length: 14 }, (_, b) => ((i >> b) & 1 ? `<rect x="${40 + b * 40}" y="40" width="28" height="28" fill="#fff"/>` : '')).join(
    '',
  );

/** Article i's cover: a JPEG of its own, 1200×750 unless --cover-width says otherwise (the same picture as the benchmarks' test images). */
async function coverJpeg(i: number): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const hue = (i * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${coverWidth}" height="${coverHeight}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,55%)"/><stop offset="1" stop-color="hsl(${(hue + 140) % 360},60%,25%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${20 + ((i * 37) % 60)}%" cy="${20 + ((i * 53) % 60)}%" r="${Math.round(coverHeight / 4)}" fill="hsl(${(hue + 60) % 360},80%,70%)" opacity="0.8"/>
    <g transform="scale(${coverWidth / 1200})">${bits(i)}</g>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** Puts article i's cover in the Media Library (the upload plugin's own service); returns the file's id. */
async function uploadCover(strapi: typeof app, dir: string, i: number): Promise<number> {
  const file = path.join(dir, `cover-${i}.jpg`);
  const bytes = await coverJpeg(i);
  await writeFile(file, bytes);
  const [uploaded] = await strapi
    .plugin('upload')
    .service('upload')
    .upload({
      data: { fileInfo: { name: `cover-${i}.jpg`, alternativeText: `Cover of article ${i}` } },
      files: { filepath: file, originalFilename: `cover-${i}.jpg`, mimetype: 'image/jpeg', size: bytes.length },
    });
  return uploaded.id;
}

/**
 * Resolves once the database connection pool is idle. Strapi's event listeners run queries of their own
 * after each write, outside our transaction; destroying the app before they finish fails with "aborted".
 */
async function settled(strapi: { db: { connection: unknown } }): Promise<void> {
  const pool = (strapi.db.connection as { client: { pool?: { numUsed(): number; numPendingAcquires(): number } } }).client.pool;
  while (pool && pool.numUsed() + pool.numPendingAcquires() > 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

// ---------------------------------------------------------------------------------------------------

const app = createStrapi({ appDir: cmsDir, distDir: path.join(cmsDir, 'dist') });
// Strapi's own signal handler (added by createStrapi) destroys the app under our running inserts, or hangs
// mid-load, then exits 0, which reads as success. The database is throwaway: stop at once, and say so.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)
  process.prependListener(signal, () => process.exit(code));
await app.load(); // runs the app's bootstrap, which seeds a fresh database
try {
  const documents = app.documents(UID.article);
  const started = performance.now();
  const taxonomy = values.taxonomy ? await loadTaxonomy(app) : null;
  const coverDir = values.covers ? await mkdtemp(path.join(tmpdir(), 'agency-covers-')) : null;
  if (coverDir)
    await app
      .plugin('upload')
      .service('upload')
      .setSettings({ sizeOptimization: false, responsiveDimensions: false, autoOrientation: false });
  for (let first = 1; first <= count; first += BATCH) {
    const covers = new Map<number, number>();
    // Uploads outside the transaction: the upload plugin writes the file and its row on its own.
    if (coverDir) for (let i = first; i < Math.min(first + BATCH, count + 1); i++) covers.set(i, await uploadCover(app, coverDir, i));
    await app.db.transaction(async () => {
      for (let i = first; i < Math.min(first + BATCH, count + 1); i++) {
        const data = generatedArticle(i);
        if (taxonomy) Object.assign(data, taxonomyOf(i, taxonomy));
        if (covers.has(i)) Object.assign(data, { cover: covers.get(i), coverAlt: `A generated picture for article ${i}` });
        // status 'published' creates the draft and its published version in one call.
        await documents.create({ data, status: 'published' });
      }
    });
  }
  if (coverDir) await rm(coverDir, { recursive: true, force: true });
  await settled(app);
  const ms = performance.now() - started;
  const perSecond = count / (ms / 1000);
  console.log(
    `Generated ${count} published articles${coverDir ? ' with covers' : ''} in ${(ms / 1000).toFixed(1)} s (${perSecond.toFixed(0)} articles/s).`,
  );
  console.log(`generated ${JSON.stringify({ count, ms: Math.round(ms), perSecond: Math.round(perSecond) })}`);
} finally {
  await app.destroy();
}
