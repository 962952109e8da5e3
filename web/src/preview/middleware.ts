// Every preview request: only /preview/… exists, the preview secret is required (401 otherwise), and every
// answer is marked noindex, uncacheable, and embeddable by the Strapi admin only (CSP frame-ancestors).
import { secretMatches } from '@agency/shared/server';
import { defineMiddleware } from 'astro:middleware';
import { CmsError } from '../cms/errors.ts';
import { previewServerSettings, readSettings, type PreviewServerSettings } from '../settings.ts';

/** The admin's origin: the only page allowed to frame a preview (besides the preview server itself). */
function adminOrigin(settings: PreviewServerSettings): string {
  return new URL(settings.PUBLIC_CMS_URL ?? settings.CMS_URL).origin;
}

function secure(response: Response, settings: PreviewServerSettings | null): Response {
  const headers = new Headers(response.headers);
  headers.set('Cache-Control', 'no-store');
  headers.set('X-Robots-Tag', 'noindex, nofollow');
  // The secret is in the URL: never send it on to another site.
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('Content-Security-Policy', `frame-ancestors 'self' ${settings ? adminOrigin(settings) : ''}`.trim());
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const text = (status: number, message: string, settings: PreviewServerSettings | null) =>
  secure(new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } }), settings);

export const onRequest = defineMiddleware(async (context, next) => {
  // Read per request (it is cheap): a bad setting is answered with 503 and logged, and the server stays up.
  let settings: PreviewServerSettings;
  try {
    settings = readSettings(previewServerSettings);
  } catch (error) {
    if (!(error instanceof CmsError)) throw error;
    // Said in the server's log, not to whoever asked: the visitor may not have the secret.
    console.error(`[preview] ${error.message}`);
    return text(503, 'The preview server’s settings need fixing; its log says which.', null);
  }
  const { pathname, searchParams } = context.url;
  if (!pathname.startsWith('/preview/')) return text(404, 'Not found: the preview server only serves /preview/… pages.', settings);
  if (!secretMatches(searchParams.get('secret'), settings.PREVIEW_SECRET)) {
    return text(401, 'This preview needs the preview secret. Open it with the Preview button in the Strapi admin.', settings);
  }
  const status = searchParams.get('status') ?? 'draft';
  if (status !== 'draft' && status !== 'published') return text(400, 'status must be "draft" or "published".', settings);
  context.locals.previewStatus = status === 'draft' ? 'DRAFT' : 'PUBLISHED';
  return secure(await next(), settings);
});
