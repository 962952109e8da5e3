// /sitemap.xml: the home page and every indexable article (an article with "noIndex" is left out).
import type { APIRoute } from 'astro';
import { loadSiteContent } from '../lib/cms.ts';
import { sitemapEntries, sitemapXml } from '../lib/seo.ts';

export const GET: APIRoute = async ({ site }) => {
  const { site: settings, articles } = await loadSiteContent();
  return new Response(sitemapXml(sitemapEntries(settings, articles, site!)), {
    headers: { 'content-type': 'application/xml; charset=utf-8' },
  });
};
