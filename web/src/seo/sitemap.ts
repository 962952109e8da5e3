// sitemap.xml: the home page, its later pages (/page/2/, …) and every article search engines may index (an
// article or a site with "noIndex" is left out), with absolute URLs and last-modified dates. The search page
// is not listed (it is noindex: a results page has no content of its own).
import type { Article, SiteSettings } from '@agency/shared';
import { latestDate } from '../lib/dates.ts';
import { newestFirst, pageCount, pageItems } from '../lib/pagination.ts';
import { articlePath, homePagePath } from '../lib/routes.ts';
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

/** Every page of the home page's list, each dated by the latest change among the articles it shows. */
function listPages(articles: readonly Article[], siteUrl: URL | string): SitemapEntry[] {
  const sorted = newestFirst(articles);
  return Array.from({ length: pageCount(sorted.length) }, (_, index) => ({
    loc: new URL(homePagePath(index + 1), siteUrl).href,
    lastmod: latestDate(pageItems(sorted, index + 1).map((article) => article.updatedAt)),
  }));
}

/** The home page and its later pages, and every indexable article, absolute URLs; nothing when the whole site is hidden. */
export function sitemapEntries(site: SiteSettings, articles: readonly Article[], siteUrl: URL | string): SitemapEntry[] {
  if (site.defaultSeo?.noIndex) return [];
  const indexable = articles.filter((article) => isIndexable(site, article));
  return [
    ...listPages(articles, siteUrl),
    ...indexable.map((article) => ({
      loc: article.seo?.canonicalUrl ?? new URL(articlePath(article.slug), siteUrl).href,
      lastmod: article.updatedAt,
    })),
  ].filter((entry, index, all) => all.findIndex((other) => other.loc === entry.loc) === index);
}
