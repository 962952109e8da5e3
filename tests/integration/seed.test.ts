// The seed comes back over GraphQL exactly as the client's copy, on each database kind. The seed is what a CMS's
// first start did, and this run's CMSes all start from one: its template is a first start on an empty database,
// and the shared CMS a copy of it. So this file reads the shared CMS of each kind, and boots nothing: only the
// seeded entries, by their slugs (other files add articles, authors and topics of their own, and link some to
// the seeded topics). What only a CMS of one's own can show is followed on operations.test.ts's production CMS,
// which starts on an empty database and restarts anyway: that its first start seeded exactly this and nothing
// more, that a restart never undoes an editor's work, and that `npm run seed` restores what is missing.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ArticleSchema,
  AuthorSchema,
  ConsultationCtaSchema,
  PAGE_SIZE,
  SITE_CONTENT_QUERY,
  SiteSettingsSchema,
  TopicSchema,
  parseEntry,
  type SiteContentResult,
} from '@agency/shared';
import { TestCms } from '../support/cms.ts';
import { DATABASES } from '../support/databases.ts';
import { asKitParagraphs, kitParagraphs } from '../support/kit.ts';

const ARTICLE = 'sales-vs-marketing';
const AUTHOR = 'branding-agency';
const TOPICS = ['marketing', 'sales', 'strategy'];

/** The site's first request (the content it builds from), and the seeded entries in it, found by slug. */
async function seededContent(cms: TestCms) {
  const response = await cms.graphql<SiteContentResult>(SITE_CONTENT_QUERY, { pageSize: PAGE_SIZE });
  expect(response.errors).toBeUndefined();
  const data = response.data!;
  const article = data.articles_connection.nodes.find((node) => (node as { slug?: string }).slug === ARTICLE);
  if (!article)
    throw new Error(
      `The shared CMS's first ${PAGE_SIZE} articles have no "${ARTICLE}" (of ${data.articles_connection.pageInfo.total}): ` +
        'did a file delete the seeded article, or leave more than a page of its own behind?',
    );
  const slugOf = (node: unknown) => (node as { slug?: string }).slug ?? '';
  return {
    data,
    article,
    authors: data.authors_connection.nodes.filter((node) => slugOf(node) === AUTHOR),
    topics: data.topics_connection.nodes.filter((node) => TOPICS.includes(slugOf(node))),
  };
}

describe.each(DATABASES)('seed (%s)', (database) => {
  let cms: TestCms;
  beforeAll(async () => {
    cms = await TestCms.shared(database);
  }, 600_000); // the first file of a run to ask for the shared CMS pays for its boot (and the template's)

  it('publishes the article and CTA with the kit’s exact wording, every heading and paragraph in order', async () => {
    const { data, article: raw } = await seededContent(cms);
    const article = parseEntry(ArticleSchema, raw, 'seeded article');
    const cta = parseEntry(ConsultationCtaSchema, data.consultationCta, 'seeded CTA');
    parseEntry(SiteSettingsSchema, data.global, 'seeded global');

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
    }>(`{ articles(filters: { slug: { eq: "${ARTICLE}" } }) { slug author { slug name } topics(sort: ["name:asc"]) { slug } } }`);
    expect(errors).toBeUndefined();
    expect(data!.articles).toEqual([
      {
        slug: ARTICLE,
        author: { slug: AUTHOR, name: 'Branding Agency' },
        topics: [{ slug: 'marketing' }, { slug: 'sales' }, { slug: 'strategy' }],
      },
    ]);
    const authors = await cms.rest(`/api/authors?filters[slug][$eq]=${AUTHOR}&populate=articles`);
    expect(authors.status).toBe(200);
    expect(authors.body.data).toHaveLength(1);
    expect(authors.body.data[0].articles.map((a: { slug: string }) => a.slug)).toContain(ARTICLE);
    const topics = await cms.rest(`/api/topics?${TOPICS.map((slug, i) => `filters[slug][$in][${i}]=${slug}`).join('&')}&sort=name`);
    expect(topics.status).toBe(200);
    expect(topics.body.data.map((t: { name: string }) => t.name)).toEqual(['Marketing', 'Sales', 'Strategy']);
  });

  it("the site's first request validates: the seeded article, author and topics pass the contract", async () => {
    const { article: raw, authors, topics } = await seededContent(cms);
    const article = parseEntry(ArticleSchema, raw, 'the seeded article');
    expect(article).toMatchObject({ cover: null, coverAlt: null, author: { slug: AUTHOR, photo: null } });
    expect(article.topics.map((topic) => topic.slug)).toEqual(TOPICS);
    expect(authors.map((author) => parseEntry(AuthorSchema, author, 'the seeded author').slug)).toEqual([AUTHOR]);
    expect(topics.map((topic) => parseEntry(TopicSchema, topic, 'a seeded topic').slug).sort()).toEqual(TOPICS);
  });
});
