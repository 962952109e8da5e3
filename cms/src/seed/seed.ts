// Imports the agency's first content (structured in shared/, from the client's copy) and publishes it.
// It only ever creates what is missing: an entry an editor has changed is never overwritten.
import type { Core } from '@strapi/strapi';
import { seed, type ArticleSeed, type ArticleBlock } from '@agency/shared';

const ARTICLE = 'api::article.article';
const CTA = 'api::consultation-cta.consultation-cta';
const GLOBAL = 'api::global.global';

/** How a domain block is stored: the dynamic zone's component for each kind. */
function toDynamicZone(block: ArticleBlock) {
  return block.kind === 'section'
    ? { __component: 'article.section', heading: block.heading, body: block.body }
    : { __component: 'article.side-note', label: block.label, body: block.body };
}

function articleData(article: ArticleSeed) {
  return { ...article, body: article.body.map(toDynamicZone), seo: article.seo ?? undefined };
}

export type SeedReport = { created: string[]; kept: string[] };

async function createPublished(strapi: Core.Strapi, uid: string, data: Record<string, unknown>) {
  const documents = strapi.documents(uid as never);
  const created = await documents.create({ data } as never);
  await documents.publish({ documentId: (created as { documentId: string }).documentId } as never);
}

/** Creates and publishes each seed entry that does not exist yet, in any state (draft or published). */
export async function seedMissingContent(strapi: Core.Strapi): Promise<SeedReport> {
  const report: SeedReport = { created: [], kept: [] };

  for (const article of [seed.salesVsMarketing]) {
    const name = `article "${article.slug}"`;
    const existing = await strapi.documents(ARTICLE).findFirst({ filters: { slug: article.slug }, status: 'draft' });
    if (existing) report.kept.push(name);
    else {
      await createPublished(strapi, ARTICLE, articleData(article));
      report.created.push(name);
    }
  }

  const singles: Array<[string, string, Record<string, unknown>]> = [
    [CTA, 'consultation CTA', { ...seed.consultationCta }],
    [GLOBAL, 'global settings', { ...seed.siteSettings, defaultSeo: seed.siteSettings.defaultSeo ?? undefined }],
  ];
  for (const [uid, name, data] of singles) {
    const existing = await strapi.documents(uid as never).findFirst({ status: 'draft' } as never);
    if (existing) report.kept.push(name);
    else {
      await createPublished(strapi, uid, data);
      report.created.push(name);
    }
  }
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
