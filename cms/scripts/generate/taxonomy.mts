// Generated articles' topics and authors (scripts/generate-articles.mts --taxonomy), as editors give them:
// every article one or two of the seeded topics, and two articles in three an author (the seeded one, or one
// of three made for it), so the site has topic and author pages, their pagination and related articles to show.
import { UID } from '@agency/shared';
import type { Core } from '@strapi/strapi';
import { pick } from './filler.mts';

/** The topics and authors articles are given with --taxonomy (documentIds), filled once the app is loaded. */
type Taxonomy = { topics: string[]; authors: string[] };

/** Article i's topics and author (documentIds): deterministic, spread so that listings and related articles vary. */
export function taxonomyOf(i: number, taxonomy: Taxonomy): { topics: string[]; author?: string } {
  const first = pick(taxonomy.topics, i);
  const topics = i % 2 === 0 ? [first, pick(taxonomy.topics, i * 7 + 1)] : [first];
  const author = i % 3 === 2 ? undefined : pick(taxonomy.authors, Math.floor(i / 3));
  return { topics: [...new Set(topics)], ...(author && { author }) };
}

const EXTRA_AUTHORS = [
  { name: 'Alex Morgan', slug: 'alex-morgan', role: 'Brand strategist' },
  { name: 'Sam Patel', slug: 'sam-patel', role: 'Designer' },
  { name: 'Jo Kim', slug: 'jo-kim', role: 'Copywriter' },
];

/** The seeded topics and authors, plus EXTRA_AUTHORS (made and published now when missing). */
export async function loadTaxonomy(strapi: Core.Strapi): Promise<Taxonomy> {
  const authors = strapi.documents(UID.author);
  for (const author of EXTRA_AUTHORS) {
    if (await authors.findFirst({ filters: { slug: author.slug }, status: 'draft' })) continue;
    const { documentId } = await authors.create({ data: author });
    await authors.publish({ documentId });
  }
  const ids = async (uid: typeof UID.topic | typeof UID.author) =>
    (await strapi.documents(uid).findMany({ status: 'published', sort: 'slug:asc' })).map((entry) => entry.documentId);
  return { topics: await ids(UID.topic), authors: await ids(UID.author) };
}
