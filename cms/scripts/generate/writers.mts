// Writing a batch of generated articles (scripts/generate-articles.mts), in one database transaction, two ways.
// tableWriter, the default, writes them straight into Strapi's tables, a batch of them in a few statements per
// table, as the rows the Document Service writes for `create({ data, status: 'published' })`: a draft and its
// published version (same documentId, firstPublishedAt as cms/src/bootstrap/first-published.ts sets it), each
// with its own copy of the body's components and its own links to topics (draft to draft, published to
// published), author and cover. Creating them one by one through the Document Service ran at ~15 articles/s
// (10,000 in ~11 min): validating, cloning each draft to publish it, and two events per article, each reading
// the whole article back. No events or webhooks fire for these rows; on a throwaway database nothing listens.
// documentServiceWriter (--document-service) creates them through the Document Service instead, as it was: the
// slow reference the table writes were compared with (every table, row by row, on SQLite).
import { UID } from '@agency/shared';
import type { Core } from '@strapi/strapi';
import type { Article, Block } from './filler.mts';

// The tables tableWriter writes (Strapi 5's layout for cms/src/api/article, the names its own queries use):
//   articles                       a row per version: the draft (published_at null) and the published one
//   components_article_sections,   a row per body block per version: publishing copies the draft's components
//   components_article_side_notes
//   articles_cmps                  the body: entity_id, cmp_id, component_type, field 'body', order 1, 2, …
//   articles_topics_lnk            topic_ord: the topic's place in the article; article_ord: the article's in the topic
//   articles_author_lnk            article_ord: the article's place in the author's list
//   files_related_mph              the cover: file_id, related_id, related_type, field 'cover', order 1

/** The row ids of each topic's or author's draft and published version, by documentId. */
type VersionIds = Map<string, { draft?: number; published?: number }>;

async function versionIds(strapi: Core.Strapi, uid: typeof UID.topic | typeof UID.author): Promise<VersionIds> {
  const rows = (await strapi.db.query(uid).findMany({ select: ['id', 'documentId', 'publishedAt'] })) as Array<{
    id: number;
    documentId: string;
    publishedAt: unknown;
  }>;
  const ids: VersionIds = new Map();
  for (const row of rows) ids.set(row.documentId, { ...ids.get(row.documentId), [row.publishedAt ? 'published' : 'draft']: row.id });
  return ids;
}

/** Writes a batch of articles in one transaction. */
type Writer = (articles: Article[]) => Promise<void>;

/** Writes articles' rows, in the order the Document Service writes them. */
export async function tableWriter(strapi: Core.Strapi): Promise<Writer> {
  const topics = await versionIds(strapi, UID.topic);
  const authors = await versionIds(strapi, UID.author);
  const versionOf = (ids: VersionIds, documentId: string, published: boolean, what: string): number => {
    const id = ids.get(documentId)?.[published ? 'published' : 'draft'];
    if (id === undefined)
      throw new Error(`The ${what} ${documentId} has no ${published ? 'published' : 'draft'} version to link articles to.`);
    return id;
  };
  // An article goes last in each topic's and author's list, after those already there (the seeded article's).
  const lastPlaces = async (table: string, column: string) => {
    const rows = (await strapi.db.getConnection(table).select(column).max({ last: 'article_ord' }).groupBy(column)) as Array<
      Record<string, number>
    >;
    return new Map(rows.map((row) => [row[column]!, Number(row.last)]));
  };
  const topicPlaces = await lastPlaces('articles_topics_lnk', 'topic_id');
  const authorPlaces = await lastPlaces('articles_author_lnk', 'author_id');
  const nextPlace = (places: Map<number, number>, id: number) => {
    const place = (places.get(id) ?? 0) + 1;
    places.set(id, place);
    return place;
  };
  // The documentId Strapi gives a new document: the default of the attribute it adds to every content type.
  const createDocumentId = (strapi.db.metadata.get(UID.article).attributes.documentId as { default?: unknown }).default;
  if (typeof createDocumentId !== 'function')
    throw new Error("Strapi's article model has no documentId default any more: generate-articles cannot make documentIds like its own.");
  // Each article is created (and published, and first published) a millisecond after the one before at
  // least, so that the site's order, newest first by firstPublishedAt, is the articles' order, as before.
  let stamp = 0;

  return async (articles) => {
    await strapi.db.transaction(async ({ trx }) => {
      const insert = async (table: string, rows: object[]) => {
        // In chunks, for SQLite's limit on the values of one statement.
        for (let k = 0; k < rows.length; k += 500)
          await strapi.db
            .getConnection(table)
            .insert(rows.slice(k, k + 500))
            .transacting(trx);
      };
      // Draft then published version, article after article: the Document Service's order, so even the row
      // ids come out as it gives them.
      const versions = articles.flatMap((article) => {
        const at = new Date((stamp = Math.max(Date.now(), stamp + 1)));
        const documentId = createDocumentId() as string;
        const { slug, title, intro, coverAlt } = article;
        return [null, at].map((publishedAt) => ({
          article,
          published: publishedAt !== null,
          row: { documentId, title, slug, intro, coverAlt, firstPublishedAt: at, createdAt: at, updatedAt: at, publishedAt },
        }));
      });
      const { ids } = await strapi.db.query(UID.article).createMany({ data: versions.map((version) => version.row) });
      const idOf = (n: number) => ids[n] as number;

      const components: Record<Block['__component'], object[]> = { 'article.section': [], 'article.side-note': [] };
      const blocks = versions.flatMap((version, n) =>
        version.article.body.map(({ __component, ...fields }, k) => ({
          entity: idOf(n),
          type: __component,
          order: k + 1,
          index: components[__component].push(fields) - 1,
        })),
      );
      const componentIds: Record<string, unknown[]> = {};
      for (const [uid, rows] of Object.entries(components))
        componentIds[uid] = rows.length ? (await strapi.db.query(uid as Block['__component']).createMany({ data: rows })).ids : [];
      await insert(
        'articles_cmps',
        blocks.map(({ entity, type, order, index }) => ({
          entity_id: entity,
          cmp_id: componentIds[type]![index],
          component_type: type,
          field: 'body',
          order,
        })),
      );

      await insert(
        'articles_topics_lnk',
        versions.flatMap(({ article, published }, n) =>
          (article.topics ?? []).map((documentId, k) => {
            const topic = versionOf(topics, documentId, published, 'topic');
            return { article_id: idOf(n), topic_id: topic, topic_ord: k + 1, article_ord: nextPlace(topicPlaces, topic) };
          }),
        ),
      );
      await insert(
        'articles_author_lnk',
        versions.flatMap(({ article, published }, n) => {
          if (!article.author) return [];
          const author = versionOf(authors, article.author, published, 'author');
          return [{ article_id: idOf(n), author_id: author, article_ord: nextPlace(authorPlaces, author) }];
        }),
      );
      await insert(
        'files_related_mph',
        versions.flatMap(({ article }, n) =>
          article.cover ? [{ file_id: article.cover, related_id: idOf(n), related_type: UID.article, field: 'cover', order: 1 }] : [],
        ),
      );
    });
  };
}

/** Creates a batch of articles through the Document Service, one `create` each, in one transaction. */
export function documentServiceWriter(strapi: Core.Strapi): Writer {
  const documents = strapi.documents(UID.article);
  return async (articles) => {
    await strapi.db.transaction(async () => {
      // status 'published' creates the draft and its published version in one call.
      for (const article of articles) await documents.create({ data: article, status: 'published' });
    });
  };
}
