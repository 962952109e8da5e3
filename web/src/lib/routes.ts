// The site's URL paths for content, in one place: pages link with them, the sitemap and the feed list them.

/** An article's page, e.g. `/articles/sales-vs-marketing/` (src/pages/articles/[slug].astro). */
export function articlePath(slug: string): string {
  return `/articles/${slug}/`;
}
