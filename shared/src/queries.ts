// Every GraphQL document the site sends to the CMS, in one place. The fragments select exactly the fields
// the schemas in content.ts validate.

/** The API's page-size cap (cms/config/plugins.ts sets `maxLimit` to this); the site pages by it. */
export const PAGE_SIZE = 100;

/**
 * Every image field (cover, author photo, share image) asks for the same fields (ImageSchema). Spliced in as
 * plain fields, not fragments: the CMS's depth limit (10) counts each fragment spread as a level.
 */
const IMAGE = /* GraphQL */ `url alternativeText width height mime hash`;

const SEO_FIELDS = /* GraphQL */ `
  fragment SeoFields on ComponentSharedSeo {
    metaTitle
    metaDescription
    canonicalUrl
    noIndex
    shareImage { ${IMAGE} }
  }
`;

/** An author's fields (AuthorSchema), in an article and in the list of authors. */
const AUTHOR = /* GraphQL */ `documentId name slug role bio photo { ${IMAGE} }`;

/** A topic's fields (TopicSchema), in an article and in the list of topics. */
const TOPIC = /* GraphQL */ `documentId name slug description`;

const ARTICLE_FIELDS = /* GraphQL */ `
  fragment ArticleFields on Article {
    documentId
    slug
    title
    intro
    publishedAt
    firstPublishedAt
    updatedAt
    cover { ${IMAGE} }
    coverAlt
    author { ${AUTHOR} }
    topics(sort: ["name:asc"], pagination: { limit: ${PAGE_SIZE} }) { ${TOPIC} }
    seo {
      ...SeoFields
    }
    body {
      __typename
      ... on ComponentArticleSection {
        heading
        body
      }
      ... on ComponentArticleSideNote {
        label
        body
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

/** First request of a build: site settings, the CTA, the first page of articles, and every author and topic (up to PAGE_SIZE each). */
const GLOBAL_FIELDS = /* GraphQL */ `
  fragment GlobalFields on Global {
    siteName
    footerText
    defaultSeo {
      ...SeoFields
    }
  }
`;

const CTA_FIELDS = /* GraphQL */ `
  fragment CtaFields on ConsultationCta {
    heading
    subheading
    body
    phone
    actionLabel
    actionUrl
  }
`;

export const SITE_CONTENT_QUERY = /* GraphQL */ `
  query SiteContent($pageSize: Int!) {
    global {
      ...GlobalFields
    }
    consultationCta {
      ...CtaFields
    }
    articles_connection(pagination: { page: 1, pageSize: $pageSize }, sort: ["publishedAt:desc", "documentId:asc"]) {
      nodes {
        ...ArticleFields
      }
      pageInfo {
        page
        pageCount
        total
      }
    }
    authors_connection(pagination: { page: 1, pageSize: $pageSize }, sort: ["name:asc", "documentId:asc"]) {
      nodes { ${AUTHOR} }
      pageInfo {
        total
      }
    }
    topics_connection(pagination: { page: 1, pageSize: $pageSize }, sort: ["name:asc", "documentId:asc"]) {
      nodes { ${TOPIC} }
      pageInfo {
        total
      }
    }
  }
  ${GLOBAL_FIELDS}
  ${CTA_FIELDS}
  ${ARTICLE_FIELDS}
  ${SEO_FIELDS}
`;

/** Further pages of articles, when there are more than PAGE_SIZE. */
export const ARTICLES_PAGE_QUERY = /* GraphQL */ `
  query ArticlesPage($page: Int!, $pageSize: Int!) {
    articles_connection(pagination: { page: $page, pageSize: $pageSize }, sort: ["publishedAt:desc", "documentId:asc"]) {
      nodes {
        ...ArticleFields
      }
      pageInfo {
        page
        pageCount
        total
      }
    }
  }
  ${ARTICLE_FIELDS}
  ${SEO_FIELDS}
`;

/**
 * Preview (the site's preview server, on an editor's request): one article by documentId (the signed link names it) with the site settings and
 * the CTA, all in the requested state. Drafts need the preview token (cms/src/bootstrap/draft-guard.ts).
 */
export const PREVIEW_ARTICLE_QUERY = /* GraphQL */ `
  query PreviewArticle($documentId: ID!, $status: PublicationStatus!) {
    global(status: $status) {
      ...GlobalFields
    }
    consultationCta(status: $status) {
      ...CtaFields
    }
    articles(filters: { documentId: { eq: $documentId } }, status: $status, pagination: { limit: 1 }) {
      ...ArticleFields
    }
  }
  ${GLOBAL_FIELDS}
  ${CTA_FIELDS}
  ${ARTICLE_FIELDS}
  ${SEO_FIELDS}
`;

/**
 * An incremental publish (web/src/incremental/): the published versions of the articles a publish named, by
 * documentId, at most PAGE_SIZE at once. An article missing from the answer is no longer published.
 */
export const ARTICLES_BY_ID_QUERY = /* GraphQL */ `
  query ArticlesById($documentIds: [ID!]!, $pageSize: Int!) {
    articles(filters: { documentId: { in: $documentIds } }, pagination: { limit: $pageSize }) {
      ...ArticleFields
    }
  }
  ${ARTICLE_FIELDS}
  ${SEO_FIELDS}
`;

/** Preview of the consultation CTA in the requested state, with the site settings around it. */
export const PREVIEW_CTA_QUERY = /* GraphQL */ `
  query PreviewCta($status: PublicationStatus!) {
    global(status: $status) {
      ...GlobalFields
    }
    consultationCta(status: $status) {
      ...CtaFields
    }
  }
  ${GLOBAL_FIELDS}
  ${CTA_FIELDS}
  ${SEO_FIELDS}
`;

export type PreviewStatus = 'DRAFT' | 'PUBLISHED';
export type PreviewArticleResult = { global: unknown; consultationCta: unknown; articles: unknown[] };
export type PreviewCtaResult = { global: unknown; consultationCta: unknown };

type PageInfo = { page: number; pageCount: number; total: number };
type ArticlesConnection = { nodes: unknown[]; pageInfo: PageInfo };

type ListConnection = { nodes: unknown[]; pageInfo: { total: number } };

export type SiteContentResult = {
  global: unknown;
  consultationCta: unknown;
  articles_connection: ArticlesConnection;
  authors_connection: ListConnection;
  topics_connection: ListConnection;
};
export type ArticlesPageResult = { articles_connection: ArticlesConnection };
export type ArticlesByIdResult = { articles: unknown[] };
