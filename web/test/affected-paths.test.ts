// Which pages a change of articles alters (src/incremental/affected-paths.ts), held to a brute-force reading of
// what each page shows: for every article page its article and related articles, for every page of a list its
// name, its articles and the number of pages. Over random sites and random changes (publishes, edits,
// unpublishes, new topics), changedPaths must name exactly the pages whose view differs, no fewer (a stale page)
// and no more (wasted renders). The integration test holds the whole update to a full build
// (tests/integration/incremental.test.ts). Each round's sequence comes from a seed (tests/support/seed.ts):
// TEST_SEED replays a failure, and the seed is printed when a round fails.
import { describe, expect, it } from 'vitest';
import type { Article } from '@agency/shared';
import { changedPaths } from '../src/incremental/affected-paths.ts';
import { authorListings, topicListings } from '../src/lib/listings.ts';
import { newestFirst, pageCount, pageItems } from '../src/lib/pagination.ts';
import { relatedArticles } from '../src/lib/related.ts';
import { articlePath, authorPath, homePagePath, topicPath } from '../src/lib/routes.ts';
import { replayHint, seededRandom, suiteSeed } from '../../tests/support/seed.ts';
import { article } from './support/fixtures.ts';

const TOPICS = ['sales', 'marketing', 'strategy', 'brand'].map((slug) => ({ documentId: slug, slug, name: slug, description: null }));
const AUTHORS = ['ann', 'bo'].map((slug) => ({ documentId: slug, slug, name: slug, role: null, bio: null, photo: null }));

/**
 * An article's content as a short name: its slug and a number standing for its content (the same content, the
 * same number), made once per article object (they are never changed, only replaced). The seed article's body
 * is long: serialised again on every page an article is on, it made this test take seconds.
 */
const names = new WeakMap<Article, string>();
const contents = new Map<string, number>();
function nameOf(article: Article): string {
  let name = names.get(article);
  if (name === undefined) {
    const content = JSON.stringify(article);
    if (!contents.has(content)) contents.set(content, contents.size);
    names.set(article, (name = `${article.slug}:${contents.get(content)}`));
  }
  return name;
}

/** What every scoped page shows, as text; an object's identity stands for its content (as in the update). */
function views(articles: readonly Article[]): Map<string, string> {
  // Every change in these tests changes an article's content, so content stands for identity here.
  const name = nameOf;
  const result = new Map<string, string>();
  const related = relatedArticles(articles);
  for (const a of articles) result.set(articlePath(a.slug), JSON.stringify([name(a), (related.get(a.slug) ?? []).map(name)]));
  const list = (items: readonly Article[], key: unknown, pathOf: (page: number) => string) => {
    const total = pageCount(items.length);
    for (let page = 1; page <= total; page++) result.set(pathOf(page), JSON.stringify([key, total, pageItems(items, page).map(name)]));
  };
  list(newestFirst(articles), null, homePagePath);
  for (const { key, articles: listed } of topicListings(articles)) list(listed, key, (page) => topicPath(key.slug, page));
  for (const { key, articles: listed } of authorListings(articles)) list(listed, key, (page) => authorPath(key.slug, page));
  return result;
}

describe('changedPaths', () => {
  const seed = suiteSeed('changedPaths');

  it('names exactly the pages whose content changes, over random sites and random changes', () => {
    for (let round = 0; round < 60; round++) {
      const next = seededRandom(seed + round);
      const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
      const make = (slug: string) =>
        article({
          slug,
          documentId: slug,
          title: `Title ${slug} ${Math.floor(next() * 1e6)}`,
          publishedAt: new Date(Date.UTC(2025, 0, 1 + Math.floor(next() * 40))).toISOString(),
          topics: [...new Set([pick(TOPICS), ...(next() < 0.4 ? [pick(TOPICS)] : [])])],
          author: next() < 0.8 ? pick(AUTHORS) : null,
        });
      const before = Array.from({ length: 5 + Math.floor(next() * 60) }, (_, i) => make(`a${i}`));
      // A publish: some articles replaced by new objects (an edit, with new topics or date), some removed, some added.
      let after: Article[] = [...before];
      for (let change = 1 + Math.floor(next() * 3); change > 0; change--) {
        const roll = next();
        const target = pick(after);
        if (roll < 0.5)
          after = after.map((a) =>
            a === target ? { ...make(a.slug), publishedAt: next() < 0.5 ? a.publishedAt : make('x').publishedAt } : a,
          );
        else if (roll < 0.7) after = after.filter((a) => a !== target);
        else after = [...after, make(`new-${round}-${change}`)];
      }
      const old = views(before);
      const now = views(after);
      const expected = [...now].filter(([path, view]) => old.get(path) !== view).map(([path]) => path);
      expect([...changedPaths(before, after)].sort(), `round ${round} of ${replayHint(seed)}`).toEqual(expected.sort());
    }
  });

  it('renders nothing when nothing changed, and only the pages an edit of an old article is on', () => {
    const day = (n: number) => new Date(Date.UTC(2025, 0, n)).toISOString();
    const articles = Array.from({ length: 40 }, (_, i) =>
      article({ slug: `a${i}`, documentId: `a${i}`, publishedAt: day(1 + i), topics: [TOPICS[i % 2]!], author: AUTHORS[0]! }),
    );
    expect(changedPaths(articles, [...articles])).toEqual(new Set());
    // a0 is the oldest: last on the home list, its topic's list and its author's; in no one's related articles.
    const edited = articles.map((a) => (a.slug === 'a0' ? { ...a, title: 'Edited' } : a));
    expect([...changedPaths(articles, edited)].sort()).toEqual(
      ['/articles/a0/', homePagePath(pageCount(40)), topicPath('sales', pageCount(20)), authorPath('ann', pageCount(40))].sort(),
    );
  });
});
