// Where the Media Library keeps uploaded files: on this container's disk (local, the default) or in an
// S3-compatible bucket (AWS S3, Cloudflare R2, MinIO…). Local files live on one container's volume, so with
// several CMS replicas a file uploaded through one is missing on the others; a bucket is shared by all of them.
// These variables are part of the CMS's settings (src/settings.ts spreads them in) and of docs/configuration.md;
// docs/uploads.md explains them with examples.
import { choice, flag, httpUrl, secret, text, type Setting, type SettingsOf } from '@agency/shared/server';

/** S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** An optional http(s) base URL whose error message shows an example that fits it (not the CMS's own address). */
function url(example: string, description: string): Setting<string | null> {
  const base = httpUrl(null, description);
  return {
    ...base,
    parse: (raw) => {
      const result = base.parse(raw);
      return 'problem' in result && result.problem.startsWith('must be an http(s) URL')
        ? { problem: `must be an http(s) URL such as ${example}` }
        : result;
    },
  };
}

export const uploadSettingsSpec = {
  UPLOAD_PROVIDER: choice(
    ['local', 's3'],
    'local',
    'Where uploads are stored: local (cms/public/uploads, one machine) or s3 (an S3-compatible bucket every CMS replica shares).',
  ),
  S3_BUCKET: text(null, 'The bucket uploads go to; required with UPLOAD_PROVIDER=s3.', {
    pattern: BUCKET_NAME,
    problem: 'must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens (such as agency-media)',
  }),
  S3_REGION: text('us-east-1', "The bucket's region (Cloudflare R2: auto).", {
    pattern: /^[a-z0-9-]+$/,
    problem: 'must be a region name such as eu-west-1 (Cloudflare R2: auto)',
  }),
  S3_ENDPOINT: url(
    'http://minio:9000 or https://<account>.r2.cloudflarestorage.com',
    "An S3-compatible service's API address (MinIO, Cloudflare R2…); unset: Amazon S3.",
  ),
  S3_FORCE_PATH_STYLE: flag(false, 'Address the bucket as ENDPOINT/BUCKET rather than BUCKET.ENDPOINT (MinIO needs true).'),
  S3_ACCESS_KEY_ID: text(
    null,
    'The access key the CMS writes to the bucket with; unset: the AWS SDK finds credentials itself (an IAM role).',
  ),
  S3_SECRET_ACCESS_KEY: secret({ minLength: 1, required: false }, "The access key's secret (never shown); required with S3_ACCESS_KEY_ID."),
  S3_PUBLIC_URL: url(
    'https://media.example.com',
    "The address files are read from (a CDN or the bucket's public domain); each file's url starts with it. Unset: the bucket's own address.",
  ),
  S3_ACL: choice(
    ['none', 'public-read'],
    'none',
    'none: no ACL is sent (the bucket policy makes objects public: R2, and AWS buckets with ACLs disabled); public-read: each object is made public by its ACL.',
  ),
} as const;

type UploadSettings = SettingsOf<typeof uploadSettingsSpec>;

const SEE = '(docs/uploads.md)';

/** The S3 variables without a default: when one of them has a value, someone meant to use a bucket. */
const OPTIONAL_S3_VARIABLES = ['S3_BUCKET', 'S3_ENDPOINT', 'S3_PUBLIC_URL', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

/**
 * Rules across the upload variables, as sentences a person can act on. S3 variables without UPLOAD_PROVIDER=s3
 * are refused: a replica that silently kept its uploads on its own disk is the failure this setting exists for.
 */
export function checkUploadSettings(values: Partial<UploadSettings>): string[] {
  const problems: string[] = [];
  const s3Variables = OPTIONAL_S3_VARIABLES.filter((name) => typeof values[name] === 'string');
  if (values.UPLOAD_PROVIDER === 'local' && s3Variables.length > 0) {
    problems.push(
      `${s3Variables.join(', ')} ${s3Variables.length === 1 ? 'is' : 'are'} set but UPLOAD_PROVIDER is not s3: uploads would stay on this machine's disk. Set UPLOAD_PROVIDER=s3, or unset ${s3Variables.length === 1 ? 'it' : 'them'} ${SEE}.`,
    );
  }
  if (values.UPLOAD_PROVIDER === 's3' && values.S3_BUCKET === null) {
    problems.push(`UPLOAD_PROVIDER is s3 but S3_BUCKET is not set: set it to the name of the bucket uploads go to ${SEE}.`);
  }
  if (typeof values.S3_ACCESS_KEY_ID === 'string' && values.S3_SECRET_ACCESS_KEY === null) {
    problems.push("S3_ACCESS_KEY_ID is set but S3_SECRET_ACCESS_KEY is not: set the access key's secret too.");
  }
  if (typeof values.S3_SECRET_ACCESS_KEY === 'string' && values.S3_ACCESS_KEY_ID === null) {
    problems.push('S3_SECRET_ACCESS_KEY is set but S3_ACCESS_KEY_ID is not: set the access key it belongs to.');
  }
  return problems;
}
