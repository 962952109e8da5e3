// sitemap.xml: the home page and its later pages (/page/2/, …), the topic and author indexes, every topic's
// and author's pages (with their later pages), and every article search engines may index (an article or a
// site with "noIndex" is left out), with absolute URLs and last-modified dates. Lists are dated by the newest
// change among the articles they show. The search page is not listed (it is noindex: a results page has no
// content of its own).
import type { Article, SiteSettings } from '@agency/shared';
import { latestDate } from '../lib/dates.ts';
import { authorListings, topicListings } from '../lib/listings.ts';
import { newestFirst, pageCount, pageItems } from '../lib/pagination.ts';
import { AUTHORS_PATH, TOPICS_PATH, articlePath, authorPath, homePagePath, topicPath } from '../lib/routes.ts';
import { escapeXml } from './xml.ts';

export type SitemapEntry = { loc: string; lastmod?: string | null };

/** Whether an article may be listed for search engines. */
function isIndexable(site: SiteSettings, article: Pick<Article, 'seo'>): boolean {
  return !(article.seo?.noIndex || site.defaultSeo?.noIndex);
}

export function sitemapXml(entries: readonly SitemapEntry[]): string {
  const urls = entries.map(
    (entry) =>
      `  <url>\n    <loc>${escapeXml(entry.loc)}</loc>\n${entry.lastmod ? `    <lastmod>${escapeXml(entry.lastmod)}</lastmod>\n` : ''}  </url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}${urls.length ? '\n' : ''}</urlset>\n`;
}

/** Every page of a list (newest first), each dated by the latest change among the articles it shows. */
function listPages(sorted: readonly Article[], pathOf: (page: number) => string, siteUrl: URL | string): SitemapEntry[] {
  return Array.from({ length: pageCount(sorted.length) }, (_, index) => ({
    loc: new URL(pathOf(index + 1), siteUrl).href,
    lastmod: latestDate(pageItems(sorted, index + 1).map((article) => article.updatedAt)),
  }));
}

/** The topic and author indexes and every page of every topic and author (src/lib/listings.ts: only those with a published article). */
function topicAndAuthorPages(articles: readonly Article[], siteUrl: URL | string): SitemapEntry[] {
  const topics = topicListings(articles);
  const authors = authorListings(articles);
  const newest = latestDate(articles.map((article) => article.updatedAt));
  return [
    ...(topics.length ? [{ loc: new URL(TOPICS_PATH, siteUrl).href, lastmod: newest }] : []),
    ...topics.flatMap(({ key, articles: listed }) => listPages(listed, (page) => topicPath(key.slug, page), siteUrl)),
    ...(authors.length ? [{ loc: new URL(AUTHORS_PATH, siteUrl).href, lastmod: newest }] : []),
    ...authors.flatMap(({ key, articles: listed }) => listPages(listed, (page) => authorPath(key.slug, page), siteUrl)),
  ];
}

/** The home page and its later pages, the topic and author pages, and every indexable article, absolute URLs; nothing when the whole site is hidden. */
export function sitemapEntries(site: SiteSettings, articles: readonly Article[], siteUrl: URL | string): SitemapEntry[] {
  if (site.defaultSeo?.noIndex) return [];
  const sorted = newestFirst(articles);
  const indexable = sorted.filter((article) => isIndexable(site, article));
  // The first entry for an address wins (an article whose canonical URL is a list's, say). A set, not a search
  // of the entries before: at 10,000 articles that search was ~80 million comparisons, a second a sitemap.
  const listed = new Set<string>();
  return [
    ...listPages(sorted, homePagePath, siteUrl),
    ...topicAndAuthorPages(articles, siteUrl),
    ...indexable.map((article) => ({
      loc: article.seo?.canonicalUrl ?? new URL(articlePath(article.slug), siteUrl).href,
      lastmod: article.updatedAt,
    })),
  ].filter((entry) => !listed.has(entry.loc) && listed.add(entry.loc));
}
