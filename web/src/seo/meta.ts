// What goes in a page's <head>: title, description, canonical URL, robots, and the Open Graph / Twitter card
// tags, from the entry's SEO component with the site's defaults as fallback. Pure (no Astro, no DOM), so it
// is unit-tested; BaseLayout.astro renders it.
import type { Article, Seo, SiteSettings } from '@agency/shared';

/** Search engines show about this many characters of a description. */
const DESCRIPTION_MAX = 160;

export type PageMeta = {
  title: string;
  description: string | null;
  /** Absolute canonical URL, or null for pages that should not declare one (the 404 page). */
  canonical: string | null;
  noIndex: boolean;
};

export type PageMetaInput = {
  site: SiteSettings;
  /** The page's own title (an article's title), shown as "Title · Site"; the site's default title when absent. */
  title?: string | null | undefined;
  /** The page's own description (an article's intro); the site's default description when absent. */
  description?: string | null | undefined;
  seo?: Seo | null | undefined;
  /** The page's path (e.g. `/articles/x/`) and the site's URL, for the canonical URL. Omit `path` for none. */
  path?: string | null | undefined;
  siteUrl?: URL | string | null | undefined;
  /** Hide this page from search engines whatever its SEO says (the 404 page). */
  noIndex?: boolean | undefined;
};

/** Collapses whitespace and cuts text to `max` characters at a word boundary, ending with "…" when cut. */
export function truncate(text: string, max = DESCRIPTION_MAX): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  // Cut at the last word boundary unless that throws most of the text away (one very long word).
  const boundary = clean[max - 1] === ' ' ? cut.length : cut.lastIndexOf(' ');
  const head = boundary > max * 0.5 ? cut.slice(0, boundary) : cut;
  return `${head.replace(/[\s,;:.–—-]+$/, '')}…`;
}

export function pageMeta({ site, title, description, seo, path, siteUrl, noIndex }: PageMetaInput): PageMeta {
  const defaults = site.defaultSeo;
  let canonical: string | null = seo?.canonicalUrl ?? null;
  if (!canonical && path != null && siteUrl) canonical = new URL(path, siteUrl).href;
  const ownTitle = title?.trim();
  const fallbackTitle = ownTitle
    ? ownTitle === site.siteName || ownTitle.endsWith(` · ${site.siteName}`)
      ? ownTitle
      : `${ownTitle} · ${site.siteName}`
    : (defaults?.metaTitle ?? site.siteName);
  const ownDescription = description?.trim() ? truncate(description) : null;
  return {
    title: seo?.metaTitle ?? fallbackTitle,
    description: seo?.metaDescription ?? ownDescription ?? defaults?.metaDescription ?? null,
    canonical,
    // The site-wide default can hide the whole site (e.g. a staging copy); an entry can hide itself.
    noIndex: Boolean(noIndex || seo?.noIndex || defaults?.noIndex),
  };
}

export type MetaTag = { property?: string; name?: string; content: string };

/** A link-preview picture (src/images/share-image.ts): absolute URL on the site, its size and description. */
export type SocialImage = { url: string; width: number; height: number; alt: string; type?: string };

export type SocialInput = {
  site: SiteSettings;
  meta: PageMeta;
  /** The page's share picture; with it the Twitter card is a large-image summary. */
  image?: SocialImage | null | undefined;
  /** Article pages: og:type article with its dates; anything else is a website. */
  article?: Pick<Article, 'publishedAt' | 'updatedAt'> | null | undefined;
};

/** Open Graph and Twitter card tags: a large-image card with the page's share picture, a summary card without. */
export function socialTags({ site, meta, article, image }: SocialInput): MetaTag[] {
  const tags: MetaTag[] = [
    { property: 'og:type', content: article ? 'article' : 'website' },
    { property: 'og:site_name', content: site.siteName },
    { property: 'og:title', content: meta.title },
  ];
  if (meta.description) tags.push({ property: 'og:description', content: meta.description });
  if (meta.canonical) tags.push({ property: 'og:url', content: meta.canonical });
  tags.push({ property: 'og:locale', content: 'en' });
  if (article) {
    tags.push({ property: 'article:published_time', content: article.publishedAt });
    tags.push({ property: 'article:modified_time', content: article.updatedAt });
  }
  if (image) {
    tags.push({ property: 'og:image', content: image.url });
    if (image.type) tags.push({ property: 'og:image:type', content: image.type });
    tags.push(
      { property: 'og:image:width', content: String(image.width) },
      { property: 'og:image:height', content: String(image.height) },
      { property: 'og:image:alt', content: image.alt },
    );
  }
  tags.push({ name: 'twitter:card', content: image ? 'summary_large_image' : 'summary' }, { name: 'twitter:title', content: meta.title });
  if (meta.description) tags.push({ name: 'twitter:description', content: meta.description });
  if (image) tags.push({ name: 'twitter:image', content: image.url }, { name: 'twitter:image:alt', content: image.alt });
  return tags;
}
