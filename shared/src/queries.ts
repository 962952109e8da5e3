// Every GraphQL document the site sends to the CMS, in one place. The fragments select exactly the fields
// the schemas in content.ts validate.

/** The API's page-size cap (cms/config/plugins.ts sets `maxLimit` to this); the site pages by it. */
export const PAGE_SIZE = 100;

const SEO_FIELDS = /* GraphQL */ `
  fragment SeoFields on ComponentSharedSeo {
    metaTitle
    metaDescription
    canonicalUrl
    noIndex
  }
`;

const ARTICLE_FIELDS = /* GraphQL */ `
  fragment ArticleFields on Article {
    documentId
    slug
    title
    intro
    publishedAt
    updatedAt
    seo { ...SeoFields }
    body {
      __typename
      ... on ComponentArticleSection { heading body }
      ... on ComponentArticleSideNote { label body }
      ... on Error { code message }
    }
  }
`;

/** First request of a build: site settings, the CTA and the first page of articles. */
export const SITE_CONTENT_QUERY = /* GraphQL */ `
  query SiteContent($pageSize: Int!) {
    global {
      siteName
      footerText
      defaultSeo { ...SeoFields }
    }
    consultationCta {
      heading
      subheading
      body
      phone
      actionLabel
      actionUrl
    }
    articles_connection(pagination: { page: 1, pageSize: $pageSize }, sort: ["publishedAt:desc", "documentId:asc"]) {
      nodes { ...ArticleFields }
      pageInfo { page pageCount total }
    }
  }
  ${ARTICLE_FIELDS}
  ${SEO_FIELDS}
`;

/** Further pages of articles, when there are more than PAGE_SIZE. */
export const ARTICLES_PAGE_QUERY = /* GraphQL */ `
  query ArticlesPage($page: Int!, $pageSize: Int!) {
    articles_connection(pagination: { page: $page, pageSize: $pageSize }, sort: ["publishedAt:desc", "documentId:asc"]) {
      nodes { ...ArticleFields }
      pageInfo { page pageCount total }
    }
  }
  ${ARTICLE_FIELDS}
  ${SEO_FIELDS}
`;

type PageInfo = { page: number; pageCount: number; total: number };
type ArticlesConnection = { nodes: unknown[]; pageInfo: PageInfo };

export type SiteContentResult = {
  global: unknown;
  consultationCta: unknown;
  articles_connection: ArticlesConnection;
};
export type ArticlesPageResult = { articles_connection: ArticlesConnection };
