// /sitemap.xml: the home page and every indexable article (an article with "noIndex" is left out).
import type { APIRoute } from 'astro';
import { articles, siteSettings } from '../content/entries.ts';
import { sitemapEntries, sitemapXml } from '../seo/sitemap.ts';

export const GET: APIRoute = async ({ site }) => {
  return new Response(sitemapXml(sitemapEntries(await siteSettings(), await articles(), site!)), {
    headers: { 'content-type': 'application/xml; charset=utf-8' },
  });
};
