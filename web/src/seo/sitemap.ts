// sitemap.xml: the home page and every article search engines may index (an article or a site with
// "noIndex" is left out), with absolute URLs and last-modified dates.
import type { Article, SiteSettings } from '@agency/shared';
import { latestDate } from '../lib/dates.ts';
import { articlePath } from '../lib/routes.ts';
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

/** The home page and every indexable article, absolute URLs; nothing when the whole site is hidden. */
export function sitemapEntries(site: SiteSettings, articles: readonly Article[], siteUrl: URL | string): SitemapEntry[] {
  if (site.defaultSeo?.noIndex) return [];
  const indexable = articles.filter((article) => isIndexable(site, article));
  const newest = latestDate(articles.map((article) => article.updatedAt));
  return [
    { loc: new URL('/', siteUrl).href, lastmod: newest },
    ...indexable.map((article) => ({
      loc: article.seo?.canonicalUrl ?? new URL(articlePath(article.slug), siteUrl).href,
      lastmod: article.updatedAt,
    })),
  ].filter((entry, index, all) => all.findIndex((other) => other.loc === entry.loc) === index);
}
