// Every preview request: only /preview/… exists, the preview secret is required (401 otherwise), and every
// answer is marked noindex, uncacheable, and embeddable by the Strapi admin only (CSP frame-ancestors).
import { createHash, timingSafeEqual } from 'node:crypto';
import { defineMiddleware } from 'astro:middleware';

const digest = (value: string) => createHash('sha256').update(value).digest();

function secretMatches(given: string | null): boolean {
  const expected = process.env.PREVIEW_SECRET?.trim() ?? '';
  if (expected.length < 16 || !given) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** The admin's origin: the only page allowed to frame a preview (besides the preview server itself). */
function adminOrigin(): string {
  const url = process.env.PUBLIC_CMS_URL || process.env.CMS_URL || 'http://127.0.0.1:1337';
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function secure(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set('Cache-Control', 'no-store');
  headers.set('X-Robots-Tag', 'noindex, nofollow');
  // The secret is in the URL: never send it on to another site.
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('Content-Security-Policy', `frame-ancestors 'self' ${adminOrigin()}`.trim());
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const text = (status: number, message: string) => secure(new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } }));

export const onRequest = defineMiddleware(async (context, next) => {
  const { pathname, searchParams } = context.url;
  if (!pathname.startsWith('/preview/')) return text(404, 'Not found: the preview server only serves /preview/… pages.');
  if (!secretMatches(searchParams.get('secret'))) {
    return text(401, 'This preview needs the preview secret. Open it with the Preview button in the Strapi admin.');
  }
  const status = searchParams.get('status') ?? 'draft';
  if (status !== 'draft' && status !== 'published') return text(400, 'status must be "draft" or "published".');
  context.locals.previewStatus = status === 'draft' ? 'DRAFT' : 'PUBLISHED';
  return secure(await next());
});
