// The static server against hostile and odd requests: it must answer each one and never go down.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { IMMUTABLE, SECURITY_HEADERS } from '../../scripts/rebuild/headers.ts';
import { createStaticServer } from '../../scripts/rebuild/static-server.ts';
import { freePort } from '../../scripts/stack/ports.ts';

/** A raw HTTP/1.1 request, so paths reach the server exactly as written (fetch would normalise them). */
function raw(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
    );
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('utf8')));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

const SCRIPT = 'console.log("hello");\n'.repeat(200);

/** A GET with exactly these headers (fetch would add its own Accept-Encoding and decompress). */
function get(port: number, target: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) =>
    http
      .get({ host: '127.0.0.1', port, path: target, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject),
  );
}

describe('static server', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-static-'));
  const site = path.join(dir, 'site');
  let port: number;
  const server = createStaticServer(() => site);

  beforeAll(async () => {
    mkdirSync(path.join(site, 'articles', 'a'), { recursive: true });
    writeFileSync(path.join(site, 'index.html'), '<h1>home</h1>');
    writeFileSync(path.join(site, '404.html'), '<h1>not found page</h1>');
    writeFileSync(path.join(site, 'articles', 'a', 'index.html'), '<h1>article a</h1>');
    writeFileSync(path.join(dir, 'secret.txt'), 'outside the site');
    // As the build writes them (web/src/integrations/precompress.ts): .br and .gz beside the file.
    mkdirSync(path.join(site, '_astro'));
    writeFileSync(path.join(site, '_astro', 'app.abc123.js'), SCRIPT);
    writeFileSync(path.join(site, '_astro', 'app.abc123.js.br'), zlib.brotliCompressSync(SCRIPT));
    writeFileSync(path.join(site, '_astro', 'app.abc123.js.gz'), zlib.gzipSync(SCRIPT));
    port = await freePort();
    await listen(server, port);
  });
  afterAll(async () => {
    await closeServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves pages, redirects a directory to its slash, and answers unknown paths with the 404 page', async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/articles/a/`)).text()).toBe('<h1>article a</h1>');
    const redirect = await fetch(`http://127.0.0.1:${port}/articles/a?x=1`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/articles/a/?x=1');
    const missing = await fetch(`http://127.0.0.1:${port}/nope/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('<h1>not found page</h1>');
    expect((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' })).status).toBe(405);
  });

  it('never serves a file outside the site', async () => {
    for (const target of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/articles/..%2f..%2f..%2fsecret.txt']) {
      const response = await raw(port, target);
      expect(response, target).toMatch(/^HTTP\/1\.1 404/);
      expect(response, target).not.toContain('outside the site');
    }
  });

  it('does not redirect to another host', async () => {
    for (const target of ['/%2Fevil.example%2F..%2Farticles%2Fa', '//evil.example/../articles/a']) {
      const response = await raw(port, target);
      expect(response, target).toMatch(/^HTTP\/1\.1 \d{3}/);
      const location = /^location: (.*)$/im.exec(response)?.[1]?.trim();
      if (location) expect(location.startsWith('//'), `${target} → ${location}`).toBe(false);
    }
  });

  it('survives a path that decodes to characters a header cannot hold, and malformed escapes', async () => {
    expect(await raw(port, '/articles/a%2F%E2%80%A8%2F..')).toMatch(/^HTTP\/1\.1 \d{3}/);
    expect(await raw(port, '/%E0%A4%A')).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  });

  it('sends the precompressed file the client accepts (br before gzip), with Vary, and the plain one otherwise', async () => {
    const asset = '/_astro/app.abc123.js';
    const br = await get(port, asset, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body).toString('utf8')).toBe(SCRIPT);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    const gzip = await get(port, asset, { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.body).toString('utf8')).toBe(SCRIPT);
    const plain = await get(port, asset);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(SCRIPT);
    for (const response of [br, gzip, plain]) {
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    }
    // A page without variants is sent as it is, to any client.
    expect((await get(port, '/', { 'accept-encoding': 'br' })).headers['content-encoding']).toBeUndefined();
  });

  it('caches hashed assets for good and revalidates everything else, with the security headers on every answer', async () => {
    expect((await get(port, '/_astro/app.abc123.js')).headers['cache-control']).toBe(IMMUTABLE);
    for (const target of ['/', '/articles/a/', '/nope/', '/_astro/missing.js']) {
      const response = await get(port, target);
      expect(response.headers['cache-control'], target).toBe('no-cache');
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers[name], `${target} ${name}`).toBe(value);
    }
  });
});
