// Imports the agency's first content (structured in shared/, from the client's copy) and publishes it.
// It only ever creates what is missing: an entry an editor has changed is never overwritten.
import type { Core, Modules, Schema } from '@strapi/strapi';
import { UID, seed, type ArticleBlock, type ArticleSeed, type RichText } from '@agency/shared';

// The contract's shapes (what the site reads) become Strapi's input shapes here, at one boundary.

/** The contract says null for an empty optional field; Strapi's input types say undefined (it stores null). */
type WithoutNulls<T> = { [K in keyof T]: null extends T[K] ? Exclude<T[K], null> | undefined : T[K] };
function withoutNulls<T extends object>(value: T): WithoutNulls<T> {
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, field ?? undefined])) as WithoutNulls<T>;
}

/**
 * Rich text is stored as is. Strapi's Blocks type requires `rel` and `target` on every link; its API takes links
 * without them, which is how the contract defines a link (shared/src/rich-text.ts).
 */
const blocks = (text: RichText) => text as unknown as Schema.Attribute.BlocksValue;

/** How a domain block is stored: the dynamic zone's component for each kind. */
function toDynamicZone(block: ArticleBlock) {
  return block.kind === 'section'
    ? { __component: 'article.section' as const, heading: block.heading, body: blocks(block.body) }
    : { __component: 'article.side-note' as const, label: block.label, body: blocks(block.body) };
}

/** Relations are seeded by slug; Strapi links by documentId (authors and topics are seeded first). */
type DocumentIds = { authors: Map<string, string>; topics: Map<string, string> };

function documentIdOf(ids: Map<string, string>, slug: string, kind: string): string {
  const documentId = ids.get(slug);
  if (!documentId)
    throw new Error(`The seed article names ${kind} "${slug}", which the seed does not define (shared/src/seed/editorial.ts).`);
  return documentId;
}

function articleData(article: ArticleSeed, ids: DocumentIds): Modules.Documents.Params.Data.Input<typeof UID.article> {
  return {
    ...article,
    body: article.body.map(toDynamicZone),
    seo: article.seo ? withoutNulls(article.seo) : undefined,
    author: documentIdOf(ids.authors, article.author, 'the author'),
    topics: article.topics.map((slug) => documentIdOf(ids.topics, slug, 'the topic')),
  };
}

type SeedReport = { created: string[]; kept: string[] };

/**
 * Creates and publishes each seed entry that does not exist yet, in any state (draft or published).
 * @public — scripts/seed.mts loads it from the compiled CMS (dist/), which knip cannot follow.
 */
export async function seedMissingContent(strapi: Core.Strapi): Promise<SeedReport> {
  const report: SeedReport = { created: [], kept: [] };
  const keepOrCreate = async (name: string, existing: unknown, create: () => Promise<unknown>) => {
    if (existing) report.kept.push(name);
    else {
      await create();
      report.created.push(name);
    }
  };
  // Created as a draft, then published: the publish guard (bootstrap/publish-guard.ts) checks the seed too.
  // Authors and topics first, so the article can link the published ones.
  const ids: DocumentIds = { authors: new Map(), topics: new Map() };
  const authors = strapi.documents(UID.author);
  for (const author of [seed.agencyAuthor]) {
    const existing = await authors.findFirst({ filters: { slug: author.slug }, status: 'draft' });
    await keepOrCreate(`author "${author.slug}"`, existing, async () => {
      const { documentId } = await authors.create({ data: withoutNulls(author) });
      await authors.publish({ documentId });
      ids.authors.set(author.slug, documentId);
    });
    if (existing) ids.authors.set(author.slug, existing.documentId);
  }
  const topics = strapi.documents(UID.topic);
  for (const topic of seed.topics) {
    const existing = await topics.findFirst({ filters: { slug: topic.slug }, status: 'draft' });
    await keepOrCreate(`topic "${topic.slug}"`, existing, async () => {
      const { documentId } = await topics.create({ data: withoutNulls(topic) });
      await topics.publish({ documentId });
      ids.topics.set(topic.slug, documentId);
    });
    if (existing) ids.topics.set(topic.slug, existing.documentId);
  }
  const articles = strapi.documents(UID.article);
  for (const article of [seed.salesVsMarketing]) {
    await keepOrCreate(
      `article "${article.slug}"`,
      await articles.findFirst({ filters: { slug: article.slug }, status: 'draft' }),
      async () => articles.publish({ documentId: (await articles.create({ data: articleData(article, ids) })).documentId }),
    );
  }
  const cta = strapi.documents(UID.consultationCta);
  await keepOrCreate('consultation CTA', await cta.findFirst({ status: 'draft' }), async () =>
    cta.publish({
      documentId: (await cta.create({ data: { ...withoutNulls(seed.consultationCta), body: blocks(seed.consultationCta.body) } }))
        .documentId,
    }),
  );
  const global = strapi.documents(UID.global);
  const { defaultSeo, ...siteSettings } = seed.siteSettings;
  await keepOrCreate('global settings', await global.findFirst({ status: 'draft' }), async () =>
    global.publish({
      documentId: (
        await global.create({ data: { ...withoutNulls(siteSettings), defaultSeo: defaultSeo ? withoutNulls(defaultSeo) : undefined } })
      ).documentId,
    }),
  );
  return report;
}

const SEED_STORE = { type: 'core' as const, name: 'agency', key: 'seeded-at' };

/**
 * First start only: seeds, then remembers it did, so content an editor deletes on purpose stays deleted
 * across restarts. `npm run seed` calls seedMissingContent directly to restore missing entries on demand.
 */
export async function seedOnFirstStart(strapi: Core.Strapi): Promise<void> {
  const store = strapi.store(SEED_STORE);
  if (await store.get()) return;
  const report = await seedMissingContent(strapi);
  await store.set({ value: new Date().toISOString() });
  strapi.log.info(`Seed: created ${report.created.join(', ') || 'nothing'}; kept ${report.kept.join(', ') || 'nothing'}.`);
}
