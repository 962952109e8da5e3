// Every preview request: only /preview/… exists, each page needs a link the CMS signed for that very document
// and state that has not expired (@agency/shared/server's verifyPreview with PREVIEW_SECRET; 401 otherwise,
// 410 once expired), and every answer is marked noindex, uncacheable, and embeddable by the Strapi admin only
// (CSP frame-ancestors). Every page reloads when the editor saves in the admin (./refresh.ts). Nothing here logs
// a URL: the signature is in its query.
import { verifyPreview } from '@agency/shared/server';
import { defineMiddleware } from 'astro:middleware';
import { CmsError } from '../cms/errors.ts';
import { isPreviewPath, previewDocumentOf } from './document-path.ts';
import { withRefresh } from './refresh.ts';
import { previewServerSettings, readSettings, type PreviewServerSettings } from '../settings.ts';

/** The admin's origin: the only page allowed to frame a preview (besides the preview server itself). */
function adminOrigin(settings: PreviewServerSettings): string {
  return new URL(settings.PUBLIC_CMS_URL ?? settings.CMS_URL).origin;
}

function secure(response: Response, settings: PreviewServerSettings | null): Response {
  const headers = new Headers(response.headers);
  headers.set('Cache-Control', 'no-store');
  headers.set('X-Robots-Tag', 'noindex, nofollow');
  // The link's signature is in the URL: never send it on to another site.
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('Content-Security-Policy', `frame-ancestors 'self' ${settings ? adminOrigin(settings) : ''}`.trim());
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const text = (status: number, message: string, settings: PreviewServerSettings | null) =>
  secure(new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } }), settings);

const NOT_VALID = 'This preview link is not valid for this page: open Preview again from the admin.';
const EXPIRED = 'This preview link has expired: open Preview again from the admin.';

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
  if (!isPreviewPath(pathname)) return text(404, 'Not found: the preview server only serves /preview/… pages.', settings);
  const document = previewDocumentOf(pathname);
  if (!document) return text(404, 'Not found: there is no such preview page.', settings);

  const status = searchParams.get('status');
  const exp = searchParams.get('exp') ?? '';
  if ((status !== 'draft' && status !== 'published') || !/^\d{1,12}$/.test(exp)) return text(401, NOT_VALID, settings);
  const verdict = verifyPreview({ ...document, status, expiresAt: Number(exp) }, searchParams.get('sig'), settings.PREVIEW_SECRET);
  if (verdict === 'expired') return text(410, EXPIRED, settings);
  if (verdict !== 'valid') return text(401, NOT_VALID, settings);

  context.locals.previewStatus = status === 'draft' ? 'DRAFT' : 'PUBLISHED';
  context.locals.previewDocumentId = document.documentId;
  return secure(await withRefresh(await next(), adminOrigin(settings)), settings);
});
