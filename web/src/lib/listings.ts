// Topic and author pages list the published articles of one topic or one author. Both lists are derived
// from the published articles themselves, so a topic or an author has a page exactly when at least one
// published article carries it: one that is unpublished never reaches an article (the content contract
// drops it, shared/src/content.ts), and one whose articles are all drafts, or that has none, gets no page,
// no link and no sitemap entry (its address is a 404). Decided in docs/site.md.
import type { Article, Author, Topic } from '@agency/shared';
import { newestFirst } from './pagination.ts';

/** One topic or author and its published articles, newest first. */
export type Listing<K, A> = { key: K; articles: A[] };

type Listed = Pick<Article, 'slug' | 'publishedAt'> & { topics: readonly Topic[]; author: Author | null };

/** Groups articles under keys (several per article for topics), by the key's slug; sorted by the key's name. */
function listings<K extends { slug: string; name: string }, A extends Listed>(
  articles: readonly A[],
  keysOf: (article: A) => readonly K[],
): Array<Listing<K, A>> {
  const bySlug = new Map<string, Listing<K, A>>();
  for (const article of newestFirst(articles)) {
    for (const key of keysOf(article)) {
      const listing = bySlug.get(key.slug);
      if (listing) listing.articles.push(article);
      else bySlug.set(key.slug, { key, articles: [article] });
    }
  }
  return [...bySlug.values()].sort((a, b) => a.key.name.localeCompare(b.key.name, 'en') || a.key.slug.localeCompare(b.key.slug));
}

/** Every topic that has a published article, by name, each with its articles newest first. */
export function topicListings<A extends Listed>(articles: readonly A[]): Array<Listing<Topic, A>> {
  return listings(articles, (article) => article.topics);
}

/** Every author who has a published article, by name, each with their articles newest first. */
export function authorListings<A extends Listed>(articles: readonly A[]): Array<Listing<Author, A>> {
  return listings(articles, (article) => (article.author ? [article.author] : []));
}
