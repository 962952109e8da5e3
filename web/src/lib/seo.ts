// What goes in a page's <head>: title, description, canonical URL and robots, from the entry's SEO
// component with the site's defaults as fallback. Pure, so it is unit-tested.
import type { Seo, SiteSettings } from '@agency/shared';

export type PageMeta = {
  title: string;
  description: string | null;
  /** Absolute canonical URL, or null for pages that should not declare one (the 404 page). */
  canonical: string | null;
  noIndex: boolean;
};

export type PageMetaInput = {
  site: SiteSettings;
  /** The page's own title (an article's title); the site's default title when absent. */
  title?: string | null;
  /** The page's own description (an article's intro); the site's default description when absent. */
  description?: string | null;
  seo?: Seo | null;
  /** The page's path (e.g. `/articles/x/`) and the site's URL, for the canonical URL. Omit `path` for none. */
  path?: string | null;
  siteUrl?: URL | string | null;
};

export function pageMeta({ site, title, description, seo, path, siteUrl }: PageMetaInput): PageMeta {
  const defaults = site.defaultSeo;
  let canonical: string | null = seo?.canonicalUrl ?? null;
  if (!canonical && path != null && siteUrl) canonical = new URL(path, siteUrl).href;
  return {
    title: seo?.metaTitle ?? title ?? defaults?.metaTitle ?? site.siteName,
    description: seo?.metaDescription ?? description ?? defaults?.metaDescription ?? null,
    canonical,
    // The site-wide default can hide the whole site (e.g. a staging copy); an entry can hide itself.
    noIndex: Boolean(seo?.noIndex || defaults?.noIndex),
  };
}
