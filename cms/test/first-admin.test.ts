// What a production boot does about the first admin (src/bootstrap/first-admin.ts firstAdminStep), case by case,
// as read from the settings: the refusal of ADMIN_EMAIL without ADMIN_PASSWORD while no admin exists is proved
// here by its rule. The boots that take the other steps for real (no admin: registration shut; created from the
// settings; an admin exists: started without ADMIN_PASSWORD) are tests/integration/first-admin.test.ts's, and the
// real boot the CMS refuses (how a refusal stops Strapi and reaches the operator) is security.test.ts's.
import { describe, expect, it } from 'vitest';
import { firstAdminStep } from '../src/bootstrap/first-admin.ts';
import { cmsSettings } from '../src/settings.ts';
import { generatedSecrets } from './generated-secrets.ts';

const PASSWORD = 'Wq7-first-Boss-Zk3x';

/** The settings a production CMS reads with `env` over its generated secrets: the real reader, not a hand-made object. */
const production = (env: Record<string, string>) => cmsSettings.read({ ...generatedSecrets('production'), ...env });

describe('the first admin at a production boot', () => {
  it('refuses to start with ADMIN_EMAIL but no ADMIN_PASSWORD while no admin exists, saying what to set', () => {
    const step = firstAdminStep(production({ ADMIN_EMAIL: 'Ops@Example.com' }), false);
    expect(step).toEqual({
      do: 'refuse',
      message:
        'No admin exists yet, and ADMIN_EMAIL is set but ADMIN_PASSWORD is not: set ADMIN_PASSWORD (or ADMIN_PASSWORD_FILE) ' +
        'for the first start, so the first admin ops@example.com can be created; it can be removed once they have logged in.',
    });
  });

  it('creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD while none exists (the address in lower case)', () => {
    expect(firstAdminStep(production({ ADMIN_EMAIL: 'Ops@Example.com', ADMIN_PASSWORD: PASSWORD }), false)).toEqual({
      do: 'create',
      email: 'ops@example.com',
      password: PASSWORD,
    });
  });

  it('without either, creates nothing and warns that registration is closed and how the first admin is made', () => {
    const step = firstAdminStep(production({}), false);
    expect(step.do).toBe('warn');
    expect(step.do === 'warn' && step.message).toMatch(
      /^No admin exists yet and ADMIN_EMAIL \/ ADMIN_PASSWORD are not set\. Registration is closed in production.*ADMIN_EMAIL and ADMIN_PASSWORD/,
    );
  });

  it('once an admin exists, reads neither: ADMIN_EMAIL alone, both, or none start the CMS and create nobody', () => {
    const settings: Array<Record<string, string>> = [
      { ADMIN_EMAIL: 'ops@example.com' },
      { ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: PASSWORD },
      {},
    ];
    for (const env of settings) expect(firstAdminStep(production(env), true), JSON.stringify(env)).toEqual({ do: 'nothing' });
  });

  it('in development does nothing (dev-admin.ts makes the local editor account), with or without an admin', () => {
    const development = { ...production({ ADMIN_EMAIL: 'ops@example.com' }), NODE_ENV: 'development' as const };
    expect(firstAdminStep(development, false)).toEqual({ do: 'nothing' });
    expect(firstAdminStep(development, true)).toEqual({ do: 'nothing' });
  });
});
