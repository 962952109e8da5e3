// The CMS is closed by default: in production nobody becomes the admin by being first. The first admin comes
// from ADMIN_EMAIL / ADMIN_PASSWORD at boot (tests/integration/security.test.ts: created, logs in), a weak
// password stops the boot, and without those variables /admin/register-admin stays shut, in every spelling
// Strapi's router would take.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCms } from '../support/cms.ts';

const production = (env: Record<string, string>) => TestCms.boot({ env: { NODE_ENV: 'production', ...env } });

describe('the first admin in production', () => {
  it('refuses to start with a weak ADMIN_PASSWORD, saying what a strong one is', async () => {
    for (const [password, why] of [
      ['Sh0rtPass', /at least 12 characters/],
      ['alllowercase-and-long-1', /mix lower case letters, upper case letters and digits/],
      ['MyPassword2024', /looks like a placeholder/],
      ['ChangeMe123456', /looks like a placeholder/],
    ] as const) {
      const boot = production({ ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: password });
      await expect(boot, password).rejects.toThrow(/ADMIN_PASSWORD is too weak for production/);
      await expect(boot, password).rejects.toThrow(why);
      await expect(boot, password).rejects.not.toThrow(password);
    }
  });

  it('refuses ADMIN_EMAIL without ADMIN_PASSWORD while no admin exists, saying what to set', async () => {
    await expect(production({ ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: '' })).rejects.toThrow(
      /No admin exists yet, and ADMIN_EMAIL is set but ADMIN_PASSWORD is not: set ADMIN_PASSWORD \(or ADMIN_PASSWORD_FILE\)/,
    );
  });

  it('needs ADMIN_PASSWORD only until the first admin exists: restarted without it, the CMS starts and the admin logs in', async () => {
    const password = 'Wq7-first-Boss-Zk3x';
    const cms = await production({ ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: password });
    try {
      // The operator removes the first password from the server's settings once the admin exists.
      cms.env.ADMIN_PASSWORD = '';
      await cms.restart();
      const login = await cms.rest('/admin/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ops@example.com', password }),
      });
      expect(login.status).toBe(200);
      expect(login.body.data.token).toBeTruthy();
    } finally {
      await cms.destroy();
    }
  });

  describe('without ADMIN_EMAIL / ADMIN_PASSWORD', () => {
    let cms: TestCms;
    beforeAll(async () => {
      cms = await production({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    });
    afterAll(async () => {
      await cms?.destroy();
    });

    it('has no admin, and keeps /admin/register-admin shut, however it is written: 403 saying how the first admin is made', async () => {
      expect((await cms.rest('/admin/init')).body.data.hasAdmin).toBe(false);
      // Strapi's router takes the first four for the route itself (case, a trailing slash); the guard takes more.
      for (const path of [
        '/admin/register-admin',
        '/admin/register-admin/',
        '/ADMIN/register-admin',
        '/Admin/Register-Admin/',
        '/admin//register-admin',
        '/%61dmin/register-admin',
      ]) {
        const register = await cms.rest(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'first@example.com', password: 'Fr3shGuess0fMine', firstname: 'First', lastname: 'Comer' }),
        });
        expect(register.status, path).toBe(403);
        expect(register.body.error.message).toMatch(/Registration is closed in production.*ADMIN_EMAIL and ADMIN_PASSWORD/);
      }
      expect((await cms.rest('/admin/init')).body.data.hasAdmin).toBe(false);
    });
  });
});
