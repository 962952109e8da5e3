// The site's collections in Astro's content layer: every published article, the site settings and the
// consultation CTA, each filled by a CMS loader (src/content/loader.ts). Declared once here for both configs
// that share web/.astro: the site's (src/content.config.ts, which loads them) and the preview server's
// (src/preview/content.config.ts, which only needs their types).
import type { Article, ConsultationCta, SiteSettings } from '@agency/shared';
// defineCollection from its own module, not from astro:content: every build loads this file (through the
// content config) in a Vite server of its own before anything else, and astro:content would drag Astro's whole
// page runtime (~70 modules) through that server's transforms: ~0.5 s of every build, for one identity function.
// This module and astro/zod are also loaded by Node there, not by Vite (astro.config.mjs, `vite.environments.astro`).
import { defineCollection } from 'astro/content/config';
import { z } from 'astro/zod';
import type { cmsLoaders } from './loader.ts';

// The loader has already validated every entry with the shared schemas (ArticleSchema and the others from
// @agency/shared), reporting every invalid entry at once, and stores the result. Astro's schemas describe a
// loader's raw input, so these only give the entries their types and check nothing again.
export function siteCollections(cms: ReturnType<typeof cmsLoaders>) {
  return {
    /** Every published article; the entry id is the slug. */
    articles: defineCollection({ loader: cms.articles, schema: z.custom<Article>() }),
    /** One entry, SITE_SETTINGS_ID (src/content/ids.ts). */
    siteSettings: defineCollection({ loader: cms.siteSettings, schema: z.custom<SiteSettings>() }),
    /** One entry, CONSULTATION_CTA_ID (src/content/ids.ts). */
    consultationCta: defineCollection({ loader: cms.consultationCta, schema: z.custom<ConsultationCta>() }),
  };
}
