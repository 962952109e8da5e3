// Which pages a change of articles can alter, for the warm worker's incremental update (./update-site.ts).
// Pure and exact for the routes it knows, from what each of their pages shows:
//   - an article's page: the article, and its related articles (src/lib/related.ts);
//   - a page of a list (home, a topic's, an author's): the list's name and description, the articles on that
//     page, and how many pages the list has ("page 2 of 7", the pagination bar).
// Unchanged articles are the very same objects before and after (the update replaces only what the CMS sent
// again), so "the same articles" is a comparison of references, and a changed article changes every page it
// is on. Pages that read no article (ARTICLE_FREE_ROUTES) never change with one. Any other route (the home
// page, /topics/, /authors/, the sitemap, the feed, a route added later) is not scoped here: the update renders
// all of its pages. The equivalence test holds the rules to a full build
// (tests/integration/incremental.test.ts).
import type { Article } from '@agency/shared';
import { authorListings, topicListings, type Listing } from '../lib/listings.ts';
import { newestFirst, pageCount, pageItems } from '../lib/pagination.ts';
import { relatedArticles } from '../lib/related.ts';
import { articlePath, authorPath, homePagePath, topicPath } from '../lib/routes.ts';

/**
 * Routes whose pages read no article, only the site settings and the CTA (which an article's publish does not
 * change): the update leaves them as they are. The equivalence test would catch one that starts reading articles.
 */
export const ARTICLE_FREE_ROUTES = new Set([
  'src/pages/404.astro',
  'src/pages/search.astro',
  'src/pages/consultation/thanks.astro',
  'src/pages/robots.txt.ts',
]);

/** The route files whose pages changedPaths decides, as Astro names a route's component. */
export const SCOPED_ROUTES = new Set([
  'src/pages/articles/[slug].astro',
  'src/pages/page/[page].astro',
  'src/pages/topics/[slug]/[...page].astro',
  'src/pages/authors/[slug]/[...page].astro',
]);

function sameItems(a: readonly Article[], b: readonly Article[]): boolean {
  return a.length === b.length && a.every((article, index) => article === b[index]);
}

/** The pages of one list that differ between `before` and `after` (both newest first). */
function changedListPages(
  before: readonly Article[],
  after: readonly Article[],
  keyChanged: boolean,
  pathOf: (page: number) => string,
  into: Set<string>,
): void {
  const total = pageCount(after.length);
  const totalChanged = total !== pageCount(before.length);
  for (let page = 1; page <= total; page++) {
    if (keyChanged || totalChanged || !sameItems(pageItems(before, page), pageItems(after, page))) into.add(pathOf(page));
  }
}

function changedListings<K extends { slug: string }>(
  before: ReadonlyArray<Listing<K, Article>>,
  after: ReadonlyArray<Listing<K, Article>>,
  pathOf: (slug: string, page: number) => string,
  into: Set<string>,
): void {
  const old = new Map(before.map((listing) => [listing.key.slug, listing]));
  for (const listing of after) {
    const previous = old.get(listing.key.slug);
    const keyChanged = !previous || JSON.stringify(previous.key) !== JSON.stringify(listing.key);
    changedListPages(previous?.articles ?? [], listing.articles, keyChanged, (page) => pathOf(listing.key.slug, page), into);
  }
}

/**
 * The pages of the scoped routes that show something different after the change from `before` to `after`
 * (pages that no longer exist are not listed: the update removes what the site no longer has).
 */
export function changedPaths(before: readonly Article[], after: readonly Article[]): Set<string> {
  const paths = new Set<string>();
  const previous = new Map(before.map((article) => [article.slug, article]));
  const relatedBefore = relatedArticles(before);
  const relatedAfter = relatedArticles(after);
  for (const article of after) {
    if (previous.get(article.slug) !== article || !sameItems(relatedBefore.get(article.slug) ?? [], relatedAfter.get(article.slug) ?? []))
      paths.add(articlePath(article.slug));
  }
  changedListPages(newestFirst(before), newestFirst(after), false, homePagePath, paths);
  changedListings(topicListings(before), topicListings(after), topicPath, paths);
  changedListings(authorListings(before), authorListings(after), authorPath, paths);
  return paths;
}
