// What the preview server (src/preview) renders on an editor's request: one article, or the consultation CTA,
// with the site settings, in the requested state (draft or published). Fetched per request and never kept:
// an editor who saves and reloads must see the save. Drafts are read with PREVIEW_TOKEN, server-side only.
import {
  ArticleSchema,
  ConsultationCtaSchema,
  PREVIEW_ARTICLE_QUERY,
  PREVIEW_CTA_QUERY,
  SiteSettingsSchema,
  describeArticle,
  parseEntry,
  type Article,
  type ConsultationCta,
  type PreviewArticleResult,
  type PreviewCtaResult,
  type PreviewStatus,
  type SiteSettings,
} from '@agency/shared';
import { previewServerSettings, readSettings } from '../settings.ts';
import { cmsConfig, createCmsClient, type CmsClient } from './client.ts';
import { CmsError } from './errors.ts';

type Env = Record<string, string | undefined>;

export type ArticlePreview = { site: SiteSettings; cta: ConsultationCta; article: Article };
export type CtaPreview = { site: SiteSettings; cta: ConsultationCta };

/** A client that reads drafts: the preview server's settings, with its PREVIEW_TOKEN in X-Preview-Token. */
function previewClient(env: Env): CmsClient {
  const settings = readSettings(previewServerSettings, env);
  if (!settings.PREVIEW_TOKEN) {
    throw new CmsError(
      'config',
      'PREVIEW_TOKEN must be set (at least 16 characters) for the preview server to read drafts; npm start generates it into .env.',
    );
  }
  return createCmsClient(cmsConfig(settings), { 'X-Preview-Token': settings.PREVIEW_TOKEN });
}

function previewSingles(result: { global: unknown; consultationCta: unknown }): CtaPreview {
  if (!result.global)
    throw new CmsError('missing-content', 'There are no site settings (Global) in this state yet: save them in the Strapi admin.');
  if (!result.consultationCta)
    throw new CmsError('missing-content', 'There is no consultation CTA in this state yet: save it in the Strapi admin.');
  return {
    site: parseEntry(SiteSettingsSchema, result.global, 'the site settings (Global)'),
    cta: parseEntry(ConsultationCtaSchema, result.consultationCta, 'the consultation call to action'),
  };
}

/** The article with this documentId in the requested state, or null when there is none. Throws InvalidContentError for content the site cannot show. */
export async function loadArticlePreview(
  documentId: string,
  status: PreviewStatus,
  env: Env = process.env,
): Promise<ArticlePreview | null> {
  const result = await previewClient(env).request<PreviewArticleResult>(PREVIEW_ARTICLE_QUERY, { documentId, status });
  const raw = result.articles?.[0] as Record<string, unknown> | undefined;
  if (!raw) return null;
  // A draft that was never published has no publication date yet: show it as of its last save.
  const article = parseEntry(ArticleSchema, { ...raw, publishedAt: raw.publishedAt ?? raw.updatedAt }, describeArticle(raw));
  return { ...previewSingles(result), article };
}

/** The consultation CTA in the requested state, with the site settings. */
export async function loadCtaPreview(status: PreviewStatus, env: Env = process.env): Promise<CtaPreview> {
  return previewSingles(await previewClient(env).request<PreviewCtaResult>(PREVIEW_CTA_QUERY, { status }));
}
