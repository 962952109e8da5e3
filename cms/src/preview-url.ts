// Where the admin's Preview button leads: the site's preview server, which renders the draft (or published
// version) with the real site components. Articles and the consultation CTA have previews.
// Each link opens one document in one state and expires (PREVIEW_LINK_TTL_SECONDS): it carries the document in
// its path and `status`, `exp` and `sig` (HMAC of type, documentId, status and expiry with PREVIEW_SECRET, from
// @agency/shared/server) in its query; the secret itself is never in it. The admin asks for a fresh link each
// time the editor opens Preview. PREVIEW_URL, PREVIEW_SECRET and the TTL come from the settings (src/settings.ts);
// config/admin.ts passes them here.
import type { Core } from '@strapi/strapi';
import { UID } from '@agency/shared';
import { signPreview, type PreviewGrant } from '@agency/shared/server';

export type PreviewSettings = { url: string; secret: string; ttlSeconds: number };

export async function previewUrl(
  strapi: Core.Strapi,
  settings: PreviewSettings,
  uid: string,
  { documentId, status }: { documentId?: string; status?: string | null },
  now: number = Date.now(),
): Promise<string | null> {
  const state = status === 'published' ? 'published' : 'draft';
  const link = (pathname: string, grant: Omit<PreviewGrant, 'status' | 'expiresAt'>) => {
    const signed: PreviewGrant = { ...grant, status: state, expiresAt: Math.floor(now / 1000) + settings.ttlSeconds };
    const query = new URLSearchParams({ status: state, exp: String(signed.expiresAt), sig: signPreview(signed, settings.secret) });
    return `${settings.url}${pathname}?${query}`;
  };
  // A single type: the type alone names the document.
  if (uid === UID.consultationCta) return link('/preview/consultation-cta/', { type: uid, documentId: '' });
  if (uid !== UID.article || !documentId) return null;
  // Only documents that exist in this state get a link (the preview server would answer 404 anyway).
  const article = await strapi.documents(UID.article).findOne({ documentId, status: state, fields: ['slug'] });
  if (!article) return null;
  return link(`/preview/articles/${encodeURIComponent(documentId)}/`, { type: uid, documentId });
}
