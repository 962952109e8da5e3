// How lists of articles are split into pages: the size in one place, and the arithmetic every paginated list
// (the home page, src/pages/index.astro and src/pages/page/[page].astro) and the sitemap share.

/** Articles per listing page: 12 cards fill a 1-, 2- or 3-column grid evenly and keep a page light. */
export const ARTICLES_PER_PAGE = 12;

/** Articles as every list shows them: the newest first (by first publication; same instant: by slug, so pages are stable). */
export function newestFirst<T extends { publishedAt: string; slug: string }>(articles: readonly T[]): T[] {
  // Each date parsed once, not twice per comparison: every list sorts, and at 10,000 articles that was ~270,000
  // parses a sort, ~60 ms, in every page that lists articles and again in every incremental publish.
  const keyed = articles.map((article) => ({ article, time: Date.parse(article.publishedAt) }));
  keyed.sort((a, b) => b.time - a.time || a.article.slug.localeCompare(b.article.slug));
  return keyed.map(({ article }) => article);
}

/** How many pages `count` items make; an empty list still has its first page (which says so). */
export function pageCount(count: number, perPage: number = ARTICLES_PER_PAGE): number {
  return Math.max(1, Math.ceil(count / perPage));
}

/** The items on page `page` (1-based). */
export function pageItems<T>(items: readonly T[], page: number, perPage: number = ARTICLES_PER_PAGE): T[] {
  return items.slice((page - 1) * perPage, page * perPage);
}

/**
 * Every page of a list of `count` articles as a `[...page]` route parameter, for getStaticPaths: none for the
 * first page (it lives at the list's own address, e.g. /topics/design/), then `page/2`, `page/3`, … (one route
 * file serves a topic's or an author's whole list).
 */
export function listPages(count: number, perPage: number = ARTICLES_PER_PAGE): Array<{ page: number; param: string | undefined }> {
  return Array.from({ length: pageCount(count, perPage) }, (_, index) => ({
    page: index + 1,
    param: index === 0 ? undefined : `page/${index + 1}`,
  }));
}

/** The page numbers after the first, for getStaticPaths: the first page lives at the list's own address. */
export function laterPages(count: number, perPage: number = ARTICLES_PER_PAGE): number[] {
  return Array.from({ length: pageCount(count, perPage) - 1 }, (_, index) => index + 2);
}

/** One slot of the pagination bar: a page number, or a gap ("…") between distant numbers. */
export type PageSlot = number | 'gap';

/**
 * The numbers the pagination bar shows: the first and last page, and `around` pages either side of the current
 * one, with a gap where numbers are skipped; at 1,000 articles (84 pages) that is 7 links, not 84.
 */
export function pageSlots(current: number, total: number, around = 2): PageSlot[] {
  const shown = [...new Set([1, total, ...Array.from({ length: around * 2 + 1 }, (_, index) => current - around + index)])]
    .filter((page) => page >= 1 && page <= total)
    .sort((a, b) => a - b);
  return shown.flatMap((page, index) => (index > 0 && page - shown[index - 1]! > 1 ? ['gap' as const, page] : [page]));
}
