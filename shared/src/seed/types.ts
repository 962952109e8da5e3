// Seed entries are domain content without the fields the CMS assigns (ids, dates).
import type { Article, ConsultationCta, SiteSettings } from '../content.ts';

export type ArticleSeed = Omit<Article, 'documentId' | 'publishedAt' | 'updatedAt'>;
export type ConsultationCtaSeed = ConsultationCta;
export type SiteSettingsSeed = SiteSettings;
