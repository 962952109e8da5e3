// Where the admin's Preview button leads: the site's preview server, which renders the draft (or published
// version) with the real site components. Articles and the consultation CTA have previews.
import type { Core } from '@strapi/strapi';
import { isPlaceholder } from './env-check';

export type PreviewSettings = { url: string; secret: string };

/** PREVIEW_URL + PREVIEW_SECRET, or null when preview is not configured. */
export function previewSettings(env: NodeJS.ProcessEnv = process.env): PreviewSettings | null {
  const url = env.PREVIEW_URL?.trim().replace(/\/+$/, '');
  if (!url) return null;
  const secret = env.PREVIEW_SECRET?.trim() ?? '';
  for (const [name, value] of [['PREVIEW_SECRET', secret], ['PREVIEW_TOKEN', env.PREVIEW_TOKEN?.trim() ?? '']]) {
    if (value.length < 16 || isPlaceholder(value)) {
      throw new Error(`${name} is missing or is a placeholder: PREVIEW_URL is set, so it must be a secret of at least 16 characters (npm start generates it into .env; README → Configuration).`);
    }
  }
  if (!/^https?:\/\/[^/\s]+$/.test(url)) throw new Error(`PREVIEW_URL must be the preview server's origin, e.g. http://127.0.0.1:4323, not "${url}".`);
  return { url, secret };
}

export async function previewUrl(
  strapi: Core.Strapi,
  settings: PreviewSettings,
  uid: string,
  { documentId, status }: { documentId?: string; status?: string | null },
): Promise<string | null> {
  const state = status === 'published' ? 'published' : 'draft';
  const query = `?secret=${encodeURIComponent(settings.secret)}&status=${state}`;
  if (uid === 'api::consultation-cta.consultation-cta') return `${settings.url}/preview/consultation-cta/${query}`;
  if (uid !== 'api::article.article' || !documentId) return null;
  const article = (await strapi.documents('api::article.article').findOne({ documentId, status: state, fields: ['slug'] } as never)) as {
    slug?: string;
  } | null;
  return article?.slug ? `${settings.url}/preview/articles/${encodeURIComponent(article.slug)}/${query}` : null;
}
