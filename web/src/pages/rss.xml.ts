// /rss.xml: an RSS 2.0 feed of the published articles, newest first.
import type { APIRoute } from 'astro';
import { articles, siteSettings } from '../content/entries.ts';
import { rssXml } from '../seo/rss.ts';

export const GET: APIRoute = async ({ site }) => {
  return new Response(rssXml(await siteSettings(), await articles(), site!), {
    headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
  });
};
