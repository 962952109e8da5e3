// /sitemap.xml: the home page, topic and author pages and every indexable article (src/seo/sitemap.ts).
import type { APIRoute } from 'astro';
import { articles, siteSettings } from '../content/entries.ts';
import { sitemapEntries, sitemapXml } from '../seo/sitemap.ts';

export const GET: APIRoute = async ({ site }) => {
  return new Response(sitemapXml(sitemapEntries(await siteSettings(), await articles(), site!)), {
    headers: { 'content-type': 'application/xml; charset=utf-8' },
  });
};
