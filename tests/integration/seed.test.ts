// The seed comes back over GraphQL exactly as the client's copy, and restarts never undo an editor's work. The
// CMS starts from a copy of the run's template: the database its first start seeded. One restart proves both
// halves of "the seed runs on the first start only": an edit survives it, a deletion is not undone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import {
  ArticleSchema,
  AuthorSchema,
  ConsultationCtaSchema,
  PAGE_SIZE,
  SITE_CONTENT_QUERY,
  SiteSettingsSchema,
  TopicSchema,
  UID,
  parseEntry,
  type SiteContentResult,
} from '@agency/shared';
import { run } from '../../scripts/common/children.ts';
import { CMS_DIR } from '../../scripts/common/paths.ts';
import { withoutSystemFields } from '../../scripts/stack/cms-admin.ts';
import { TestCms } from '../support/cms.ts';
import { DATABASES } from '../support/databases.ts';
import { asKitParagraphs, kitParagraphs } from '../support/kit.ts';

/** A test that starts Strapi (a restart, `npm run seed`) gets a hook's time limit (vitest.config.ts): boots are slow on a busy machine. */
const STARTS_STRAPI = 300_000;

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

  it('seeds the agency as the author and the topics the article is about, all published and public', async () => {
    const { data, errors } = await cms.graphql<{
      articles: Array<{ slug: string; author: { slug: string } | null; topics: Array<{ slug: string }> }>;
    }>('{ articles { slug author { slug name } topics(sort: ["name:asc"]) { slug } } }');
    expect(errors).toBeUndefined();
    expect(data!.articles).toEqual([
      {
        slug: 'sales-vs-marketing',
        author: { slug: 'branding-agency', name: 'Branding Agency' },
        topics: [{ slug: 'marketing' }, { slug: 'sales' }, { slug: 'strategy' }],
      },
    ]);
    const authors = await cms.rest('/api/authors?populate=articles');
    expect(authors.status).toBe(200);
    expect(
      authors.body.data.map((a: { slug: string; articles: Array<{ slug: string }> }) => [a.slug, a.articles.map((x) => x.slug)]),
    ).toEqual([['branding-agency', ['sales-vs-marketing']]]);
    const topics = await cms.rest('/api/topics?sort=name');
    expect(topics.body.data.map((t: { name: string }) => t.name)).toEqual(['Marketing', 'Sales', 'Strategy']);
  });

  it("the site's first request validates: every article, author and topic passes the contract", async () => {
    const data = await siteContent(cms);
    const [article] = data.articles_connection.nodes.map((raw) => parseEntry(ArticleSchema, raw, 'the seeded article'));
    expect(article).toMatchObject({ cover: null, coverAlt: null, author: { slug: 'branding-agency', photo: null } });
    expect(article!.topics.map((topic) => topic.slug)).toEqual(['marketing', 'sales', 'strategy']);
    expect(data.authors_connection.nodes.map((raw) => parseEntry(AuthorSchema, raw, 'an author').slug)).toEqual(['branding-agency']);
    expect(data.topics_connection.pageInfo.total).toBe(3);
    for (const raw of data.topics_connection.nodes) parseEntry(TopicSchema, raw, 'a topic');
  });

  it(
    'keeps an editor’s published change across a restart, and does not bring back a deleted article',
    async () => {
      // The editor renames the site (Global, seeded too) and publishes, and deletes the seeded article.
      const global = `/content-manager/single-types/${UID.global}`;
      const draft = withoutSystemFields((await cms.admin('GET', global)).data as Record<string, unknown>);
      await cms.admin('POST', `${global}/actions/publish`, { ...draft, siteName: 'An editor’s site name' });
      const article = await cms.editor.findArticle('sales-vs-marketing');
      await cms.editor.deleteArticle(article.documentId);

      await cms.restart();

      const data = await siteContent(cms);
      expect(parseEntry(SiteSettingsSchema, data.global, 'global').siteName).toBe('An editor’s site name');
      expect(data.articles_connection.pageInfo.total).toBe(0);
    },
    STARTS_STRAPI,
  );

  it(
    '`npm run seed` restores what is missing, and keeps what is there',
    async () => {
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
      // What was there stays as the editor left it.
      expect(parseEntry(SiteSettingsSchema, data.global, 'global').siteName).toBe('An editor’s site name');
    },
    STARTS_STRAPI,
  );
});
