// Which publishes the rebuild service makes incrementally (scripts/rebuild/publishers.ts incrementalScope):
// only a batch of article publishes, unpublishes and deletes that each name their entry; anything else, or any
// batch with something else in it, is a full build.
import { describe, expect, it } from 'vitest';
import { UID } from '@agency/shared';
import { incrementalScope } from '../../scripts/rebuild/publishers.ts';
import type { WebhookEvent } from '../../scripts/rebuild/webhook-event.ts';

const at = '2026-11-29T10:00:00.000Z';
const article = (event: string, documentId: string | null): WebhookEvent => ({ event, uid: UID.article, model: 'article', at, documentId });

describe('incremental scope', () => {
  it('takes article publishes, unpublishes and deletes that name their entry, each article once', () => {
    expect(incrementalScope([article('entry.publish', 'a1'), article('entry.unpublish', 'b2'), article('entry.delete', 'a1')])).toEqual([
      'a1',
      'b2',
    ]);
    // Strapi may send the model name without the uid.
    expect(incrementalScope([{ event: 'entry.publish', uid: null, model: 'article', at, documentId: 'c3' }])).toEqual(['c3']);
  });

  it('builds in full for anything else in the batch: another type, media, the start, an entry not named', () => {
    const global: WebhookEvent = { event: 'entry.publish', uid: UID.global, model: 'global', at, documentId: 'g1' };
    const media: WebhookEvent = { event: 'media.update', uid: 'plugin::upload.file', model: 'file', at, documentId: 'f1' };
    const start: WebhookEvent = { event: 'start', uid: null, model: null, at };
    for (const other of [global, media, start, article('entry.publish', null)])
      expect(incrementalScope([article('entry.publish', 'a1'), other]), other.event).toBeNull();
    expect(incrementalScope([])).toBeNull();
  });
});
