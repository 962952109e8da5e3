// The upload plugin's provider, from the settings (src/uploads/upload-settings.ts): nothing for local (Strapi's
// own provider, files under cms/public/uploads), @strapi/provider-upload-aws-s3 for a bucket. Strapi resolves
// `provider: 'aws-s3'` to the package `@strapi/provider-upload-aws-s3`. The public base URL is always computed
// here rather than left to the provider (which trusts whatever Location the service answers), so every file's
// `url` is predictable and the admin's CSP (config/middlewares.ts) can allow exactly its origin.
import type { CmsSettings } from '../settings';

type UploadSettings = Pick<
  CmsSettings,
  | 'UPLOAD_PROVIDER'
  | 'S3_BUCKET'
  | 'S3_REGION'
  | 'S3_ENDPOINT'
  | 'S3_FORCE_PATH_STYLE'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_PUBLIC_URL'
  | 'S3_ACL'
>;

/**
 * Where uploaded files are read from, without a trailing slash: S3_PUBLIC_URL; else the bucket on its endpoint
 * (path style: ENDPOINT/BUCKET, else BUCKET.ENDPOINT-HOST); else Amazon S3's virtual-hosted address. Null for local.
 */
function uploadPublicBaseUrl(s: UploadSettings): string | null {
  if (s.UPLOAD_PROVIDER !== 's3' || s.S3_BUCKET === null) return null;
  if (s.S3_PUBLIC_URL) return s.S3_PUBLIC_URL;
  if (s.S3_ENDPOINT) {
    const endpoint = new URL(s.S3_ENDPOINT);
    if (s.S3_FORCE_PATH_STYLE) return `${s.S3_ENDPOINT}/${s.S3_BUCKET}`;
    return `${endpoint.protocol}//${s.S3_BUCKET}.${endpoint.host}${endpoint.pathname.replace(/\/+$/, '')}`;
  }
  return `https://${s.S3_BUCKET}.s3.${s.S3_REGION}.amazonaws.com`;
}

/** The origin the admin loads uploaded images from, for its CSP; null when they are served by the CMS itself. */
export function uploadOrigin(s: UploadSettings): string | null {
  const base = uploadPublicBaseUrl(s);
  return base === null ? null : new URL(base).origin;
}

/** The `upload` entry of config/plugins.ts: undefined for local (Strapi's default provider). */
export function uploadPluginConfig(s: UploadSettings) {
  const baseUrl = uploadPublicBaseUrl(s);
  if (baseUrl === null) return undefined;
  return {
    config: {
      provider: 'aws-s3',
      providerOptions: {
        baseUrl,
        s3Options: {
          region: s.S3_REGION,
          ...(s.S3_ENDPOINT ? { endpoint: s.S3_ENDPOINT } : {}),
          forcePathStyle: s.S3_FORCE_PATH_STYLE,
          // Without keys the AWS SDK looks for credentials itself (AWS_* variables, an instance or task role).
          ...(s.S3_ACCESS_KEY_ID && s.S3_SECRET_ACCESS_KEY
            ? { credentials: { accessKeyId: s.S3_ACCESS_KEY_ID, secretAccessKey: s.S3_SECRET_ACCESS_KEY } }
            : {}),
          // ACL present but undefined: the provider sends none (its own default would be public-read, which
          // buckets with ACLs disabled, the default on AWS since 2023, and R2 refuse).
          params: { Bucket: s.S3_BUCKET, ACL: s.S3_ACL === 'public-read' ? 'public-read' : undefined },
        },
      },
    },
  };
}

/** One line for the log at boot: where uploads go, never a credential. */
export function describeUploads(s: UploadSettings): string {
  if (s.UPLOAD_PROVIDER === 'local') return 'Uploads: local disk (cms/public/uploads).';
  const endpoint = s.S3_ENDPOINT ?? `Amazon S3 (${s.S3_REGION})`;
  return `Uploads: bucket "${s.S3_BUCKET}" at ${endpoint}, served from ${uploadPublicBaseUrl(s)}.`;
}
