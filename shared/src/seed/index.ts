export { salesVsMarketing, consultationCta } from './sales-vs-marketing.ts';
export { siteSettings } from './site.ts';
export type { ArticleSeed, ConsultationCtaSeed, SiteSettingsSeed } from './types.ts';
