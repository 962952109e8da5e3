// The site's URL paths for content, in one place: pages link with them, breadcrumbs name them, the sitemap and
// the feed list them.

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

/** The list of every topic (src/pages/topics/index.astro). */
export const TOPICS_PATH = '/topics/';

/** A page of a topic's articles: `/topics/branding/`, then `/topics/branding/page/2/`, … (src/pages/topics/). */
export function topicPath(slug: string, page = 1): string {
  return page <= 1 ? `${TOPICS_PATH}${slug}/` : `${TOPICS_PATH}${slug}/page/${page}/`;
}

/** The list of every author (src/pages/authors/index.astro). */
export const AUTHORS_PATH = '/authors/';

/** A page of an author's articles: `/authors/jane-doe/`, then `/authors/jane-doe/page/2/`, … (src/pages/authors/). */
export function authorPath(slug: string, page = 1): string {
  return page <= 1 ? `${AUTHORS_PATH}${slug}/` : `${AUTHORS_PATH}${slug}/page/${page}/`;
}
