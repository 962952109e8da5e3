// "Related articles" at the end of each article: which other articles share a topic with it. The rule, for
// readers and editors (docs/site.md): the newest articles that share at least one topic, never the article
// itself, at most RELATED_COUNT; fewer when fewer share a topic, and none for an article without topics (the
// block is then left out, never padded with unrelated articles).
//
// Computed once per build for every article: each topic's articles are listed newest first, and an article's
// related ones are the newest among the first few of each of its topics' lists, so the work is
// O(N · topics per article), not O(N²), at 1,000 articles.
import { newestFirst } from './pagination.ts';

/** How many related articles an article shows. */
export const RELATED_COUNT = 3;

/** What the rule reads of an article. */
export type Relatable = { slug: string; publishedAt: string; topics: ReadonlyArray<{ slug: string }> };

/** Every article's related articles, by the article's slug (an article with none maps to an empty list). */
export function relatedArticles<T extends Relatable>(articles: readonly T[], count: number = RELATED_COUNT): Map<string, T[]> {
  const sorted = newestFirst(articles);
  const rank = new Map(sorted.map((article, index) => [article.slug, index]));
  const byTopic = new Map<string, T[]>();
  for (const article of sorted) {
    for (const topic of article.topics) {
      const list = byTopic.get(topic.slug);
      if (list) list.push(article);
      else byTopic.set(topic.slug, [article]);
    }
  }

  const related = new Map<string, T[]>();
  for (const article of sorted) {
    // The newest `count` others of each topic: the overall newest `count` sharing any topic are among them.
    const candidates = new Set<T>();
    for (const topic of article.topics) {
      let taken = 0;
      for (const other of byTopic.get(topic.slug) ?? []) {
        if (taken === count) break;
        if (other.slug === article.slug) continue;
        candidates.add(other);
        taken++;
      }
    }
    related.set(article.slug, [...candidates].sort((a, b) => rank.get(a.slug)! - rank.get(b.slug)!).slice(0, count));
  }
  return related;
}
