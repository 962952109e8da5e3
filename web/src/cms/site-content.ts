// What the CMS returned for a build, checked and turned into the site's content: the site settings, the
// consultation CTA and every published article, validated by the shared schemas (@agency/shared). Anything
// the site cannot be built from right (a single type not published, pages missing, invalid entries,
// duplicate slugs) throws, so the build fails loudly instead of publishing part of the site.
import {
  ArticleSchema,
  AuthorSchema,
  ConsultationCtaSchema,
  InvalidContentError,
  PAGE_SIZE,
  SiteSettingsSchema,
  TopicSchema,
  describeArticle,
  parseEntry,
  type Article,
  type ArticlesPageResult,
  type Author,
  type ConsultationCta,
  type SiteContentResult,
  type SiteSettings,
  type Topic,
} from '@agency/shared';
import { CmsError } from './errors.ts';

/** Authors and topics: every published one (they come with the first request, up to PAGE_SIZE of each). */
export type SiteContent = { site: SiteSettings; cta: ConsultationCta; articles: Article[]; authors: Author[]; topics: Topic[] };

type ListConnection = SiteContentResult['authors_connection'];

/** The authors or topics of the first answer; more than one page of them is refused, never cut short. */
function checkList(connection: ListConnection | null | undefined, what: 'authors' | 'topics'): unknown[] {
  if (!connection || !Array.isArray(connection.nodes) || !connection.pageInfo) {
    throw new CmsError('bad-response', `The CMS's answer has no ${what}_connection { nodes pageInfo }.`);
  }
  if (connection.nodes.length !== connection.pageInfo.total) {
    throw new CmsError(
      'incomplete',
      `The CMS has ${connection.pageInfo.total} published ${what}, but the site reads at most ${PAGE_SIZE} (got ${connection.nodes.length}). ` +
        `Unpublish the ones no longer used, or raise the limit in shared/src/queries.ts.`,
    );
  }
  return connection.nodes;
}

type Connection = SiteContentResult['articles_connection'];

/** The articles connection of one answer, or a CmsError when the answer does not have one. */
export function checkConnection(connection: Connection | null | undefined, page: number): Connection {
  if (!connection || !Array.isArray(connection.nodes) || !connection.pageInfo) {
    throw new CmsError('bad-response', `The CMS's answer for articles page ${page} has no articles_connection { nodes pageInfo }.`);
  }
  return connection;
}

/**
 * Validates the first answer (SITE_CONTENT_QUERY) and the further article pages (ARTICLES_PAGE_QUERY, pages
 * 2..pageCount in order) and turns them into typed content. Pure; exported for tests.
 * Throws CmsError for missing singletons, an incomplete article list or duplicate slugs; InvalidContentError
 * (or a CmsError listing several) for invalid entries.
 */
export function toSiteContent(first: SiteContentResult, rest: readonly ArticlesPageResult[] = []): SiteContent {
  if (!first.global) {
    throw new CmsError(
      'missing-content',
      'The CMS has no published site settings (Global): publish it in the Strapi admin (Content Manager → Single Types → Global).',
    );
  }
  if (!first.consultationCta) {
    throw new CmsError(
      'missing-content',
      'The CMS has no published consultation call to action (Consultation CTA): publish it in the Strapi admin (Content Manager → Single Types → Consultation CTA).',
    );
  }

  const firstConnection = checkConnection(first.articles_connection, 1);
  const { total, pageCount } = firstConnection.pageInfo;
  const connections = [firstConnection, ...rest.map((page, index) => checkConnection(page.articles_connection, index + 2))];
  const rawArticles = connections.flatMap((connection) => connection.nodes);
  for (const connection of connections) {
    if (connection.pageInfo.total !== total) {
      throw new CmsError(
        'incomplete',
        `The articles changed while the site was being built (the CMS reported ${total}, then ${connection.pageInfo.total} articles). Build again.`,
      );
    }
  }
  if (connections.length < pageCount || rawArticles.length !== total) {
    throw new CmsError(
      'incomplete',
      `The site got ${rawArticles.length} of the ${total} published articles the CMS reported (${connections.length} of ${pageCount} pages). ` +
        `Check the GraphQL plugin's maxLimit (it must be at least ${PAGE_SIZE}) and build again.`,
    );
  }

  const problems: InvalidContentError[] = [];
  const collect = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof InvalidContentError) {
        problems.push(error);
        return undefined;
      }
      throw error;
    }
  };

  const rawAuthors = checkList(first.authors_connection, 'authors');
  const rawTopics = checkList(first.topics_connection, 'topics');
  const site = collect(() => parseEntry(SiteSettingsSchema, first.global, 'the site settings (Global)'));
  const cta = collect(() => parseEntry(ConsultationCtaSchema, first.consultationCta, 'the consultation call to action'));
  const articles = rawArticles.flatMap((raw) => {
    const article = collect(() => parseEntry(ArticleSchema, raw, describeArticle(raw)));
    return article ? [article] : [];
  });

  const named = (kind: string, raw: unknown) => {
    const slug = (raw as { slug?: unknown } | null)?.slug;
    return typeof slug === 'string' && slug ? `${kind} "${slug}"` : `a${kind === 'author' ? 'n' : ''} ${kind}`;
  };
  const authors = rawAuthors.flatMap((raw) => {
    const author = collect(() => parseEntry(AuthorSchema, raw, named('author', raw)));
    return author ? [author] : [];
  });
  const topics = rawTopics.flatMap((raw) => {
    const topic = collect(() => parseEntry(TopicSchema, raw, named('topic', raw)));
    return topic ? [topic] : [];
  });
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new CmsError(
      'invalid-content',
      `${problems.length} entries in the CMS have invalid content; fix them in the Strapi admin:\n\n${problems.map((p) => p.message).join('\n\n')}`,
    );
  }

  const bySlug = new Map<string, Article>();
  for (const article of articles) {
    const other = bySlug.get(article.slug);
    if (other) {
      throw new CmsError(
        'duplicate-slug',
        // Careful: Astro replaces the hint of any error whose text contains "document" or "window" with
        // advice about browser APIs, so the message says "entries", not "documentIds".
        `Two published articles share the slug "${article.slug}" (entries ${other.documentId} and ${article.documentId}): give one of them another slug in the Strapi admin.`,
      );
    }
    bySlug.set(article.slug, article);
  }

  return { site: site!, cta: cta!, articles, authors, topics };
}
