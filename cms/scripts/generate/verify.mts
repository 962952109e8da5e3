// The check at the end of scripts/generate-articles.mts: the articles as the Document Service reads them. The
// run reads articles back through the Document Service (the number of drafts and of published versions; one
// article of each shape, and the last, field by field) and fails if any differs from what it was written from:
// the table writes bypass the Document Service, so this is what says Strapi reads their rows as its own.
import { isDeepStrictEqual } from 'node:util';
import { UID } from '@agency/shared';
import type { Core } from '@strapi/strapi';
import type { Article, Block } from './filler.mts';

/** How many drafts and published versions of articles there are. */
export async function countVersions(strapi: Core.Strapi): Promise<{ drafts: number; published: number }> {
  const documents = strapi.documents(UID.article);
  return { drafts: await documents.count({ status: 'draft' }), published: await documents.count({ status: 'published' }) };
}

/** An article as the Document Service reads it, with what verify populates. */
type ReadBack = Pick<Article, 'slug' | 'title' | 'intro'> & {
  coverAlt: string | null;
  firstPublishedAt: unknown;
  publishedAt: unknown;
  body: Array<Block & { id: number }>;
  topics: Array<{ documentId: string }>;
  author: { documentId: string } | null;
  cover: { id: number } | null;
};

/**
 * Fails unless the Document Service reads `count` more drafts and as many more published versions than
 * `before`, and reads each sample article, draft and published version, as it was written: its fields, its
 * body's components in order, its topics in order, its author and cover; both first published at one date.
 */
export async function verify(
  strapi: Core.Strapi,
  count: number,
  before: { drafts: number; published: number },
  samples: Map<number, Article>,
): Promise<void> {
  const after = await countVersions(strapi);
  if (after.drafts - before.drafts !== count || after.published - before.published !== count)
    throw new Error(
      `Wrote ${count} articles, but the Document Service reads ${after.drafts - before.drafts} more drafts and ` +
        `${after.published - before.published} more published versions.`,
    );
  const documents = strapi.documents(UID.article);
  for (const article of samples.values()) {
    const wanted: Record<string, unknown> = { ...article, topics: article.topics ?? [] };
    const read = async (status: 'draft' | 'published') => {
      const entry = (await documents.findFirst({
        filters: { slug: article.slug },
        status,
        populate: { body: true, topics: { fields: ['documentId'] }, author: { fields: ['documentId'] }, cover: { fields: ['id'] } },
      })) as unknown as ReadBack | null;
      if (!entry) throw new Error(`The Document Service finds no ${status} version of article ${article.slug}.`);
      const { body, topics, author, cover, coverAlt } = entry;
      const got: Record<string, unknown> = {
        slug: entry.slug,
        title: entry.title,
        intro: entry.intro,
        body: body.map(({ id: _id, ...block }) => block),
        topics: topics.map((topic) => topic.documentId),
        ...(author && { author: author.documentId }),
        ...(cover && { cover: cover.id }),
        ...(coverAlt !== null && { coverAlt }),
      };
      const differing = Object.keys({ ...wanted, ...got }).filter((key) => !isDeepStrictEqual(got[key], wanted[key]));
      if (differing.length > 0)
        throw new Error(
          `The Document Service reads the ${status} version of article ${article.slug} differently from what was written:\n` +
            differing.map((key) => `  ${key}: wrote ${JSON.stringify(wanted[key])}, read ${JSON.stringify(got[key])}`).join('\n'),
        );
      return entry;
    };
    const [draft, published] = [await read('draft'), await read('published')];
    if (
      !draft.firstPublishedAt ||
      String(draft.firstPublishedAt) !== String(published.firstPublishedAt) ||
      draft.publishedAt ||
      !published.publishedAt
    )
      throw new Error(
        `Article ${article.slug}: the draft and published version must share a firstPublishedAt, and only the published ` +
          `version have a publishedAt; read ${JSON.stringify({ draft: [draft.firstPublishedAt, draft.publishedAt], published: [published.firstPublishedAt, published.publishedAt] })}.`,
      );
  }
}
