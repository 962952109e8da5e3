// The CMS's content types, named once. Strapi, the rebuild service, the GraphQL setup, the publish guard and
// the public permissions all take their UIDs from here, so adding or renaming a type is one edit.

/** Every content type's UID, by the name the code uses for it. */
export const UID = {
  article: 'api::article.article',
  author: 'api::author.author',
  topic: 'api::topic.topic',
  consultationCta: 'api::consultation-cta.consultation-cta',
  global: 'api::global.global',
  consultationRequest: 'api::consultation-request.consultation-request',
} as const;

export type ContentTypeName = keyof typeof UID;
export type ContentTypeUid = (typeof UID)[ContentTypeName];

/** The types the public site is built from: a publish, unpublish or delete of one of them rebuilds the site. */
export const SITE_CONTENT_UIDS = [UID.article, UID.author, UID.topic, UID.consultationCta, UID.global] as const;
export type SiteContentUid = (typeof SITE_CONTENT_UIDS)[number];

/** Strapi's model name for a UID (`api::article.article` → `article`), as webhook payloads carry it. */
export function modelName(uid: ContentTypeUid): string {
  return uid.slice(uid.lastIndexOf('.') + 1);
}

/** Whether a UID read from outside (a webhook payload, a URL) is one of the site's content types. */
export function isSiteContentUid(value: unknown): value is SiteContentUid {
  return typeof value === 'string' && (SITE_CONTENT_UIDS as readonly string[]).includes(value);
}
