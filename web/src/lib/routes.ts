// The site's URL paths for content, in one place: pages link with them, the sitemap and the feed list them.

/** An article's page, e.g. `/articles/sales-vs-marketing/` (src/pages/articles/[slug].astro). */
export function articlePath(slug: string): string {
  return `/articles/${slug}/`;
}

/** A page of the home page's article list: `/` for the first, then `/page/2/`, … (src/pages/page/[page].astro). */
export function homePagePath(page: number): string {
  return page <= 1 ? '/' : `/page/${page}/`;
}

/** The search page (src/pages/search.astro). */
export const SEARCH_PATH = '/search/';
