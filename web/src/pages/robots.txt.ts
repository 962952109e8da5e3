// /robots.txt: everything may be crawled (pages that must not be indexed say so with a robots meta tag,
// which a crawler can only read when it may fetch the page); the sitemap's absolute URL.
import type { APIRoute } from 'astro';
import { robotsTxt } from '../lib/seo.ts';

export const GET: APIRoute = ({ site }) => new Response(robotsTxt(site!), { headers: { 'content-type': 'text/plain; charset=utf-8' } });
