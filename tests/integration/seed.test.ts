// The seed comes back over GraphQL exactly as the client's copy, and restarts never undo an editor's work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import {
  ArticleSchema,
  ConsultationCtaSchema,
  PAGE_SIZE,
  SITE_CONTENT_QUERY,
  SiteSettingsSchema,
  parseEntry,
  type SiteContentResult,
} from '@agency/shared';
import { run } from '../../scripts/common/children.ts';
import { CMS_DIR } from '../../scripts/common/paths.ts';
import { TestCms } from '../support/cms.ts';
import { DATABASES } from '../support/databases.ts';
import { asKitParagraphs, kitParagraphs } from '../support/kit.ts';

async function siteContent(cms: TestCms) {
  const response = await cms.graphql<SiteContentResult>(SITE_CONTENT_QUERY, { pageSize: PAGE_SIZE });
  expect(response.errors).toBeUndefined();
  return response.data!;
}

describe.each(DATABASES)('seed (%s)', (database) => {
  let cms: TestCms;
  beforeAll(async () => {
    cms = await TestCms.boot({ database });
  });
  afterAll(async () => {
    await cms?.destroy();
  });

  it('publishes the article and CTA with the kit’s exact wording, every heading and paragraph in order', async () => {
    const data = await siteContent(cms);
    expect(data.articles_connection.pageInfo.total).toBe(1);
    const article = parseEntry(ArticleSchema, data.articles_connection.nodes[0], 'seeded article');
    const cta = parseEntry(ConsultationCtaSchema, data.consultationCta, 'seeded CTA');
    parseEntry(SiteSettingsSchema, data.global, 'seeded global');

    expect(article.slug).toBe('sales-vs-marketing');
    expect(asKitParagraphs(article, cta)).toEqual(kitParagraphs());
    // The side note sits where the client put it: after the first section.
    expect(article.body.map((block) => block.kind)).toEqual([
      'section',
      'side-note',
      'section',
      'section',
      'section',
      'section',
      'section',
    ]);
    expect(article.title).toContain('’'); // curly apostrophe kept
    expect(cta.phone).toBeNull();
  });

  it('shows editors what each field is for, in the admin’s edit view', async () => {
    const article = await cms.admin('GET', '/content-manager/content-types/api::article.article/configuration');
    const metadatas = article.data.contentType.metadatas;
    expect(metadatas.slug.edit.description).toMatch(/\/articles\/<slug>\//);
    expect(metadatas.body.edit.description).toMatch(/sections .* side notes/);
    const seo = article.data.components['shared.seo'].metadatas;
    expect(seo.metaTitle.edit.description).toMatch(/At most 60 characters/);
  });

  it('keeps an editor’s published change across a restart', async () => {
    const article = await cms.editor.findArticle('sales-vs-marketing');
    await cms.editor.saveDraft(article.documentId, { title: 'Sales and marketing: an editor’s title' });
    await cms.editor.publish(article.documentId);

    await cms.restart();

    const data = await siteContent(cms);
    expect(data.articles_connection.nodes).toHaveLength(1);
    expect((data.articles_connection.nodes[0] as { title: string }).title).toBe('Sales and marketing: an editor’s title');
  });

  it('does not bring back a deleted article on restart; `npm run seed` restores what is missing', async () => {
    const article = await cms.editor.findArticle('sales-vs-marketing');
    await cms.editor.deleteArticle(article.documentId);
    await cms.restart();
    expect((await siteContent(cms)).articles_connection.pageInfo.total).toBe(0);

    const seeded = await run(process.execPath, [path.join(CMS_DIR, 'scripts', 'seed.mts')], { cwd: CMS_DIR, env: cms.env });
    expect(seeded.output).toContain('created article "sales-vs-marketing"');
    expect(seeded.output).toContain(
      'kept author "branding-agency", topic "sales", topic "marketing", topic "strategy", consultation CTA, global settings',
    );
    expect(seeded.code).toBe(0);

    const data = await siteContent(cms);
    const restored = parseEntry(ArticleSchema, data.articles_connection.nodes[0], 'restored article');
    // Linked again to the author and topics that were kept.
    expect(restored.author?.slug).toBe('branding-agency');
    expect(restored.topics.map((topic) => topic.slug)).toEqual(['marketing', 'sales', 'strategy']);
    expect(asKitParagraphs(restored, parseEntry(ConsultationCtaSchema, data.consultationCta, 'CTA'))).toEqual(kitParagraphs());
  });
});
