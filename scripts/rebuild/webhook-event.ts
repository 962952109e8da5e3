// What a Strapi webhook call means for the site. Strapi sends { event, model, uid, entry, createdAt };
// `entry` may be null, so only `event` and `uid`/`model` decide whether to build. The entry's documentId, when
// there is one, lets an article's publish be made incrementally (./publishers.ts). Which content types the site shows is the
// contract's SITE_CONTENT_UIDS (shared/src/content-types.ts).
import { isSiteContentUid, modelName, SITE_CONTENT_UIDS } from '@agency/shared';

/** The model names Strapi also sends (`article`…), for a payload without a uid. */
const SITE_MODELS = new Set<string>(SITE_CONTENT_UIDS.map(modelName));

const ENTRY_EVENTS = new Set(['entry.publish', 'entry.unpublish', 'entry.delete']);
const MEDIA_EVENTS = new Set(['media.create', 'media.update', 'media.delete']);

export type WebhookEvent = {
  event: string;
  model: string | null;
  uid: string | null;
  at: string;
  /** The entry's documentId (Strapi 5), when the payload has one. */
  documentId?: string | null;
};

export type Decision = { build: true; event: WebhookEvent } | { build: false; event: WebhookEvent | null; reason: string };

export class BadWebhookBody extends Error {
  override name = 'BadWebhookBody';
}

/** Validates the shape of a webhook body; throws BadWebhookBody with a reason a person can act on. */
export function parseWebhookBody(raw: string): WebhookEvent {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new BadWebhookBody('the body is not JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadWebhookBody('the body must be a JSON object');
  const { event, model, uid, entry } = body as Record<string, unknown>;
  if (typeof event !== 'string' || !/^[a-z][\w-]*(\.[\w-]+)+$/i.test(event)) {
    throw new BadWebhookBody('"event" must be a Strapi event name such as "entry.publish"');
  }
  if (model !== undefined && model !== null && typeof model !== 'string') throw new BadWebhookBody('"model" must be a string');
  if (uid !== undefined && uid !== null && typeof uid !== 'string') throw new BadWebhookBody('"uid" must be a string');
  if (entry !== undefined && entry !== null && (typeof entry !== 'object' || Array.isArray(entry)))
    throw new BadWebhookBody('"entry" must be an object or null');
  const documentId = (entry as { documentId?: unknown } | null | undefined)?.documentId;
  if (documentId !== undefined && documentId !== null && (typeof documentId !== 'string' || documentId === ''))
    throw new BadWebhookBody('"entry.documentId" must be a non-empty string');
  return {
    event,
    model: (model as string | null | undefined) ?? null,
    uid: (uid as string | null | undefined) ?? null,
    at: new Date().toISOString(),
    documentId: (documentId as string | null | undefined) ?? null,
  };
}

/** Whether an event changes the published site. */
export function decide(event: WebhookEvent): Decision {
  if (MEDIA_EVENTS.has(event.event)) return { build: true, event };
  if (!ENTRY_EVENTS.has(event.event)) {
    const why =
      event.event === 'entry.create' || event.event === 'entry.update'
        ? 'a draft save does not change the published site'
        : 'not an event that changes the published site';
    return { build: false, event, reason: `${event.event}: ${why}` };
  }
  const ours = isSiteContentUid(event.uid) || (!event.uid && event.model !== null && SITE_MODELS.has(event.model));
  if (!ours) return { build: false, event, reason: `${event.uid ?? event.model ?? 'unknown model'} is not content the site shows` };
  return { build: true, event };
}

/** A short label for logs and /status, e.g. "entry.publish api::article.article". */
export const describeEvent = (event: WebhookEvent) => `${event.event} ${event.uid ?? event.model ?? '?'}`;
