// Which topics and authors get a page (src/lib/listings.ts): exactly those a published article carries, each
// with its articles newest first, listed by name.
import { describe, expect, it } from 'vitest';
import { article } from './support/fixtures.ts';
import { authorListings, topicListings } from '../src/lib/listings.ts';

const day = (n: number) => new Date(Date.UTC(2025, 0, n)).toISOString();
const topic = (slug: string, name: string) => ({ documentId: slug, slug, name, description: null });
const author = (slug: string, name: string) => ({ documentId: slug, slug, name, role: null, bio: null, photo: null });

describe('topic and author listings', () => {
  const brand = topic('brand', 'Brand');
  const sales = topic('sales', 'Sales');
  const ann = author('ann', 'Ann');
  const articles = [
    article({ slug: 'old', publishedAt: day(1), topics: [sales], author: ann }),
    article({ slug: 'new', publishedAt: day(3), topics: [sales, brand], author: ann }),
    article({ slug: 'untagged', publishedAt: day(2), topics: [], author: null }),
  ];

  it('lists each topic a published article carries, by name, with its articles newest first', () => {
    expect(topicListings(articles).map(({ key, articles: listed }) => [key.slug, listed.map((a) => a.slug)])).toEqual([
      ['brand', ['new']],
      ['sales', ['new', 'old']],
    ]);
  });

  it('lists each author of a published article; articles without an author list under no one', () => {
    expect(authorListings(articles).map(({ key, articles: listed }) => [key.slug, listed.map((a) => a.slug)])).toEqual([
      ['ann', ['new', 'old']],
    ]);
  });

  it('has nothing for a topic or author without a published article (no page, no link, a 404)', () => {
    expect(topicListings([])).toEqual([]);
    expect(authorListings([article({ author: null, topics: [] })])).toEqual([]);
  });
});
