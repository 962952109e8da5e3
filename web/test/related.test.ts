// Related articles (src/lib/related.ts): the newest articles sharing a topic, never the article itself, at most
// three, none without a shared topic; and it stays linear, counted in reads of the articles (not timed). The
// brute-force comparison's random sites come from a seed (tests/support/seed.ts): TEST_SEED replays a failure.
import { describe, expect, it } from 'vitest';
import { RELATED_COUNT, relatedArticles, type Relatable } from '../src/lib/related.ts';
import { replayHint, seededRandom, suiteSeed } from '../../tests/support/seed.ts';

const day = (n: number) => new Date(Date.UTC(2025, 0, n)).toISOString();
/** An article published on day `n` with the given topic slugs. */
const post = (slug: string, n: number, ...topics: string[]): Relatable => ({
  slug,
  publishedAt: day(n),
  topics: topics.map((t) => ({ slug: t })),
});
const slugs = (list: readonly Relatable[] | undefined) => list?.map((article) => article.slug);

describe('related articles', () => {
  const seed = suiteSeed('related articles');

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

  it('stays linear: 5,000 articles all on one topic (25 million pairs if compared pairwise) are read a few dozen times each', () => {
    // Counted, not timed: every read of an article's or a topic's fields goes through a getter that counts it. A
    // pairwise comparison reads each article's topics once per other article, 5,000 times; sorting reads its
    // date and slug O(log N) times (about 23 reads an article in all today). The count is the same on any machine
    // under any load, and a quadratic reading is stopped at the budget instead of running its 25 million pairs.
    const count = 5_000;
    const budget = 100 * count;
    let reads = 0;
    const read = <V>(value: V): V => {
      if (++reads > budget)
        throw new Error(`relatedArticles read the articles' fields over ${budget} times for ${count} articles: not linear`);
      return value;
    };
    const counted = ({ slug, publishedAt, topics }: Relatable): Relatable => {
      const countedTopics = topics.map((topic) => ({
        get slug() {
          return read(topic.slug);
        },
      }));
      return {
        get slug() {
          return read(slug);
        },
        get publishedAt() {
          return read(publishedAt);
        },
        get topics() {
          return read(countedTopics);
        },
      };
    };
    const articles = Array.from({ length: count }, (_, i) => counted(post(`article-${i}`, 1 + (i % 365), 'everything')));
    const related = relatedArticles(articles);
    expect(reads).toBeLessThanOrEqual(budget);
    expect(related.get('article-0')).toHaveLength(RELATED_COUNT);
  });

  it('agrees with a brute-force reading of the rule on 1,000 articles with random topics', () => {
    const topics = ['sales', 'marketing', 'strategy', 'brand', 'design', 'digital'];
    // Seeded pseudo-random topics (1–3 each) and dates, some articles sharing the same instant.
    const random = seededRandom(seed);
    const next = (below: number) => Math.floor(random() * below);
    const articles = Array.from({ length: 1000 }, (_, i) => {
      const own = [...new Set(Array.from({ length: 1 + next(3) }, () => topics[next(topics.length)]!))];
      return post(`article-${i}`, 1 + next(300), ...own);
    });
    const related = relatedArticles(articles);
    const order = [...articles].sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || a.slug.localeCompare(b.slug));
    for (const article of articles.slice(0, 100)) {
      const shares = (other: Relatable) => other.topics.some((t) => article.topics.some((own) => own.slug === t.slug));
      const expected = order.filter((other) => other.slug !== article.slug && shares(other)).slice(0, RELATED_COUNT);
      expect(slugs(related.get(article.slug)), `${article.slug}, ${replayHint(seed)}`).toEqual(slugs(expected));
    }
    expect(related.size).toBe(1000);
  });
});
