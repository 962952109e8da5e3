export { salesVsMarketing, consultationCta } from './sales-vs-marketing.ts';
export { agencyAuthor, topics } from './editorial.ts';
export { siteSettings } from './site.ts';
export type { ArticleSeed, AuthorSeed, ConsultationCtaSeed, SiteSettingsSeed, TopicSeed } from './types.ts';
