// /rss.xml: an RSS 2.0 feed of the published articles, newest first.
import type { APIRoute } from 'astro';
import { loadSiteContent } from '../lib/cms.ts';
import { rssXml } from '../lib/seo.ts';

export const GET: APIRoute = async ({ site }) => {
  const { site: settings, articles } = await loadSiteContent();
  return new Response(rssXml(settings, articles, site!), { headers: { 'content-type': 'application/rss+xml; charset=utf-8' } });
};
