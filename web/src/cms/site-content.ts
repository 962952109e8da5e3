// What the CMS returned for a build, checked and turned into the site's content: the site settings, the
// consultation CTA and every published article, validated by the shared schemas (@agency/shared). Anything
// the site cannot be built from right (a single type not published, pages missing, invalid entries,
// duplicate slugs) throws, so the build fails loudly instead of publishing part of the site.
import {
  ArticleSchema,
  ConsultationCtaSchema,
  InvalidContentError,
  PAGE_SIZE,
  SiteSettingsSchema,
  describeArticle,
  parseEntry,
  type Article,
  type ArticlesPageResult,
  type ConsultationCta,
  type SiteContentResult,
  type SiteSettings,
} from '@agency/shared';
import { CmsError } from './errors.ts';

export type SiteContent = { site: SiteSettings; cta: ConsultationCta; articles: Article[] };

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

  const site = collect(() => parseEntry(SiteSettingsSchema, first.global, 'the site settings (Global)'));
  const cta = collect(() => parseEntry(ConsultationCtaSchema, first.consultationCta, 'the consultation call to action'));
  const articles = rawArticles.flatMap((raw) => {
    const article = collect(() => parseEntry(ArticleSchema, raw, describeArticle(raw)));
    return article ? [article] : [];
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

  return { site: site!, cta: cta!, articles };
}
