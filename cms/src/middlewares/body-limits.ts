// Request bodies, before Strapi's strapi::body parses them (config/middlewares.ts lists this first):
// - the content API (/api, /graphql) takes small bodies only: a declared Content-Length up to 100 KB, and
//   no body of unknown length (411): the form and the site's queries are a few KB;
// - multipart (file uploads) only on the admin's upload routes (/upload…); anywhere else 415, refused before
//   anything is written to disk;
// - a body on an upload route is read only for an admin: without valid credentials it is refused (401) before a
//   byte of it is read (Strapi itself authenticates after parsing it), and it must declare its length, at most
//   UPLOAD_MAX_BYTES (411, 413);
// - the temporary files of an upload are removed when the request ends, failed ones included (strapi::body
//   removes them only after a successful request).
// Paths are compared as Strapi's router compares them, and wider (@agency/shared/server's route-path.ts):
// `/API/…`, `/api//…` and `/Upload/` are guarded like `/api/…` and `/upload`.
// A refusal here leaves the body unread and closes the connection without reading it (@agency/shared/server's closeWithoutReading).
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Core } from '@strapi/strapi';
import { formatBytes } from '@agency/shared';
import { closeWithoutReading, isUnder } from '@agency/shared/server';
import { hasAdminCredentials } from '../http/admin-credentials';
import { settings } from '../settings';

const CONTENT_API_BODY_LIMIT = 100 * 1024;

type Ctx = {
  req: IncomingMessage;
  method: string;
  path: string;
  get: (header: string) => string;
  set: (name: string, value: string) => void;
  is: (...types: string[]) => string | false | null;
  status: number;
  body: unknown;
  request: { header: Record<string, unknown>; files?: Record<string, unknown> };
};

const isContentApi = (path: string) => isUnder(path, '/api') || isUnder(path, '/graphql');
const isUpload = (path: string) => isUnder(path, '/upload');

function refuse(ctx: Ctx, status: number, name: string, message: string): void {
  closeWithoutReading(ctx.req, (name, value) => ctx.set(name, value));
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details: {} } };
}

function uploadedPaths(files: Record<string, unknown> | undefined): string[] {
  const paths: string[] = [];
  for (const value of Object.values(files ?? {})) {
    for (const file of Array.isArray(value) ? value : [value]) {
      const filepath = (file as { filepath?: unknown } | null)?.filepath;
      if (typeof filepath === 'string') paths.push(filepath);
    }
  }
  return paths;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const uploadLimit = settings().UPLOAD_MAX_BYTES;

  return async (ctx: Ctx, next: () => Promise<unknown>) => {
    const declared = ctx.get('content-length');
    const hasBody = declared !== '' || ctx.get('transfer-encoding') !== '';
    if (hasBody && isUpload(ctx.path)) {
      if (!(await hasAdminCredentials(strapi, ctx))) {
        return refuse(
          ctx,
          401,
          'UnauthorizedError',
          'Missing or invalid credentials: uploads are for signed-in admins (Authorization: Bearer <admin token>); nothing of this request was read.',
        );
      }
      if (declared === '') return refuse(ctx, 411, 'LengthRequired', 'An upload needs a Content-Length header.');
      if (Number(declared) > uploadLimit) {
        return refuse(
          ctx,
          413,
          'PayloadTooLargeError',
          `This upload is ${formatBytes(Number(declared))} (${declared} bytes); an upload may be at most ${formatBytes(uploadLimit)} (UPLOAD_MAX_BYTES=${uploadLimit}).`,
        );
      }
    }
    if (hasBody && ctx.is('multipart') && !isUpload(ctx.path)) {
      return refuse(ctx, 415, 'UnsupportedMediaType', 'File uploads are accepted only by the admin panel’s media library.');
    }
    if (hasBody && isContentApi(ctx.path)) {
      if (declared === '') return refuse(ctx, 411, 'LengthRequired', 'A request body needs a Content-Length header.');
      if (Number(declared) > CONTENT_API_BODY_LIMIT)
        return refuse(ctx, 413, 'PayloadTooLargeError', `The request body is larger than ${CONTENT_API_BODY_LIMIT / 1024} KB.`);
    }
    try {
      await next();
    } finally {
      const leftovers = uploadedPaths(ctx.request.files);
      if (leftovers.length > 0) await Promise.all(leftovers.map((file) => rm(file, { force: true })));
    }
  };
};
