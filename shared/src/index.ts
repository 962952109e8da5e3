export * from './rich-text.ts';
export * from './content.ts';
export * from './validate.ts';
export * from './queries.ts';
export * as seed from './seed/index.ts';
export type { ArticleSeed, ConsultationCtaSeed, SiteSettingsSeed } from './seed/index.ts';
export * from './consultation-request.ts';
export * from './content-types.ts';
export * from './build-report.ts';
