// Content for web's tests, built from the seed: validated content as pages get it (site, article, seo), and
// the raw shape the CMS's GraphQL API returns before validation.
import { seed, type Article, type ArticlesPageResult, type Seo, type SiteContentResult } from '@agency/shared';

export const site = seed.siteSettings;
export const SITE_URL = 'https://agency.example';

/** SEO fields with nothing set, but what a test overrides. */
export const seo = (overrides: Partial<Seo>): Seo => ({
  metaTitle: null,
  metaDescription: null,
  canonicalUrl: null,
  noIndex: false,
  shareImage: null,
  ...overrides,
});

/** The seed article as validated content, with fixed dates. */
export const article = (overrides: Partial<Article> = {}): Article => ({
  ...seed.salesVsMarketing,
  documentId: 'doc1',
  publishedAt: '2025-03-12T09:30:00.000Z',
  updatedAt: '2025-03-14T10:00:00.000Z',
  cover: null,
  coverAlt: null,
  author: { ...seed.agencyAuthor, documentId: 'author0', photo: null },
  topics: seed.topics.map((topic, index) => ({ ...topic, documentId: `topic${index}` })),
  ...overrides,
});

export type RawArticle = Record<string, unknown>;

/** The seed article as the GraphQL API returns it, numbered so every one has its own slug and documentId. */
export function rawArticle(index: number, overrides: RawArticle = {}): RawArticle {
  const article = seed.salesVsMarketing;
  return {
    documentId: `doc${index}`,
    slug: `${article.slug}-${index}`,
    title: `${article.title} (${index})`,
    intro: article.intro,
    publishedAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    seo: article.seo,
    body: article.body.map((block) =>
      block.kind === 'section'
        ? { __typename: 'ComponentArticleSection', heading: block.heading, body: block.body }
        : { __typename: 'ComponentArticleSideNote', label: block.label, body: block.body },
    ),
    ...overrides,
  };
}

export const rawArticles = (count: number): RawArticle[] => Array.from({ length: count }, (_, i) => rawArticle(i + 1));

export const pageInfo = (page: number, pageCount: number, total: number) => ({ page, pageCount, total });

export function firstPage(
  nodes: RawArticle[],
  info = pageInfo(1, nodes.length ? 1 : 0, nodes.length),
  extra: Partial<SiteContentResult> = {},
): SiteContentResult {
  const topics = seed.topics.map((topic, index) => ({ ...topic, documentId: `topic${index}` }));
  return {
    global: seed.siteSettings,
    consultationCta: seed.consultationCta,
    articles_connection: { nodes, pageInfo: info },
    authors_connection: { nodes: [{ ...seed.agencyAuthor, documentId: 'author0', photo: null }], pageInfo: { total: 1 } },
    topics_connection: { nodes: topics, pageInfo: { total: topics.length } },
    ...extra,
  };
}

export const laterPage = (nodes: RawArticle[], info: ReturnType<typeof pageInfo>): ArticlesPageResult => ({
  articles_connection: { nodes, pageInfo: info },
});
