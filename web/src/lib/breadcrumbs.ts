// The breadcrumb trail of each page (src/components/Breadcrumbs.astro shows it and gives search engines the
// same trail as BreadcrumbList JSON-LD): Home › Topic › Article, Home › Topics › Topic, Home › Authors › Name.
// An article's trail goes through its first topic (topics come alphabetically, shared/src/queries.ts); an
// article without topics goes straight from Home. The last crumb is the page itself.
import type { Article, Author, Topic } from '@agency/shared';
import { AUTHORS_PATH, TOPICS_PATH, articlePath, authorPath, homePagePath, topicPath } from './routes.ts';

/** One step of the trail: what it is called and its path on the site. */
export type Crumb = { name: string; path: string };

const HOME: Crumb = { name: 'Home', path: homePagePath(1) };
const TOPICS: Crumb = { name: 'Topics', path: TOPICS_PATH };
const AUTHORS: Crumb = { name: 'Authors', path: AUTHORS_PATH };

/** Page 2 and later of a list add their own crumb after the list's first page. */
function withPage(trail: Crumb[], page: number, pathOf: (page: number) => string): Crumb[] {
  return page > 1 ? [...trail, { name: `Page ${page}`, path: pathOf(page) }] : trail;
}

export function articleCrumbs(article: Pick<Article, 'slug' | 'title'> & { topics: readonly Pick<Topic, 'slug' | 'name'>[] }): Crumb[] {
  const topic = article.topics[0];
  return [
    HOME,
    ...(topic ? [{ name: topic.name, path: topicPath(topic.slug) }] : []),
    { name: article.title, path: articlePath(article.slug) },
  ];
}

export function topicCrumbs(topic: Pick<Topic, 'slug' | 'name'>, page = 1): Crumb[] {
  return withPage([HOME, TOPICS, { name: topic.name, path: topicPath(topic.slug) }], page, (n) => topicPath(topic.slug, n));
}

export function authorCrumbs(author: Pick<Author, 'slug' | 'name'>, page = 1): Crumb[] {
  return withPage([HOME, AUTHORS, { name: author.name, path: authorPath(author.slug) }], page, (n) => authorPath(author.slug, n));
}

export const topicsIndexCrumbs = (): Crumb[] => [HOME, TOPICS];
export const authorsIndexCrumbs = (): Crumb[] => [HOME, AUTHORS];
