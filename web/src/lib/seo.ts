// What goes in a page's <head> and in the machine-readable files (sitemap.xml, robots.txt, rss.xml):
// title, description, canonical URL, robots, Open Graph / Twitter cards and JSON-LD, from the entry's SEO
// component with the site's defaults as fallback. Pure (no Astro, no DOM), so it is unit-tested.
import { plainText, type Article, type Seo, type SiteSettings } from '@agency/shared';

/** Search engines show about this many characters of a description. */
export const DESCRIPTION_MAX = 160;

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
  title?: string | null;
  /** The page's own description (an article's intro); the site's default description when absent. */
  description?: string | null;
  seo?: Seo | null;
  /** The page's path (e.g. `/articles/x/`) and the site's URL, for the canonical URL. Omit `path` for none. */
  path?: string | null;
  siteUrl?: URL | string | null;
  /** Hide this page from search engines whatever its SEO says (the 404 page). */
  noIndex?: boolean;
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

/** Whether an article may be listed for search engines (sitemap.xml). */
export function isIndexable(site: SiteSettings, article: Pick<Article, 'seo'>): boolean {
  return !(article.seo?.noIndex || site.defaultSeo?.noIndex);
}

// ---------------------------------------------------------------------------------------------------
// Open Graph and Twitter.

export type MetaTag = { property?: string; name?: string; content: string };

export type SocialInput = {
  site: SiteSettings;
  meta: PageMeta;
  /** Article pages: og:type article with its dates; anything else is a website. */
  article?: Pick<Article, 'publishedAt' | 'updatedAt'> | null;
};

/** Open Graph and Twitter card tags (summary card: the site has no share images). */
export function socialTags({ site, meta, article }: SocialInput): MetaTag[] {
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
  tags.push({ name: 'twitter:card', content: 'summary' }, { name: 'twitter:title', content: meta.title });
  if (meta.description) tags.push({ name: 'twitter:description', content: meta.description });
  return tags;
}

// ---------------------------------------------------------------------------------------------------
// JSON-LD.

type JsonLd = Record<string, unknown>;

/** The agency as a schema.org Organization (the site's publisher). */
export function organizationJsonLd(site: SiteSettings, siteUrl: URL | string): JsonLd {
  return {
    '@type': 'Organization',
    '@id': new URL('/#organization', siteUrl).href,
    name: site.siteName,
    url: new URL('/', siteUrl).href,
    logo: new URL('/favicon.svg', siteUrl).href,
    ...(site.footerText ? { description: site.footerText } : {}),
  };
}

/** An article as a schema.org Article: headline, description, dates, the agency as author and publisher. */
export function articleJsonLd(
  site: SiteSettings,
  article: Pick<Article, 'title' | 'publishedAt' | 'updatedAt' | 'body'>,
  meta: PageMeta,
  siteUrl: URL | string,
): JsonLd {
  const organization = organizationJsonLd(site, siteUrl);
  const words = wordCount(article);
  return {
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: truncate(article.title, 110),
    ...(meta.description ? { description: meta.description } : {}),
    datePublished: article.publishedAt,
    dateModified: article.updatedAt,
    ...(meta.canonical ? { url: meta.canonical, mainEntityOfPage: { '@type': 'WebPage', '@id': meta.canonical } } : {}),
    inLanguage: 'en',
    wordCount: words,
    author: { '@id': organization['@id'], '@type': 'Organization', name: site.siteName, url: organization.url },
    publisher: organization,
  };
}

/** The home page: the agency, and the site it publishes. */
export function homeJsonLd(site: SiteSettings, meta: PageMeta, siteUrl: URL | string): JsonLd {
  const organization = organizationJsonLd(site, siteUrl);
  return {
    '@context': 'https://schema.org',
    '@graph': [
      organization,
      {
        '@type': 'WebSite',
        '@id': new URL('/#website', siteUrl).href,
        name: site.siteName,
        url: new URL('/', siteUrl).href,
        ...(meta.description ? { description: meta.description } : {}),
        inLanguage: 'en',
        publisher: { '@id': organization['@id'] },
      },
    ],
  };
}

/**
 * JSON for a `<script type="application/ld+json">`: characters that could end the script element or start
 * markup (`<`, `>`, `&`) and the JavaScript line separators are written as \u escapes, which JSON parsers
 * read back unchanged. Nothing an editor types can close the script early.
 */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---------------------------------------------------------------------------------------------------
// Reading figures.

/** Words in an article's intro and body (headings, sections and side notes). */
export function wordCount(article: Pick<Article, 'body'> & { intro?: string }): number {
  const text = [
    article.intro ?? '',
    ...article.body.map((block) => `${block.kind === 'section' ? block.heading : block.label}\n${plainText(block.body)}`),
  ].join('\n');
  return text.split(/\s+/).filter(Boolean).length;
}

/** Reading time in whole minutes (at least 1), at 230 words a minute. */
export function readingMinutes(article: Pick<Article, 'body'> & { intro?: string }): number {
  return Math.max(1, Math.round(wordCount(article) / 230));
}

/** "12 March 2025", in UTC so a build gives the same text wherever it runs. */
export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
}

// ---------------------------------------------------------------------------------------------------
// sitemap.xml, robots.txt, rss.xml.

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML content and attribute values, and drops characters XML 1.0 cannot carry. */
export function escapeXml(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

export type SitemapEntry = { loc: string; lastmod?: string | null };

export function sitemapXml(entries: readonly SitemapEntry[]): string {
  const urls = entries.map(
    (entry) => `  <url>\n    <loc>${escapeXml(entry.loc)}</loc>\n${entry.lastmod ? `    <lastmod>${escapeXml(entry.lastmod)}</lastmod>\n` : ''}  </url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}${urls.length ? '\n' : ''}</urlset>\n`;
}

/** The home page and every indexable article, absolute URLs; nothing when the whole site is hidden. */
export function sitemapEntries(site: SiteSettings, articles: readonly Article[], siteUrl: URL | string): SitemapEntry[] {
  if (site.defaultSeo?.noIndex) return [];
  const indexable = articles.filter((article) => isIndexable(site, article));
  const newest = latest(articles.map((article) => article.updatedAt));
  return [
    { loc: new URL('/', siteUrl).href, lastmod: newest },
    ...indexable.map((article) => ({
      loc: article.seo?.canonicalUrl ?? new URL(articlePath(article.slug), siteUrl).href,
      lastmod: article.updatedAt,
    })),
  ].filter((entry, index, all) => all.findIndex((other) => other.loc === entry.loc) === index);
}

export function robotsTxt(siteUrl: URL | string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${new URL('/sitemap.xml', siteUrl).href}\n`;
}

export function articlePath(slug: string): string {
  return `/articles/${slug}/`;
}

function latest(dates: readonly string[]): string | null {
  return dates.reduce<string | null>((max, date) => (max === null || Date.parse(date) > Date.parse(max) ? date : max), null);
}

/** RSS 2.0: every published article, newest first, with absolute links and escaped text. */
export function rssXml(site: SiteSettings, articles: readonly Article[], siteUrl: URL | string): string {
  const home = new URL('/', siteUrl).href;
  const self = new URL('/rss.xml', siteUrl).href;
  const sorted = [...articles].sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
  const description = site.defaultSeo?.metaDescription ?? site.footerText ?? `Articles from ${site.siteName}.`;
  const newest = latest(articles.map((article) => article.updatedAt));
  const items = sorted.map((article) => {
    const link = new URL(articlePath(article.slug), siteUrl).href;
    return [
      '    <item>',
      `      <title>${escapeXml(article.title)}</title>`,
      `      <link>${escapeXml(link)}</link>`,
      `      <guid isPermaLink="true">${escapeXml(link)}</guid>`,
      `      <pubDate>${new Date(article.publishedAt).toUTCString()}</pubDate>`,
      `      <description>${escapeXml(article.intro)}</description>`,
      '    </item>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${escapeXml(site.siteName)}</title>`,
    `    <link>${escapeXml(home)}</link>`,
    `    <description>${escapeXml(description)}</description>`,
    '    <language>en</language>',
    `    <atom:link href="${escapeXml(self)}" rel="self" type="application/rss+xml"/>`,
    ...(newest ? [`    <lastBuildDate>${new Date(newest).toUTCString()}</lastBuildDate>`] : []),
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}
