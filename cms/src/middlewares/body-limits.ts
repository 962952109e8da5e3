// Request bodies, before Strapi's strapi::body parses them (config/middlewares.ts lists this first):
// - the content API (/api, /graphql) takes small bodies only: a declared Content-Length up to 100 KB, and
//   no body of unknown length (411): the form and the site's queries are a few KB;
// - multipart (file uploads) only on the admin's upload routes (/upload…); anywhere else 415, refused before
//   anything is written to disk;
// - the temporary files of an upload are removed when the request ends, failed ones included (strapi::body
//   removes them only after a successful request).
import { rm } from 'node:fs/promises';

const CONTENT_API_BODY_LIMIT = 100 * 1024;

type Ctx = {
  method: string;
  path: string;
  get: (header: string) => string;
  is: (...types: string[]) => string | false | null;
  status: number;
  body: unknown;
  request: { files?: Record<string, unknown> };
};

const isContentApi = (path: string) => path === '/graphql' || path.startsWith('/graphql/') || path === '/api' || path.startsWith('/api/');
const isUpload = (path: string) => path === '/upload' || path.startsWith('/upload/');

function refuse(ctx: Ctx, status: number, name: string, message: string): void {
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

export default () => async (ctx: Ctx, next: () => Promise<unknown>) => {
  const hasBody = ctx.get('content-length') !== '' || ctx.get('transfer-encoding') !== '';
  if (hasBody && ctx.is('multipart') && !isUpload(ctx.path)) {
    return refuse(ctx, 415, 'UnsupportedMediaType', 'File uploads are accepted only by the admin panel’s media library.');
  }
  if (hasBody && isContentApi(ctx.path)) {
    const declared = ctx.get('content-length');
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
