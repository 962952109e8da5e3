// A small static file server for the built site. It serves the site's own 404 page with status 404,
// redirects directory URLs to their trailing-slash form, and never serves a file outside the root.
// `root` is read on every request, so the directory can be swapped for a new build atomically. It sends the
// same security and caching headers as Caddy in production (./headers.ts), and the build's precompressed
// `.br`/`.gz` files to clients that accept them. Listening and closing: scripts/common/http.ts.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { cacheControl, ENCODINGS, REVALIDATE, SECURITY_HEADERS } from './headers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The content codings a request's Accept-Encoding allows (q=0 refuses one). */
function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  return accepted;
}

async function fileAt(file: string) {
  try {
    const info = await stat(file);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}

export function createStaticServer(root: () => string | null): http.Server {
  return http.createServer((request, response) => {
    // Whatever goes wrong with one request (a client gone, a file pruned mid-read) answers that request only:
    // an unhandled rejection would take the whole server, and npm start with it, down.
    handle(request, response, root).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal error\n');
      else response.destroy();
    });
  });
}

async function handle(request: http.IncomingMessage, response: http.ServerResponse, root: () => string | null): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
    return;
  }
  const base = root();
  if (!base) {
    response
      .writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' })
      .end('The site has not been built yet. The rebuild service’s /status says why.\n');
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request: malformed URL\n');
    return;
  }
  const target = path.resolve(base, `.${pathname}`);
  const inside = target === base || target.startsWith(base + path.sep);

  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  const accepted = acceptedEncodings(request.headers['accept-encoding']);

  const send = async (file: string, size: number, status = 200) => {
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    // Every file varies by Accept-Encoding, as Caddy says of every file (web/caddy/Caddyfile).
    const headers: http.OutgoingHttpHeaders = {
      'content-type': type,
      'cache-control': status === 200 ? cacheControl(pathname) : REVALIDATE,
      vary: 'Accept-Encoding',
    };
    let body = file;
    let length = size;
    for (const encoding of ENCODINGS) {
      if (!accepted.has(encoding.name)) continue;
      const variant = await fileAt(file + encoding.suffix);
      if (!variant) continue;
      body = file + encoding.suffix;
      length = variant.size;
      headers['content-encoding'] = encoding.name;
      break;
    }
    headers['content-length'] = length;
    response.writeHead(status, headers);
    if (request.method === 'HEAD') response.end();
    else pipeline(createReadStream(body), response, () => {}); // an error ends this response only
  };

  if (inside) {
    const direct = await fileAt(target);
    if (direct && !pathname.endsWith('/')) return send(target, direct.size);
    const index = await fileAt(path.join(target, 'index.html'));
    if (index && pathname.endsWith('/')) return send(path.join(target, 'index.html'), index.size);
    // A directory without its slash: redirect, built from the raw (still encoded) path, since a decoded one
    // could become `//other.host/…` (an open redirect) or hold characters a header may not carry.
    if (index && !url.pathname.startsWith('//')) {
      response.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
      return;
    }
  }
  const notFound = path.join(base, '404.html');
  const page = await fileAt(notFound);
  if (page) return send(notFound, page.size, 404);
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
}
