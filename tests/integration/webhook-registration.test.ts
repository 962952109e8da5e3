// Strapi registers the rebuild webhook in code at every boot: exactly one, kept in step with REBUILD_URL and
// WEBHOOK_TOKEN, in production mode too (where the admin would refuse a localhost URL).
import { afterAll, describe, expect, it } from 'vitest';
import { TestCms } from '../support/cms.ts';

const NAME = /^Site rebuild/;

async function rebuildWebhooks(cms: TestCms) {
  const list = await cms.rest('/admin/webhooks', { headers: { authorization: `Bearer ${await adminToken(cms)}` } });
  expect(list.status).toBe(200);
  return (
    list.body.data as Array<{ name: string; url: string; events: string[]; headers: Record<string, string>; isEnabled: boolean }>
  ).filter((w) => NAME.test(w.name));
}

async function adminToken(cms: TestCms): Promise<string> {
  const login = await cms.rest('/admin/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: cms.env.ADMIN_EMAIL, password: cms.env.ADMIN_PASSWORD }),
  });
  return login.body.data.token;
}

describe('the rebuild webhook', () => {
  let cms: TestCms | undefined;
  afterAll(async () => {
    await cms?.destroy();
  });

  it('is registered once, updated when its settings change, and removed when REBUILD_URL is unset', async () => {
    cms = await TestCms.boot({ env: { REBUILD_URL: 'http://127.0.0.1:4999/hooks/strapi', WEBHOOK_TOKEN: 'first-token-0123456789' } });
    let hooks = await rebuildWebhooks(cms);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      url: 'http://127.0.0.1:4999/hooks/strapi',
      isEnabled: true,
      headers: { Authorization: 'Bearer first-token-0123456789' },
    });
    expect([...hooks[0]!.events].sort()).toEqual([
      'entry.delete',
      'entry.publish',
      'entry.unpublish',
      'media.create',
      'media.delete',
      'media.update',
    ]);

    await cms.restart();
    expect(await rebuildWebhooks(cms)).toHaveLength(1);

    cms.env.REBUILD_URL = 'http://127.0.0.1:5000/hooks/strapi';
    cms.env.WEBHOOK_TOKEN = 'second-token-0123456789';
    await cms.restart();
    hooks = await rebuildWebhooks(cms);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      url: 'http://127.0.0.1:5000/hooks/strapi',
      headers: { Authorization: 'Bearer second-token-0123456789' },
    });

    delete cms.env.REBUILD_URL;
    await cms.restart();
    expect(await rebuildWebhooks(cms)).toHaveLength(0);
  });

  it('refuses to start with REBUILD_URL but no WEBHOOK_TOKEN, saying what to set', async () => {
    await expect(TestCms.boot({ env: { REBUILD_URL: 'http://127.0.0.1:4999/hooks/strapi', WEBHOOK_TOKEN: '' } })).rejects.toThrow(
      /REBUILD_URL is set but WEBHOOK_TOKEN is not/,
    );
  });

  it('is registered in production mode too, with a localhost URL', async () => {
    const prod = await TestCms.boot({
      env: { NODE_ENV: 'production', REBUILD_URL: 'http://127.0.0.1:4999/hooks/strapi', WEBHOOK_TOKEN: 'prod-token-0123456789' },
    });
    try {
      // In production the first admin comes from ADMIN_EMAIL / ADMIN_PASSWORD too (registration is shut).
      expect((await prod.rest('/admin/init')).body.data.hasAdmin).toBe(true);
      const hooks = await rebuildWebhooks(prod);
      expect(hooks).toHaveLength(1);
      expect(hooks[0]!.url).toBe('http://127.0.0.1:4999/hooks/strapi');
    } finally {
      await prod.destroy();
    }
  });
});
