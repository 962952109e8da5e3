// Which webhook calls rebuild the site: decided by event and uid/model only (Strapi may send entry: null).
import { describe, expect, it } from 'vitest';
import { BadWebhookBody, decide, parseWebhookBody } from '../../scripts/rebuild/webhook-event.ts';

const body = (fields: Record<string, unknown>) => JSON.stringify({ createdAt: '2026-11-27T10:00:00.000Z', entry: null, ...fields });

describe('webhook events', () => {
  it.each([
    ['entry.publish', 'api::article.article', 'article'],
    ['entry.unpublish', 'api::article.article', 'article'],
    ['entry.delete', 'api::consultation-cta.consultation-cta', 'consultation-cta'],
    ['entry.publish', 'api::global.global', 'global'],
    ['media.create', 'plugin::upload.file', 'file'],
    ['media.update', null, 'file'],
    ['media.delete', null, null],
  ])('%s on %s rebuilds', (event, uid, model) => {
    expect(decide(parseWebhookBody(body({ event, uid, model }))).build).toBe(true);
  });

  it('relies on model when uid is missing', () => {
    expect(decide(parseWebhookBody(body({ event: 'entry.publish', model: 'article' }))).build).toBe(true);
  });

  it.each([
    ['entry.create', 'api::article.article', /draft save/],
    ['entry.update', 'api::article.article', /draft save/],
    ['entry.publish', 'api::consultation-request.consultation-request', /not content the site shows/],
    ['entry.publish', 'plugin::users-permissions.user', /not content the site shows/],
    ['review-workflows.updateEntryStage', 'api::article.article', /not an event that changes/],
    ['entry.draft-discard', 'api::article.article', /not an event that changes/],
  ])('%s on %s is ignored, with a reason', (event, uid, reason) => {
    const decision = decide(parseWebhookBody(body({ event, uid })));
    expect(decision.build).toBe(false);
    if (!decision.build) expect(decision.reason).toMatch(reason);
  });

  it("keeps the entry's documentId, for an incremental publish, and null without one", () => {
    const uid = 'api::article.article';
    expect(parseWebhookBody(body({ event: 'entry.publish', uid, entry: { id: 4, documentId: 'k2x9abc' } })).documentId).toBe('k2x9abc');
    expect(parseWebhookBody(body({ event: 'entry.unpublish', uid })).documentId).toBeNull();
    expect(parseWebhookBody(body({ event: 'entry.publish', uid, entry: { id: 4 } })).documentId).toBeNull();
  });

  it.each([
    ['not json', /not JSON/],
    ['[]', /JSON object/],
    ['null', /JSON object/],
    ['{}', /"event" must be/],
    ['{"event": 5}', /"event" must be/],
    ['{"event": "publish"}', /"event" must be/],
    ['{"event": "entry.publish", "uid": 3}', /"uid" must be a string/],
    ['{"event": "entry.publish", "model": {}}', /"model" must be a string/],
    ['{"event": "entry.publish", "entry": "abc"}', /"entry" must be an object or null/],
    ['{"event": "entry.publish", "entry": {"documentId": 7}}', /"entry.documentId" must be a non-empty string/],
    ['{"event": "entry.publish", "entry": {"documentId": ""}}', /"entry.documentId" must be a non-empty string/],
  ])('rejects %s with a reason', (raw, reason) => {
    expect(() => parseWebhookBody(raw)).toThrow(BadWebhookBody);
    expect(() => parseWebhookBody(raw)).toThrow(reason);
  });
});
