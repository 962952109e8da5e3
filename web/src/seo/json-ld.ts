// Structured data (schema.org JSON-LD) for search engines: the agency as an Organization, the home page as its
// WebSite, each article as an Article, a page's breadcrumb trail as a BreadcrumbList; and the one safe way to
// put it in a <script> (JsonLd.astro).
import type { Article, Author, SiteSettings } from '@agency/shared';
import type { Crumb } from '../lib/breadcrumbs.ts';
import { authorPath } from '../lib/routes.ts';
import { truncate, type PageMeta } from './meta.ts';
import { wordCount } from './reading-time.ts';

type JsonLd = Record<string, unknown>;

/** The agency as a schema.org Organization (the site's publisher). */
function organizationJsonLd(site: SiteSettings, siteUrl: URL | string): JsonLd {
  return {
    '@type': 'Organization',
    '@id': new URL('/#organization', siteUrl).href,
    name: site.siteName,
    url: new URL('/', siteUrl).href,
    logo: new URL('/favicon.svg', siteUrl).href,
    ...(site.footerText ? { description: site.footerText } : {}),
  };
}

/**
 * Who wrote the article: its Author as a Person with their page, or the agency itself when the article has no
 * author or its author is the agency (the seed's author is, by name: then it is the publisher, not a Person).
 */
function authorJsonLd(author: Author | null | undefined, site: SiteSettings, organization: JsonLd, siteUrl: URL | string): JsonLd {
  if (!author || author.name === site.siteName) {
    return { '@id': organization['@id'], '@type': 'Organization', name: site.siteName, url: organization.url };
  }
  return {
    '@type': 'Person',
    name: author.name,
    url: new URL(authorPath(author.slug), siteUrl).href,
    ...(author.role ? { jobTitle: author.role } : {}),
    worksFor: { '@id': organization['@id'] },
  };
}

/** An article as a schema.org Article: headline, description, dates, its author, topics, the agency as publisher. */
export function articleJsonLd(
  site: SiteSettings,
  article: Pick<Article, 'title' | 'publishedAt' | 'updatedAt' | 'body'> & Partial<Pick<Article, 'author' | 'topics'>>,
  meta: PageMeta,
  siteUrl: URL | string,
): JsonLd {
  const organization = organizationJsonLd(site, siteUrl);
  const words = wordCount(article);
  return {
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: truncate(article.title, 110),
    ...(meta.description ? { description: meta.description } : {}),
    datePublished: article.publishedAt,
    dateModified: article.updatedAt,
    ...(meta.canonical ? { url: meta.canonical, mainEntityOfPage: { '@type': 'WebPage', '@id': meta.canonical } } : {}),
    inLanguage: 'en',
    wordCount: words,
    author: authorJsonLd(article.author, site, organization, siteUrl),
    ...(article.topics?.length ? { keywords: article.topics.map((topic) => topic.name).join(', ') } : {}),
    publisher: organization,
  };
}

/** The home page: the agency, and the site it publishes. */
export function homeJsonLd(site: SiteSettings, meta: PageMeta, siteUrl: URL | string): JsonLd {
  const organization = organizationJsonLd(site, siteUrl);
  return {
    '@context': 'https://schema.org',
    '@graph': [
      organization,
      {
        '@type': 'WebSite',
        '@id': new URL('/#website', siteUrl).href,
        name: site.siteName,
        url: new URL('/', siteUrl).href,
        ...(meta.description ? { description: meta.description } : {}),
        inLanguage: 'en',
        publisher: { '@id': organization['@id'] },
      },
    ],
  };
}

/** A breadcrumb trail (src/lib/breadcrumbs.ts) as a schema.org BreadcrumbList, every item an absolute URL. */
export function breadcrumbJsonLd(crumbs: readonly Crumb[], siteUrl: URL | string): JsonLd {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: crumbs.map((crumb, index) => ({
      '@type': 'ListItem',
      position: index + 1,
      name: crumb.name,
      item: new URL(crumb.path, siteUrl).href,
    })),
  };
}

/**
 * JSON for a `<script type="application/ld+json">`: characters that could end the script element or start
 * markup (`<`, `>`, `&`) and the JavaScript line separators are written as \u escapes, which JSON parsers
 * read back unchanged. Nothing an editor types can close the script early.
 */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
