// When the bucket cannot be reached or refuses a request (down, wrong keys, no such bucket), Strapi would answer
// the editor's upload with a bare "Internal Server Error". This wraps the S3 provider's calls so the admin gets a
// 503 saying what happened and what to do, and the log a line naming the bucket, the call and the S3 error. The
// upload plugin creates its provider in its own register phase, which runs before the app's (src/index.ts).
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { CmsSettings } from '../settings';

const WRAPPED = ['upload', 'uploadStream', 'delete'] as const;

/**
 * A 503 whose message Strapi's error middleware passes on: it shows an HttpError's message as it is, but only
 * one of its own http-errors copy (Koa's ctx.throw makes another, which it would turn into a bare "Service
 * Unavailable"), and that class cannot be constructed directly, hence the prototype.
 */
function unavailable(message: string, cause: unknown): Error {
  const error = Object.assign(new Error(message, { cause }), { status: 503, statusCode: 503, expose: true });
  Object.setPrototypeOf(error, errors.HttpError.prototype);
  error.name = 'ServiceUnavailableError';
  return error;
}

/** The S3 error's name and code (NoSuchBucket, InvalidAccessKeyId, ECONNREFUSED…), never a credential. */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: string }).code;
  const cause = error.cause instanceof Error ? (error.cause as Error & { code?: string }).code : undefined;
  const names = [error.name, code, cause].filter(
    (part, index, all): part is string => !!part && part !== 'Error' && all.indexOf(part) === index,
  );
  return names.length > 0 ? names.join(' ') : error.message.slice(0, 200);
}

export function explainUploadFailures(
  strapi: Core.Strapi,
  s: Pick<CmsSettings, 'UPLOAD_PROVIDER' | 'S3_BUCKET' | 'S3_ENDPOINT' | 'S3_REGION'>,
): void {
  if (s.UPLOAD_PROVIDER !== 's3') return;
  const where = `bucket "${s.S3_BUCKET}" at ${s.S3_ENDPOINT ?? `Amazon S3 (${s.S3_REGION})`}`;
  const provider = (strapi.plugin('upload') as unknown as { provider: Record<string, unknown> }).provider;
  for (const method of WRAPPED) {
    const original = provider[method];
    if (typeof original !== 'function') continue;
    provider[method] = async (...args: unknown[]) => {
      try {
        return await (original as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (error) {
        const why = reason(error);
        strapi.log.error(
          `Uploads: ${method} in ${where} failed: ${why}. Check that the bucket exists and the CMS reaches it with its keys (docs/uploads.md).`,
        );
        const message =
          method === 'delete'
            ? `The media storage (${where}) could not delete the file (${why}); the file is kept. Try again; if it keeps failing, tell whoever runs the CMS.`
            : `The media storage (${where}) did not take the file (${why}); nothing was saved. Try again; if it keeps failing, tell whoever runs the CMS.`;
        throw unavailable(message, error);
      }
    };
  }
}
