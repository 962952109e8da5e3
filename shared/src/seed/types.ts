// Seed entries are domain content without the fields the CMS assigns (ids, dates) and without uploads (every
// image field is null). Relations are named by slug: the CMS's seed loader links them once all exist.
import type { Article, Author, ConsultationCta, SiteSettings, Topic } from '../content.ts';

export type ArticleSeed = Omit<Article, 'documentId' | 'publishedAt' | 'updatedAt' | 'cover' | 'coverAlt' | 'author' | 'topics'> & {
  /** The author's slug (an AuthorSeed). */
  author: string;
  /** The topics' slugs (TopicSeeds). */
  topics: string[];
};
export type AuthorSeed = Omit<Author, 'documentId' | 'photo'>;
export type TopicSeed = Omit<Topic, 'documentId'>;
export type ConsultationCtaSeed = ConsultationCta;
export type SiteSettingsSeed = SiteSettings;
