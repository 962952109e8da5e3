// How the home page's list is split into pages (src/lib/pagination.ts, src/lib/routes.ts).
import { describe, expect, it } from 'vitest';
import { ARTICLES_PER_PAGE, laterPages, listPages, newestFirst, pageCount, pageItems, pageSlots } from '../src/lib/pagination.ts';
import { homePagePath } from '../src/lib/routes.ts';

describe('pagination', () => {
  it('splits a list into pages of ARTICLES_PER_PAGE, the first at the list’s own address', () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(ARTICLES_PER_PAGE)).toBe(1);
    expect(pageCount(ARTICLES_PER_PAGE + 1)).toBe(2);
    expect(pageCount(1000)).toBe(Math.ceil(1000 / ARTICLES_PER_PAGE));
    expect(laterPages(ARTICLES_PER_PAGE)).toEqual([]);
    expect(laterPages(ARTICLES_PER_PAGE * 2 + 1)).toEqual([2, 3]);
    const items = Array.from({ length: 30 }, (_, i) => i);
    expect(pageItems(items, 3, 12)).toEqual([24, 25, 26, 27, 28, 29]);
    expect([homePagePath(1), homePagePath(2)]).toEqual(['/', '/page/2/']);
  });

  it('gives a topic’s or author’s list one route parameter per page: none for the first, page/N after', () => {
    expect(listPages(1)).toEqual([{ page: 1, param: undefined }]);
    expect(listPages(ARTICLES_PER_PAGE * 2 + 1)).toEqual([
      { page: 1, param: undefined },
      { page: 2, param: 'page/2' },
      { page: 3, param: 'page/3' },
    ]);
  });

  it('shows the first, last and nearby page numbers with gaps, never every page', () => {
    expect(pageSlots(1, 1)).toEqual([1]);
    expect(pageSlots(1, 5)).toEqual([1, 2, 3, 'gap', 5]);
    expect(pageSlots(42, 84)).toEqual([1, 'gap', 40, 41, 42, 43, 44, 'gap', 84]);
    expect(pageSlots(84, 84)).toEqual([1, 'gap', 82, 83, 84]);
    expect(pageSlots(3, 6)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('orders newest first, the same instant by slug', () => {
    const list = [
      { slug: 'b', publishedAt: '2025-01-01T00:00:00Z' },
      { slug: 'a', publishedAt: '2025-01-01T00:00:00Z' },
      { slug: 'c', publishedAt: '2025-02-01T00:00:00Z' },
    ];
    expect(newestFirst(list).map((item) => item.slug)).toEqual(['c', 'a', 'b']);
  });
});
