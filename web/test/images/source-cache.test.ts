// The store of originals (src/images/source-cache.ts) against a real HTTP server standing in for an S3
// bucket (absolute URLs, as the S3 upload provider gives them): keyed by the bytes' SHA-256, read from the store
// without the network on the next build, and clear errors for a missing file or something that is no image.
// And its limits: a server that never answers, one that sends without end (announced or not), a redirect, and an
// error page whose body and reason phrase must not reach the message (it goes to /status).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CmsError } from '../../src/cms/errors.ts';
import { SourceCache, shownUrl } from '../../src/images/source-cache.ts';

describe('the store of original images', () => {
  let server: Server;
  let origin: string;
  let photo: Buffer;
  const requests: string[] = [];
  const endless = { sent: 0, closed: 0 };
  const sockets = new Set<import('node:net').Socket>();

  beforeAll(async () => {
    photo = await sharp({ create: { width: 64, height: 40, channels: 3, background: '#c0ffee' } })
      .jpeg()
      .toBuffer();
    server = createServer((request, response) => {
      requests.push(request.url!);
      if (request.url === '/bucket/photo_abc.jpg' || request.url === '/bucket/same-bytes_def.jpg') response.end(photo);
      else if (request.url === '/bucket/notes.txt') response.end('not a picture');
      else if (request.url === '/bucket/silent.jpg')
        return; // never answers
      else if (request.url === '/bucket/moved.jpg') response.writeHead(302, { location: '/bucket/photo_abc.jpg' }).end();
      else if (request.url === '/bucket/leaky.jpg') response.writeHead(500, 'token=abc123').end('SECRET-IN-THE-BODY');
      else if (request.url === '/bucket/announced.jpg' || request.url === '/bucket/endless.jpg') {
        // Zeros without end; the first one says it will send 5 GB, the other says nothing (chunked).
        response.writeHead(200, request.url === '/bucket/announced.jpg' ? { 'content-length': String(5 * 1024 ** 3) } : {});
        const chunk = Buffer.alloc(64 * 1024);
        const pump = () => {
          for (let more = true; more && !response.destroyed; endless.sent += chunk.length) more = response.write(chunk);
        };
        response.on('drain', pump);
        response.on('close', () => (endless.closed += 1));
        pump();
      } else response.writeHead(404, 'Not Found').end();
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );

  it('downloads an absolute URL once and keys it by the SHA-256 of its bytes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'agency-sources-'));
    const cache = new SourceCache(dir);
    const image = await cache.fromUrl(`${origin}/bucket/photo_abc.jpg`, 'photo_abc');
    expect(image).toEqual({ key: createHash('sha256').update(photo).digest('hex'), ext: 'jpg', width: 64, height: 40 });
    expect(readFileSync(cache.file(image))).toEqual(photo);
    // The same picture under another name (uploaded twice) is the same original.
    expect(await cache.fromUrl(`${origin}/bucket/same-bytes_def.jpg`, 'same-bytes_def')).toEqual(image);

    // The next build: a new store on the same directory finds both without asking the server.
    const before = requests.length;
    const next = new SourceCache(dir);
    expect(await next.fromUrl(`${origin}/bucket/photo_abc.jpg`, 'photo_abc')).toEqual(image);
    expect(requests.length).toBe(before);
  });

  it('draws a generated image once per inputs key', async () => {
    const cache = new SourceCache(mkdtempSync(path.join(tmpdir(), 'agency-sources-')));
    let draws = 0;
    const draw = async () => {
      draws++;
      return new Uint8Array(photo);
    };
    const first = await cache.fromGenerated('card-1', draw);
    expect(await cache.fromGenerated('card-1', draw)).toEqual(first);
    expect(draws).toBe(1);
  });

  it('fails with the URL and the status when the file is gone, and names a file that is no image', async () => {
    const cache = new SourceCache(mkdtempSync(path.join(tmpdir(), 'agency-sources-')));
    const gone = await cache.fromUrl(`${origin}/bucket/deleted.jpg`).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(CmsError);
    // The content's fault (it names a file that is gone): the rebuild service waits for the next publish.
    expect(gone).toMatchObject({ kind: 'invalid-content', message: expect.stringContaining(`${origin}/bucket/deleted.jpg`) });
    expect((gone as Error).message).toContain('404');
    const text = await cache.fromUrl(`${origin}/bucket/notes.txt`).catch((error: unknown) => error);
    expect(text).toMatchObject({ kind: 'invalid-content', message: expect.stringContaining('notes.txt') });
  });

  it('says the server is unreachable when nothing answers', async () => {
    const cache = new SourceCache(mkdtempSync(path.join(tmpdir(), 'agency-sources-')), 2_000);
    const error = await cache.fromUrl('http://127.0.0.1:9/uploads/a.jpg').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'unreachable', message: expect.stringContaining('http://127.0.0.1:9/uploads/a.jpg') });
  });

  it('gives up on a server that never answers at its deadline', async () => {
    const cache = new SourceCache(mkdtempSync(path.join(tmpdir(), 'agency-sources-')), 500);
    const started = performance.now();
    const error = await cache.fromUrl(`${origin}/bucket/silent.jpg`).catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ kind: 'unreachable', reason: 'no answer within 0.5 s' });
  });

  it('refuses a file announced larger than the limit before reading it, and cuts one that sends without end', async () => {
    const limit = 1024 * 1024;
    const cache = new SourceCache(mkdtempSync(path.join(tmpdir(), 'agency-sources-')), 30_000, limit);
    const announced = await cache.fromUrl(`${origin}/bucket/announced.jpg`).catch((caught: unknown) => caught);
    expect(announced).toMatchObject({ kind: 'invalid-content', reason: 'larger than the 1 MB an image may be (it announced 5 GB)' });
    await waitFor(() => endless.closed === 1);

    const started = performance.now();
    const streamed = await cache.fromUrl(`${origin}/bucket/endless.jpg`).catch((caught: unknown) => caught);
    expect(streamed).toMatchObject({
      kind: 'invalid-content',
      reason: 'larger than the 1 MB an image may be (stopped after reading that much)',
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    // The connection is closed: the server stops sending (what it sent is the limit and the sockets' buffers).
    await waitFor(() => endless.closed === 2);
    expect(endless.sent).toBeLessThan(16 * limit);
  });

  it('follows no redirect, and never shows the server’s answer or reason phrase', async () => {
    const cache = new SourceCache(mkdtempSync(path.join(tmpdir(), 'agency-sources-')));
    const before = requests.length;
    const moved = await cache.fromUrl(`${origin}/bucket/moved.jpg`).catch((caught: unknown) => caught);
    expect(moved).toMatchObject({ kind: 'http', reason: 'the server answered 302 Found, a redirect the build does not follow' });
    expect(requests.slice(before)).toEqual(['/bucket/moved.jpg']);

    const leaky = (await cache.fromUrl(`${origin}/bucket/leaky.jpg`).catch((caught: unknown) => caught)) as Error;
    expect(leaky).toMatchObject({ kind: 'http', reason: '500 Internal Server Error' });
    expect(leaky.message).not.toMatch(/SECRET-IN-THE-BODY|token=abc123/);
  });

  it('shows URLs without credentials or query', () => {
    expect(shownUrl('https://user:secret@media.example.com/a.jpg?X-Amz-Signature=abc#x')).toBe('https://media.example.com/a.jpg?…');
    expect(shownUrl('/uploads/a.jpg?v=1')).toBe('/uploads/a.jpg');
  });
});

/** Polls `check` until it holds (for a server-side event the client does not wait for). */
async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
