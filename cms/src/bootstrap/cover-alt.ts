// An article's cover needs a description for readers who cannot see it (screen readers, images off). The
// rule is checked when the editor saves, not only at publish: the draft with a cover and no description is
// refused at once, with the field named, so nobody finds out days later when they try to publish.
// The site's contract checks the same rule (COVER_ALT_REQUIRED in shared/src/content.ts).
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { COVER_ALT_REQUIRED, UID } from '@agency/shared';

const WRITE_ACTIONS = new Set(['create', 'update']);

type ArticleData = { cover?: unknown; coverAlt?: unknown };

/** A media field's value in a write: null, [], '' and { id: null }-like empties mean "no image". */
function hasImage(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.some(hasImage);
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // The admin's relation format for media: { set: [...] }, { connect: [...] }, or the file itself ({ id, … }).
    if ('set' in record) return hasImage(record.set);
    if ('connect' in record || 'disconnect' in record) return hasImage(record.connect);
    return record.id !== null && record.id !== undefined;
  }
  return true; // an id or documentId
}

const hasText = (value: unknown) => typeof value === 'string' && value.trim() !== '';

export function registerCoverAltRule(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== UID.article || !WRITE_ACTIONS.has(context.action)) return next();
    const params = context.params as { documentId?: string; data?: ArticleData } | undefined;
    const data = params?.data ?? {};
    // A write that leaves a field out keeps its current value: read the draft for what the write does not say.
    let current: ArticleData = {};
    if (context.action === 'update' && params?.documentId && (!('cover' in data) || !('coverAlt' in data))) {
      current = ((await strapi.documents(UID.article).findOne({ documentId: params.documentId, status: 'draft', populate: ['cover'] })) ??
        {}) as ArticleData;
    }
    const cover = 'cover' in data ? data.cover : current.cover;
    const coverAlt = 'coverAlt' in data ? data.coverAlt : current.coverAlt;
    if (hasImage(cover) && !hasText(coverAlt)) {
      throw new errors.ValidationError(`Cover image description (coverAlt) ${COVER_ALT_REQUIRED}.`, {
        errors: [{ path: ['coverAlt'], message: `Cover image description ${COVER_ALT_REQUIRED}.`, name: 'ValidationError' }],
      });
    }
    return next();
  });
}
