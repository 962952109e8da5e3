// The site's content, as Astro's content layer holds it: every published article, the site settings and
// the consultation CTA, loaded from the CMS at the start of each build (src/content/loader.ts). Pages read
// them with getCollection / getEntry (src/content/entries.ts for the two single types).
import type { Article, ConsultationCta, SiteSettings } from '@agency/shared';
import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';
import { cmsLoaders } from './content/loader.ts';

const cms = cmsLoaders();

// The loader has already validated every entry with the shared schemas (ArticleSchema and the others from
// @agency/shared), reporting every invalid entry at once, and stores the result. Astro's schemas describe a
// loader's raw input, so these only give the entries their types and check nothing again.
export const collections = {
  /** Every published article; the entry id is the slug. */
  articles: defineCollection({ loader: cms.articles, schema: z.custom<Article>() }),
  /** One entry, SITE_SETTINGS_ID (src/content/ids.ts). */
  siteSettings: defineCollection({ loader: cms.siteSettings, schema: z.custom<SiteSettings>() }),
  /** One entry, CONSULTATION_CTA_ID. */
  consultationCta: defineCollection({ loader: cms.consultationCta, schema: z.custom<ConsultationCta>() }),
};
