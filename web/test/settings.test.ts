// The settings web/ reads (src/settings.ts): defaults, validation, wording, and the CMS client configuration
// derived from them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cmsConfig } from '../src/cms/client.ts';
import { CmsError } from '../src/cms/errors.ts';
import { previewServerSettings, readSettings, readSiteBuildSettings, siteBuildSettings } from '../src/settings.ts';

const config = (env: Record<string, string>) => cmsConfig(readSettings(siteBuildSettings, env));

function thrown(run: () => unknown): CmsError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CmsError);
    return error as CmsError;
  }
  throw new Error('expected a CmsError');
}

describe('the site build settings', () => {
  it('default to the local Strapi, no token, a 30 s timeout, the local site URL, ./dist and Astro’s usual cache, images from the CMS only (30 s, 50 MB)', () => {
    expect(readSettings(siteBuildSettings, {})).toEqual({
      CMS_URL: 'http://127.0.0.1:1337',
      CMS_TOKEN: null,
      CMS_TIMEOUT_MS: 30_000,
      PUBLIC_CMS_URL: null,
      SITE_URL: 'http://127.0.0.1:4321',
      SITE_OUT_DIR: './dist',
      SITE_CACHE_DIR: './node_modules/.astro',
      SITE_BUILD_REPORT: null,
      IMAGE_HOSTS: null,
      IMAGE_TIMEOUT_MS: 30_000,
      IMAGE_MAX_BYTES: 50 * 1024 * 1024,
    });
    expect(config({})).toEqual({ url: 'http://127.0.0.1:1337', endpoint: 'http://127.0.0.1:1337/graphql', token: null, timeoutMs: 30_000 });
  });

  it('read CMS_URL (dropping trailing slashes), CMS_TOKEN and CMS_TIMEOUT_MS', () => {
    expect(config({ CMS_URL: 'https://cms.example.com/', CMS_TOKEN: ' abc ', CMS_TIMEOUT_MS: '5000' })).toEqual({
      url: 'https://cms.example.com',
      endpoint: 'https://cms.example.com/graphql',
      token: 'abc',
      timeoutMs: 5000,
    });
    expect(config({ CMS_URL: 'http://host:8080/strapi//' }).endpoint).toBe('http://host:8080/strapi/graphql');
    expect(config({ CMS_URL: '  ', CMS_TOKEN: '' })).toMatchObject({ url: 'http://127.0.0.1:1337', token: null });
  });

  it.each(['localhost:1337', 'ftp://cms.example.com', 'not a url', 'http://user:pw@cms', 'http://cms/?x=1'])(
    'reject CMS_URL=%j with a clear config error',
    (url) => {
      const error = thrown(() => readSettings(siteBuildSettings, { CMS_URL: url }));
      expect(error).toMatchObject({ name: 'CmsError', kind: 'config' });
      expect(error.message).toMatch(/^CMS_URL must/);
      // The URL is quoted back, except any credentials in it: messages reach logs and the public /status.
      expect(error.message).toContain(url.replace('user:pw@', '***@'));
      expect(error.message).not.toContain('user:pw');
    },
  );

  it('reject a timeout that is not a positive whole number of milliseconds', () => {
    expect(thrown(() => readSettings(siteBuildSettings, { CMS_TIMEOUT_MS: 'soon' })).message).toBe(
      'CMS_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000, not "soon".',
    );
    expect(() => readSettings(siteBuildSettings, { CMS_TIMEOUT_MS: '0' })).toThrow(CmsError);
  });

  it('name every bad variable at once, never showing the token', () => {
    const error = thrown(() => readSettings(siteBuildSettings, { CMS_URL: 'nope', SITE_URL: 'also nope', CMS_TIMEOUT_MS: '-1' }));
    expect(error.message).toMatch(/^site build: 3 settings need fixing:\n/);
    for (const name of ['CMS_URL', 'SITE_URL', 'CMS_TIMEOUT_MS']) expect(error.message).toContain(`  - ${name} must`);
  });

  it('write a bad setting to the build report, since the build stops before anything else could', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'web-settings-')), 'report.json');
    expect(() => readSiteBuildSettings({ CMS_URL: 'localhost:1337', SITE_BUILD_REPORT: file })).toThrow(CmsError);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      ok: false,
      error: { kind: 'config', message: 'CMS_URL must be an http(s) URL such as http://127.0.0.1:1337, not "localhost:1337".' },
    });
  });
});

describe('the preview server settings', () => {
  it('leave the preview token and secret unset rather than failing, so the server still builds', () => {
    expect(readSettings(previewServerSettings, {})).toMatchObject({
      PREVIEW_TOKEN: null,
      PREVIEW_SECRET: null,
      HOST: 'localhost',
      PORT: 4321,
    });
  });

  it('refuse a short token or secret without showing it', () => {
    const error = thrown(() => readSettings(previewServerSettings, { PREVIEW_TOKEN: 'short-token', PREVIEW_SECRET: 'short-secret' }));
    expect(error.kind).toBe('config');
    expect(error.message).toContain(
      'PREVIEW_TOKEN must be a secret of at least 16 characters (npm start generates it into .env), its value is not shown.',
    );
    expect(error.message).toContain('PREVIEW_SECRET must be');
    expect(error.message).not.toContain('short-token');
    expect(error.message).not.toContain('short-secret');
  });

  it('share the CMS variables with the site build', () => {
    for (const name of Object.keys(siteBuildSettings.spec).filter(
      (name) => name.startsWith('CMS_') || name === 'PUBLIC_CMS_URL' || name === 'SITE_URL',
    )) {
      expect(previewServerSettings.spec).toHaveProperty(name);
    }
  });
});
