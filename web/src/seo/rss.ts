// rss.xml: an RSS 2.0 feed of the newest published articles (FEED_ITEMS), with absolute links and escaped text.
// Not every article: feed readers fetch the feed again every few minutes, and at 1,000 articles the whole list
// was 540 KB (5 MB at 10,000) to tell them about the last few; the sitemap lists every article for crawlers.
import type { Article, SiteSettings } from '@agency/shared';
import { latestDate } from '../lib/dates.ts';
import { newestFirst } from '../lib/pagination.ts';
import { articlePath } from '../lib/routes.ts';
import { escapeXml } from './xml.ts';

/** How many articles the feed lists, newest first (WordPress shows 10, Ghost 15; a reader catching up gets more). */
export const FEED_ITEMS = 50;

export function rssXml(site: SiteSettings, articles: readonly Article[], siteUrl: URL | string): string {
  const home = new URL('/', siteUrl).href;
  const self = new URL('/rss.xml', siteUrl).href;
  const sorted = newestFirst(articles).slice(0, FEED_ITEMS);
  const description = site.defaultSeo?.metaDescription ?? site.footerText ?? `Articles from ${site.siteName}.`;
  const newest = latestDate(sorted.map((article) => article.updatedAt));
  const items = sorted.map((article) => {
    const link = new URL(articlePath(article.slug), siteUrl).href;
    return [
      '    <item>',
      `      <title>${escapeXml(article.title)}</title>`,
      `      <link>${escapeXml(link)}</link>`,
      `      <guid isPermaLink="true">${escapeXml(link)}</guid>`,
      `      <pubDate>${new Date(article.publishedAt).toUTCString()}</pubDate>`,
      `      <description>${escapeXml(article.intro)}</description>`,
      '    </item>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${escapeXml(site.siteName)}</title>`,
    `    <link>${escapeXml(home)}</link>`,
    `    <description>${escapeXml(description)}</description>`,
    '    <language>en</language>',
    `    <atom:link href="${escapeXml(self)}" rel="self" type="application/rss+xml"/>`,
    ...(newest ? [`    <lastBuildDate>${new Date(newest).toUTCString()}</lastBuildDate>`] : []),
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}
