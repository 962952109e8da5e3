// Related articles (src/lib/related.ts): the newest articles sharing a topic, never the article itself, at most
// three, none without a shared topic; and it stays linear at 1,000 articles.
import { describe, expect, it } from 'vitest';
import { RELATED_COUNT, relatedArticles, type Relatable } from '../src/lib/related.ts';

const day = (n: number) => new Date(Date.UTC(2025, 0, n)).toISOString();
/** An article published on day `n` with the given topic slugs. */
const post = (slug: string, n: number, ...topics: string[]): Relatable => ({
  slug,
  publishedAt: day(n),
  topics: topics.map((t) => ({ slug: t })),
});
const slugs = (list: readonly Relatable[] | undefined) => list?.map((article) => article.slug);

describe('related articles', () => {
  it('shows the three newest articles sharing at least one topic, newest first, never the article itself', () => {
    const articles = [
      post('subject', 10, 'sales', 'brand'),
      post('old-sales', 1, 'sales'),
      post('new-brand', 9, 'brand'),
      post('newer-sales', 8, 'sales'),
      post('mid-both', 5, 'sales', 'brand'),
      post('newest-unrelated', 12, 'design'),
      post('future-sales', 11, 'sales'),
    ];
    const related = relatedArticles(articles);
    expect(slugs(related.get('subject'))).toEqual(['future-sales', 'new-brand', 'newer-sales']);
    expect(related.get('subject')).toHaveLength(RELATED_COUNT);
    // Newest first, not by how many topics are shared: mid-both shares two but is older than three that share one.
    expect(slugs(related.get('subject'))).not.toContain('mid-both');
    for (const [slug, list] of related) expect(slugs(list)).not.toContain(slug);
  });

  it('shows fewer than three when fewer share a topic, and none (not the newest articles) when none does', () => {
    const articles = [post('a', 1, 'sales'), post('b', 2, 'sales'), post('alone', 3, 'design'), post('untagged', 4), post('c', 5, 'brand')];
    const related = relatedArticles(articles);
    expect(slugs(related.get('a'))).toEqual(['b']);
    expect(slugs(related.get('b'))).toEqual(['a']);
    expect(related.get('alone')).toEqual([]);
    expect(related.get('untagged')).toEqual([]);
    expect(related.get('c')).toEqual([]);
  });

  it('lists an article sharing several topics once; the same instant is ordered by slug, as every list is', () => {
    const articles = [post('subject', 1, 'x', 'y', 'z'), post('b', 2, 'x', 'y', 'z'), post('a', 2, 'y'), post('c', 2, 'z')];
    expect(slugs(relatedArticles(articles).get('subject'))).toEqual(['a', 'b', 'c']);
  });

  it('picks the overall newest even when each topic alone would offer other candidates first', () => {
    // Topic x's newest three are all older than topic y's newest two: the answer mixes both topics.
    const articles = [
      post('subject', 1, 'x', 'y'),
      post('x1', 5, 'x'),
      post('x2', 4, 'x'),
      post('x3', 3, 'x'),
      post('y1', 9, 'y'),
      post('y2', 8, 'y'),
      post('y3', 2, 'y'),
    ];
    expect(slugs(relatedArticles(articles).get('subject'))).toEqual(['y1', 'y2', 'x1']);
  });

  it('stays linear: 20,000 articles all on one topic (400 million pairs if compared pairwise) take well under 3 s', () => {
    const articles = Array.from({ length: 20_000 }, (_, i) => post(`article-${i}`, 1 + (i % 365), 'everything'));
    const started = performance.now();
    const related = relatedArticles(articles);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(related.get('article-0')).toHaveLength(RELATED_COUNT);
  });

  it('agrees with a brute-force reading of the rule on 1,000 articles with random topics', () => {
    const topics = ['sales', 'marketing', 'strategy', 'brand', 'design', 'digital'];
    // Deterministic pseudo-random topics (1–3 each) and dates, some articles sharing the same instant.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const articles = Array.from({ length: 1000 }, (_, i) => {
      const own = [...new Set(Array.from({ length: 1 + (next() % 3) }, () => topics[next() % topics.length]!))];
      return post(`article-${i}`, 1 + (next() % 300), ...own);
    });
    const related = relatedArticles(articles);
    const order = [...articles].sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || a.slug.localeCompare(b.slug));
    for (const article of articles.slice(0, 100)) {
      const shares = (other: Relatable) => other.topics.some((t) => article.topics.some((own) => own.slug === t.slug));
      const expected = order.filter((other) => other.slug !== article.slug && shares(other)).slice(0, RELATED_COUNT);
      expect(slugs(related.get(article.slug)), article.slug).toEqual(slugs(expected));
    }
    expect(related.size).toBe(1000);
  });
});
