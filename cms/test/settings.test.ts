// The CMS's settings (src/settings.ts): what a fresh install reads, what it refuses, and how it says so.
// Each refusal is checked here, by the rule; booting Strapi with bad settings is checked once per kind of refusal in
// tests/integration: security.test.ts for whatever this reader refuses (variables, and the same way secret files,
// which compose.test.ts and operations.test.ts read through it, and the upload settings, tests/unit/uploads-settings.test.ts);
// the refusal that depends on the database (ADMIN_EMAIL without ADMIN_PASSWORD while no admin exists) is a rule too,
// cms/test/first-admin.test.ts, which the boots of tests/integration/operations.test.ts apply.
import { SettingsError } from '@agency/shared/server';
import { describe, expect, it } from 'vitest';
import { launchNodeEnv } from '../src/launch-env.ts';
import { cmsSettings, confirmationsOn, databaseClient } from '../src/settings.ts';
import { generatedSecrets as generated, secret } from './generated-secrets.ts';

function problems(env: Record<string, string>): readonly string[] {
  try {
    cmsSettings.read(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe('CMS settings', () => {
  it('needs only the generated secrets; everything else has a default', () => {
    const env = generated();
    const settings = cmsSettings.read(env);
    expect(settings).toMatchObject({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 1337,
      PUBLIC_URL: null,
      APP_KEYS: env.APP_KEYS.split(','),
      DATABASE_CLIENT: null,
      DATABASE_FILENAME: '.tmp/data.db',
      SITE_URL: 'http://127.0.0.1:4321',
      CORS_ORIGINS: null,
      CONSULTATION_RATE_LIMIT: 5,
      CONSULTATION_RATE_WINDOW_MS: 600_000,
      SEED_ON_START: true,
      REBUILD_URL: null,
      WEBHOOK_TOKEN: null,
      PREVIEW_URL: null,
    });
    expect(databaseClient(settings)).toBe('sqlite');
  });

  it('documents every variable it reads', () => {
    for (const [name, setting] of Object.entries(cmsSettings.spec)) expect(setting.description, name).toMatch(/\S.{10,}/);
    expect(Object.keys(cmsSettings.spec)).toEqual(
      expect.arrayContaining(['APP_KEYS', 'DATABASE_URL', 'CORS_ORIGINS', 'PREVIEW_TOKEN', 'NODE_ENV']),
    );
  });

  it('refuses missing and placeholder secrets, all in one message that says what to do and shows no value', () => {
    const env = { ...generated(), APP_KEYS: 'toBeModified1,toBeModified2', JWT_SECRET: 'change-me-please', API_TOKEN_SALT: '' };
    delete (env as Record<string, string>).ENCRYPTION_KEY;
    let error: unknown;
    try {
      cmsSettings.read(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const message = (error as Error).message;
    expect((error as SettingsError).problems).toEqual([
      'APP_KEYS is missing or is a placeholder, its value is not shown.',
      'API_TOKEN_SALT is missing or is a placeholder, it is not set.',
      'JWT_SECRET is missing or is a placeholder, its value is not shown.',
      'ENCRYPTION_KEY is missing or is a placeholder, it is not set.',
    ]);
    expect(message).toMatch(/^CMS: 4 settings need fixing:\n/);
    // The advice comes once, after the list.
    expect(message.match(/Run `npm start` once to generate the root \.env/g)).toHaveLength(1);
    expect(message).not.toContain('toBeModified');
    expect(message).not.toContain('change-me-please');
  });

  it('refuses a secret shorter than 16 characters', () => {
    expect(problems({ ...generated(), ADMIN_JWT_SECRET: 'short-but-real' })).toEqual([
      'ADMIN_JWT_SECRET must be at least 16 characters long, its value is not shown.',
    ]);
    expect(problems({ ...generated(), APP_KEYS: `${secret()},abc` })).toEqual([
      'APP_KEYS must list secrets of at least 16 characters each, separated by commas, its value is not shown.',
    ]);
  });

  it('names a bad value, with credentials redacted', () => {
    expect(problems({ ...generated(), PORT: '80800', NODE_ENV: 'prod', DATABASE_URL: 'mysql://root:hunter2@db/strapi' })).toEqual([
      'NODE_ENV must be "development" or "production" or "test", not "prod".',
      'PORT must be a port number from 1 to 65535, not "80800".',
      'DATABASE_URL must be a postgres:// connection URL, not "mysql://***@db/strapi".',
    ]);
  });

  it('reads the consultation rate limit, within bounds', () => {
    expect(cmsSettings.read({ ...generated(), CONSULTATION_RATE_LIMIT: ' 20 ', CONSULTATION_RATE_WINDOW_MS: '60000' })).toMatchObject({
      CONSULTATION_RATE_LIMIT: 20,
      CONSULTATION_RATE_WINDOW_MS: 60_000,
    });
    expect(problems({ ...generated(), CONSULTATION_RATE_LIMIT: '0', CONSULTATION_RATE_WINDOW_MS: '1.5' })).toEqual([
      'CONSULTATION_RATE_LIMIT must be a whole number from 1 to 10000, not "0".',
      'CONSULTATION_RATE_WINDOW_MS must be a whole number of milliseconds from 1000 to 86400000, not "1.5".',
    ]);
  });

  it('counts IPv6 /48 networks and recipient addresses too, each with its own limit', () => {
    expect(cmsSettings.read(generated())).toMatchObject({ CONSULTATION_RATE_LIMIT_NETWORK: 20, CONSULTATION_RATE_LIMIT_EMAIL: 5 });
    expect(problems({ ...generated(), CONSULTATION_RATE_LIMIT_NETWORK: '0', CONSULTATION_RATE_LIMIT_EMAIL: 'five' })).toEqual([
      'CONSULTATION_RATE_LIMIT_NETWORK must be a whole number from 1 to 100000, not "0".',
      'CONSULTATION_RATE_LIMIT_EMAIL must be a whole number from 1 to 10000, not "five".',
    ]);
  });

  it('sends readers no confirmation mail in production unless LEADS_CONFIRM says so (anyone can type any address)', () => {
    const production = { ...generated(), NODE_ENV: 'production' };
    expect(cmsSettings.read(production).LEADS_CONFIRM).toBeNull();
    expect(confirmationsOn(cmsSettings.read(production))).toBe(false);
    expect(confirmationsOn(cmsSettings.read({ ...production, LEADS_CONFIRM: 'true' }))).toBe(true);
    // Outside production a local stack shows the whole flow, unless turned off.
    expect(confirmationsOn(cmsSettings.read(generated()))).toBe(true);
    expect(confirmationsOn(cmsSettings.read({ ...generated(), LEADS_CONFIRM: 'no' }))).toBe(false);
    expect(cmsSettings.read(generated()).LEADS_CONFIRM_PER_HOUR).toBe(20);
    expect(problems({ ...generated(), LEADS_CONFIRM: 'maybe', LEADS_CONFIRM_PER_HOUR: '0' })).toEqual([
      'LEADS_CONFIRM must be true or false, not "maybe".',
      'LEADS_CONFIRM_PER_HOUR must be a whole number from 1 to 10000, not "0".',
    ]);
  });

  it('caps uploads at 50 MB unless UPLOAD_MAX_BYTES says otherwise, in bytes', () => {
    expect(cmsSettings.read(generated()).UPLOAD_MAX_BYTES).toBe(52_428_800);
    expect(cmsSettings.read({ ...generated(), UPLOAD_MAX_BYTES: '209715200' }).UPLOAD_MAX_BYTES).toBe(209_715_200);
    expect(problems({ ...generated(), UPLOAD_MAX_BYTES: '50MB' })).toEqual([
      'UPLOAD_MAX_BYTES must be a whole number of bytes from 1024 to 10737418240, not "50MB".',
    ]);
  });

  it('selects Postgres when DATABASE_URL is set, and needs a real DATABASE_PASSWORD for Postgres in production', () => {
    const url = cmsSettings.read({ ...generated(), DATABASE_URL: 'postgres://strapi:pw@db:5432/strapi' });
    expect(databaseClient(url)).toBe('postgres');
    expect(cmsSettings.read({ ...generated(), DATABASE_CLIENT: 'postgres' }).DATABASE_PASSWORD).toBeNull(); // development: fine
    for (const password of [undefined, 'change-me']) {
      expect(
        problems({
          ...generated(),
          NODE_ENV: 'production',
          DATABASE_CLIENT: 'postgres',
          ...(password ? { DATABASE_PASSWORD: password } : {}),
        }),
      ).toEqual([
        "DATABASE_PASSWORD is missing or is a placeholder: in production, set it to the Postgres user's password (docs/configuration.md).",
      ]);
    }
    expect(problems({ ...generated(), NODE_ENV: 'production', DATABASE_CLIENT: 'postgres', DATABASE_PASSWORD: 'a-real-password' })).toEqual(
      [],
    );
  });

  it('needs WEBHOOK_TOKEN with REBUILD_URL, and both preview secrets with PREVIEW_URL', () => {
    expect(problems({ ...generated(), REBUILD_URL: 'http://127.0.0.1:4322/hooks/strapi' })).toEqual([
      'REBUILD_URL is set but WEBHOOK_TOKEN is not: the rebuild service would refuse every call. Set WEBHOOK_TOKEN (npm start generates it into .env).',
    ]);
    expect(problems({ ...generated(), PREVIEW_URL: 'http://127.0.0.1:4323', PREVIEW_SECRET: secret() })).toEqual([
      'PREVIEW_URL is set but PREVIEW_TOKEN is not: set it to a secret of at least 16 characters (npm start generates it into .env).',
    ]);
    // A placeholder token is reported once, as a placeholder, not also as missing.
    expect(problems({ ...generated(), REBUILD_URL: 'http://127.0.0.1:4322/hooks/strapi', WEBHOOK_TOKEN: 'change-me' })).toEqual([
      'WEBHOOK_TOKEN is missing or is a placeholder, its value is not shown.',
    ]);
  });

  it('takes PREVIEW_URL as an origin only', () => {
    const env = { ...generated(), PREVIEW_SECRET: secret(), PREVIEW_TOKEN: secret() };
    expect(cmsSettings.read({ ...env, PREVIEW_URL: 'http://127.0.0.1:4323/' }).PREVIEW_URL).toBe('http://127.0.0.1:4323');
    expect(problems({ ...env, PREVIEW_URL: 'http://127.0.0.1:4323/preview' })).toEqual([
      'PREVIEW_URL must be the preview server\'s origin without a path, such as http://127.0.0.1:4323, not "http://127.0.0.1:4323/preview".',
    ]);
  });

  it('refuses NODE_ENV unset, saying what to set: a server must say production (no sandbox, introspection or dev admin)', () => {
    const { NODE_ENV: _, ...unset } = generated();
    expect(problems(unset)).toEqual(['NODE_ENV must be set to "production" or "development", it is not set.']);
    try {
      cmsSettings.read(unset);
    } catch (error) {
      expect((error as Error).message).toMatch(/Set NODE_ENV=production on a server \(the CMS image does\)/);
    }
    expect(problems({ ...generated(), NODE_ENV: 'staging' })).toEqual([
      'NODE_ENV must be "development" or "production" or "test", not "staging".',
    ]);
  });

  it('takes NODE_ENV as the process was started with, not as Strapi rewrote it', () => {
    // Strapi writes NODE_ENV=development into process.env when it is unset; /proc/self/environ still lacks it.
    expect(launchNodeEnv('PATH=/usr/bin\0HOME=/app\0', 'development', ['node', 'strapi.js', 'start'])).toBeUndefined();
    expect(launchNodeEnv('PATH=/usr/bin\0NODE_ENV=production\0', 'production', ['node', 'strapi.js', 'start'])).toBe('production');
    expect(launchNodeEnv('NODE_ENV=development\0', 'development', ['node', 'strapi.js', 'start'])).toBe('development');
    // `strapi develop` is development by definition; a script that set another value before loading Strapi meant it.
    expect(launchNodeEnv('PATH=/usr/bin\0', 'development', ['node', 'strapi.js', 'develop'])).toBe('development');
    expect(launchNodeEnv('PATH=/usr/bin\0', 'test', ['node', 'seed.mts'])).toBe('test');
    // Where the initial environment cannot be read (not Linux), process.env is all there is.
    expect(launchNodeEnv(null, 'development', ['node', 'strapi.js', 'start'])).toBe('development');
  });

  it('refuses a weak ADMIN_PASSWORD in production, saying what a strong one is and never showing it', () => {
    const production = { ...generated(), NODE_ENV: 'production', ADMIN_EMAIL: 'ops@example.com' };
    for (const [password, why] of [
      ['Sh0rtPass', 'it must be at least 12 characters long'],
      ['alllowercase-and-long-1', 'it must mix lower case letters, upper case letters and digits'],
      ['MyPassword2024', 'it looks like a placeholder; use a long random password (npm start generates one into .env)'],
      ['ChangeMe123456', 'it looks like a placeholder; use a long random password (npm start generates one into .env)'],
    ] as const) {
      expect(problems({ ...production, ADMIN_PASSWORD: password }), password).toEqual([
        `ADMIN_PASSWORD is too weak for production: ${why}.`,
      ]);
      let message = '';
      try {
        cmsSettings.read({ ...production, ADMIN_PASSWORD: password });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, password).toMatch(/ADMIN_PASSWORD is too weak for production/);
      expect(message, password).not.toContain(password);
    }
    // A strong one passes; in development the local editor's password is not held to the production rule.
    expect(problems({ ...production, ADMIN_PASSWORD: 'Wq7-first-Boss-Zk3x' })).toEqual([]);
    expect(problems({ ...generated(), ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'Sh0rtPass' })).toEqual([]);
  });

  it('reads ADMIN_EMAIL alone (the first admin exists: the password is no longer needed), never ADMIN_PASSWORD alone', () => {
    expect(problems({ ...generated(), NODE_ENV: 'production', ADMIN_EMAIL: 'ops@example.com' })).toEqual([]);
    expect(problems({ ...generated(), NODE_ENV: 'production', ADMIN_PASSWORD: 'Wq7-first-Boss-Zk3x' })).toEqual([
      'ADMIN_PASSWORD is set but ADMIN_EMAIL is not: in production, set ADMIN_EMAIL too to create the first admin.',
    ]);
  });
});
