// Strapi registers the rebuild webhook in code at every boot: exactly one, kept in step with REBUILD_URL and
// WEBHOOK_TOKEN. How it is registered is read here, on the run's shared CMS (which has REBUILD_URL set). What
// takes restarts with other settings is followed on operations.test.ts's production CMS, which restarts anyway
// (the code is the same in every mode): still one after a restart, updated in place when the settings change,
// removed when REBUILD_URL is unset, in production mode too (where the admin would refuse a localhost URL). REBUILD_URL without WEBHOOK_TOKEN is refused by the settings (cms/test/settings.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { TestCms } from '../support/cms.ts';

const NAME = /^Site rebuild/;

async function rebuildWebhooks(cms: TestCms) {
  const list = await cms.rest('/admin/webhooks', { headers: { authorization: `Bearer ${await cms.adminJwt()}` } });
  expect(list.status).toBe(200);
  return (
    list.body.data as Array<{ name: string; url: string; events: string[]; headers: Record<string, string>; isEnabled: boolean }>
  ).filter((w) => NAME.test(w.name));
}

describe('the rebuild webhook', () => {
  let shared: TestCms;
  beforeAll(async () => {
    // In a hook, not the test: the first file to ask waits for the run's template and shared CMS to boot.
    shared = await TestCms.shared();
  });

  it('is registered once, with the publishing events and the token as a bearer header', async () => {
    const hooks = await rebuildWebhooks(shared);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      url: shared.env.REBUILD_URL,
      isEnabled: true,
      headers: { Authorization: `Bearer ${shared.env.WEBHOOK_TOKEN}` },
    });
    expect([...hooks[0]!.events].sort()).toEqual([
      'entry.delete',
      'entry.publish',
      'entry.unpublish',
      'media.create',
      'media.delete',
      'media.update',
    ]);
  });
});
