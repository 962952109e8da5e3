// The upload provider setting (cms/src/uploads): local by default, an S3-compatible bucket with UPLOAD_PROVIDER=s3.
// Each case reads a real environment through the CMS's settings reader, then derives what Strapi is given: the
// upload plugin's config, the admin's CSP and the boot log line. Mistakes are refused with the variable's name
// and what to do, and a secret never appears in a message or the log. Uploading to a real bucket is
// tests/integration/uploads-s3.test.ts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsError, type SettingsDefinition, type SettingsSpec } from '@agency/shared/server';

// The CMS is CommonJS, loaded by path so the root type check does not take cms/ in (as configuration-docs.test.ts).
const CMS_SRC = path.resolve(import.meta.dirname, '..', '..', 'cms', 'src');
type Values = Record<string, unknown>;
const { cmsSettings } = (await import(path.join(CMS_SRC, 'settings.ts'))) as { cmsSettings: SettingsDefinition<SettingsSpec> };
const provider = (await import(path.join(CMS_SRC, 'uploads', 'upload-provider.ts'))) as {
  uploadPluginConfig: (s: Values) => { config: { provider: string; providerOptions: Values & { s3Options: Values } } } | undefined;
  describeUploads: (s: Values) => string;
};
const { uploadsSecurity } = (await import(path.join(CMS_SRC, 'uploads', 'upload-csp.ts'))) as {
  uploadsSecurity: (s: Values) => string | { name: string; config: { contentSecurityPolicy: { directives: Record<string, string[]> } } };
};

/** Where the plugin is told files are read from: the start of every uploaded file's url. */
const publicBaseUrl = (s: Values) => provider.uploadPluginConfig(s)?.config.providerOptions.baseUrl;

const { generatedSecrets } = (await import(path.resolve(CMS_SRC, '..', 'test', 'generated-secrets.ts'))) as {
  generatedSecrets: () => Record<string, string>;
};
/** What `npm start` generates, plus the variables under test. */
const env = (vars: Record<string, string> = {}) => ({ ...generatedSecrets(), ...vars });

function refusal(vars: Record<string, string>): SettingsError {
  try {
    cmsSettings.read(env(vars));
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(vars)} to be refused`);
}

const SECRET_KEY = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
const MINIO = {
  UPLOAD_PROVIDER: 's3',
  S3_BUCKET: 'agency-media',
  S3_ENDPOINT: 'http://minio:9000/',
  S3_FORCE_PATH_STYLE: 'true',
  S3_ACCESS_KEY_ID: 'agency-cms',
  S3_SECRET_ACCESS_KEY: SECRET_KEY,
};

describe('upload provider settings', () => {
  it('stores uploads on local disk by default: no provider config, Strapi’s own CSP', () => {
    const s = cmsSettings.read(env());
    expect(s).toMatchObject({
      UPLOAD_PROVIDER: 'local',
      S3_BUCKET: null,
      S3_REGION: 'us-east-1',
      S3_ACL: 'none',
      S3_FORCE_PATH_STYLE: false,
    });
    expect(provider.uploadPluginConfig(s)).toBeUndefined();
    expect(uploadsSecurity(s)).toBe('strapi::security');
    expect(provider.describeUploads(s)).toBe('Uploads: local disk (cms/public/uploads).');
  });

  it('hands MinIO’s settings to @strapi/provider-upload-aws-s3 in its v5 shape, path style', () => {
    const s = cmsSettings.read(env(MINIO));
    expect(provider.uploadPluginConfig(s)).toEqual({
      config: {
        provider: 'aws-s3',
        providerOptions: {
          baseUrl: 'http://minio:9000/agency-media',
          s3Options: {
            region: 'us-east-1',
            endpoint: 'http://minio:9000',
            forcePathStyle: true,
            credentials: { accessKeyId: 'agency-cms', secretAccessKey: SECRET_KEY },
            params: { Bucket: 'agency-media', ACL: undefined },
          },
        },
      },
    });
    const options = provider.uploadPluginConfig(s)!.config.providerOptions.s3Options;
    // Present but undefined: the provider then sends no ACL header (its default would be public-read).
    expect('ACL' in (options.params as Values)).toBe(true);
  });

  it('derives the public address for R2 (virtual-hosted), Amazon S3, and a CDN in S3_PUBLIC_URL', () => {
    const r2 = { UPLOAD_PROVIDER: 's3', S3_BUCKET: 'media', S3_REGION: 'auto', S3_ENDPOINT: 'https://0123abcd.r2.cloudflarestorage.com' };
    expect(publicBaseUrl(cmsSettings.read(env(r2)))).toBe('https://media.0123abcd.r2.cloudflarestorage.com');
    const aws = { UPLOAD_PROVIDER: 's3', S3_BUCKET: 'agency-media', S3_REGION: 'eu-west-3', S3_ACL: 'public-read' };
    const awsSettings = cmsSettings.read(env(aws));
    expect(publicBaseUrl(awsSettings)).toBe('https://agency-media.s3.eu-west-3.amazonaws.com');
    const awsOptions = provider.uploadPluginConfig(awsSettings)!.config.providerOptions.s3Options;
    expect(awsOptions).toMatchObject({ region: 'eu-west-3', params: { Bucket: 'agency-media', ACL: 'public-read' } });
    // No keys: the AWS SDK finds credentials itself (a task or instance role); no endpoint: Amazon S3.
    expect(awsOptions).not.toHaveProperty('credentials');
    expect(awsOptions).not.toHaveProperty('endpoint');
    const cdn = cmsSettings.read(env({ ...r2, S3_PUBLIC_URL: 'https://media.example.com/' }));
    expect(publicBaseUrl(cdn)).toBe('https://media.example.com');
  });

  it('lets the admin load images and media from the bucket’s origin, keeping Strapi’s own sources', () => {
    const security = uploadsSecurity(cmsSettings.read(env({ ...MINIO, S3_PUBLIC_URL: 'https://cdn.example.com/media' })));
    expect(security).not.toBe('strapi::security');
    const directives = (security as Exclude<typeof security, string>).config.contentSecurityPolicy.directives;
    expect(directives['img-src']).toEqual(["'self'", 'data:', 'blob:', 'https://market-assets.strapi.io', 'https://cdn.example.com']);
    expect(directives['media-src']).toEqual(["'self'", 'data:', 'blob:', 'https://cdn.example.com']);
  });

  it('logs where uploads go without a credential', () => {
    const line = provider.describeUploads(cmsSettings.read(env(MINIO)));
    expect(line).toBe('Uploads: bucket "agency-media" at http://minio:9000, served from http://minio:9000/agency-media.');
    expect(line).not.toContain(SECRET_KEY);
    expect(line).not.toContain('agency-cms');
  });

  it('names the missing bucket when s3 is chosen', () => {
    const error = refusal({ UPLOAD_PROVIDER: 's3' });
    expect(error.problems).toEqual([
      'UPLOAD_PROVIDER is s3 but S3_BUCKET is not set: set it to the name of the bucket uploads go to (docs/uploads.md).',
    ]);
  });

  it('refuses a bad provider, bucket name, endpoint, public URL, region and ACL, all in one message', () => {
    const error = refusal({
      UPLOAD_PROVIDER: 'minio',
      S3_BUCKET: 'Agency_Media',
      S3_ENDPOINT: 'minio:9000',
      S3_PUBLIC_URL: 'https://cdn.example.com/?sig=1',
      S3_REGION: 'EU West',
      S3_ACL: 'private',
    });
    expect(error.problems).toEqual([
      'UPLOAD_PROVIDER must be "local" or "s3", not "minio".',
      'S3_BUCKET must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens (such as agency-media), not "Agency_Media".',
      'S3_REGION must be a region name such as eu-west-1 (Cloudflare R2: auto), not "EU West".',
      'S3_ENDPOINT must be an http(s) URL such as http://minio:9000 or https://<account>.r2.cloudflarestorage.com, not "minio:9000".',
      'S3_PUBLIC_URL must be a base URL without a query or fragment, not "https://cdn.example.com/?sig=1".',
      'S3_ACL must be "none" or "public-read", not "private".',
    ]);
    expect(error.message).toMatch(/^CMS: 6 settings need fixing:/);
  });

  it('refuses half a key pair without ever showing the secret', () => {
    const error = refusal({ UPLOAD_PROVIDER: 's3', S3_BUCKET: 'media', S3_SECRET_ACCESS_KEY: SECRET_KEY });
    expect(error.problems).toEqual(['S3_SECRET_ACCESS_KEY is set but S3_ACCESS_KEY_ID is not: set the access key it belongs to.']);
    expect(refusal({ UPLOAD_PROVIDER: 's3', S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'agency-cms' }).problems).toEqual([
      "S3_ACCESS_KEY_ID is set but S3_SECRET_ACCESS_KEY is not: set the access key's secret too.",
    ]);
    // A secret refused on its own is named, never echoed.
    const empty = refusal({ ...MINIO, S3_ENDPOINT: 'ftp://minio', S3_SECRET_ACCESS_KEY: SECRET_KEY });
    expect(empty.message).not.toContain(SECRET_KEY);
  });

  it('refuses bucket settings while uploads would stay on local disk', () => {
    const { UPLOAD_PROVIDER: _local, ...bucketOnly } = MINIO;
    const error = refusal(bucketOnly);
    expect(error.problems).toEqual([
      "S3_BUCKET, S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY are set but UPLOAD_PROVIDER is not s3: uploads would stay on this machine's disk. Set UPLOAD_PROVIDER=s3, or unset them (docs/uploads.md).",
    ]);
    expect(error.message).not.toContain(SECRET_KEY);
  });
});
