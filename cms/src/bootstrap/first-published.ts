// When an article was first published, kept from then on. Strapi moves an entry's publishedAt to its latest
// publish, so an article corrected today would read as today's on the site, jump to the top of every list and
// make the publish change pages all over the site (web/src/incremental/). The site dates and orders articles by
// firstPublishedAt instead (ArticleSchema in shared/src/content.ts).
//
// Only this middleware writes the field (editors see it read-only, ./editor-hints.ts): the first publish sets
// it on the draft, which Strapi then copies to the published version; a later publish keeps the published
// version's, or the draft's (unpublished since); a save keeps the draft's whatever the form sent (the Content
// Manager's save writes the field empty).
import type { Core } from '@strapi/strapi';
import { UID } from '@agency/shared';

type Params = { documentId?: string; status?: string; data?: Record<string, unknown> };

export function registerFirstPublished(strapi: Core.Strapi): void {
  const versions = () => strapi.db.query(UID.article);
  /** The draft's (published: false) or the published version's date, or null. */
  const dateOf = async (documentId: string, published: boolean): Promise<unknown> => {
    const row = await versions().findOne({
      where: { documentId, publishedAt: published ? { $notNull: true } : null },
      select: ['firstPublishedAt'],
    });
    return (row as { firstPublishedAt?: unknown } | null)?.firstPublishedAt ?? null;
  };

  strapi.documents.use(async (context, next) => {
    if (context.uid !== UID.article) return next();
    const params = context.params as Params | undefined;
    if (context.action === 'create' && params?.data)
      // Created published in one call (scripts, the seed): first published now; a draft has no date yet.
      params.data.firstPublishedAt = params.status === 'published' ? new Date() : null;
    if (context.action === 'update' && params?.documentId) {
      // Whatever the save sent (the Content Manager's save writes the field empty), the draft keeps its date.
      const documentId = params.documentId;
      const kept = await dateOf(documentId, false);
      const result = await next();
      await versions().updateMany({ where: { documentId, publishedAt: null }, data: { firstPublishedAt: kept } });
      return result;
    }
    if (context.action === 'publish' && params?.documentId) {
      const date = (await dateOf(params.documentId, true)) ?? (await dateOf(params.documentId, false)) ?? new Date();
      await versions().updateMany({ where: { documentId: params.documentId, publishedAt: null }, data: { firstPublishedAt: date } });
    }
    return next();
  });
}
