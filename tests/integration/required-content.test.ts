// Global and the Consultation CTA are on every page: the admin refuses to unpublish, discard or delete them,
// saying why, and they stay published. Editing and publishing them still works. On the run's shared CMS: the
// refusals change nothing, and the publish below sends Global back as it was.
import { beforeAll, describe, expect, it } from 'vitest';
import { UID } from '@agency/shared';
import { TestCms } from '../support/cms.ts';
import { withoutSystemFields } from '../../scripts/stack/cms-admin.ts';

const REQUIRED = [
  { uid: UID.global, name: 'Global' },
  { uid: UID.consultationCta, name: 'the Consultation CTA' },
];

describe('required content (Global, Consultation CTA)', () => {
  let cms: TestCms;
  beforeAll(async () => {
    cms = await TestCms.shared();
  });

  const base = (uid: string) => `/content-manager/single-types/${uid}`;
  const published = async (uid: string) => (await cms.admin('GET', `${base(uid)}?status=published`)).data;

  for (const { uid, name } of REQUIRED) {
    const message = `The site cannot be built without ${name}: edit and publish it instead of removing it.`;
    // The admin API answers 400 with the message in its JSON body, which the admin shows in a notification.
    const refusal = new RegExp(`HTTP 400: .*${message.replace(/[.:]/g, '\\$&')}`);

    it(`refuses to unpublish, discard or delete ${name}, saying why, and it stays published`, async () => {
      const before = await published(uid);
      expect(before.publishedAt).toBeTruthy();

      await expect(cms.admin('POST', `${base(uid)}/actions/unpublish`, {})).rejects.toThrow(refusal);
      await expect(cms.admin('POST', `${base(uid)}/actions/discard`, {})).rejects.toThrow(refusal);
      await expect(cms.admin('DELETE', base(uid))).rejects.toThrow(refusal);

      const after = await published(uid);
      expect(after.documentId).toBe(before.documentId);
      expect(after.publishedAt).toBe(before.publishedAt);
      // The public API (what the site build reads) still has it.
      expect((await cms.rest(`/api/${uid === UID.global ? 'global' : 'consultation-cta'}`)).status).toBe(200);
    });
  }

  it('still lets an editor edit and publish Global', async () => {
    const draft = (await cms.admin('GET', base(UID.global))).data as Record<string, unknown>;
    // The admin's form sends the document back without the fields the Content Manager manages itself.
    const form = withoutSystemFields(draft);
    await cms.admin('POST', `${base(UID.global)}/actions/publish`, form);
    expect((await published(UID.global)).publishedAt).toBeTruthy();
  });
});
