// Where the admin's Preview button leads: the site's preview server, which renders the draft (or published
// version) with the real site components. Articles and the consultation CTA have previews.
// PREVIEW_URL and PREVIEW_SECRET come from the settings (src/settings.ts); config/admin.ts passes them here.
import type { Core } from '@strapi/strapi';
import { UID } from '@agency/shared';

export type PreviewSettings = { url: string; secret: string };

export async function previewUrl(
  strapi: Core.Strapi,
  settings: PreviewSettings,
  uid: string,
  { documentId, status }: { documentId?: string; status?: string | null },
): Promise<string | null> {
  const state = status === 'published' ? 'published' : 'draft';
  const query = `?secret=${encodeURIComponent(settings.secret)}&status=${state}`;
  if (uid === UID.consultationCta) return `${settings.url}/preview/consultation-cta/${query}`;
  if (uid !== UID.article || !documentId) return null;
  const article = await strapi.documents(UID.article).findOne({ documentId, status: state, fields: ['slug'] });
  return article?.slug ? `${settings.url}/preview/articles/${encodeURIComponent(article.slug)}/${query}` : null;
}
