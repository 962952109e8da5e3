// The store of originals (src/images/source-cache.ts) against a real HTTP server standing in for an S3
// bucket (absolute URLs, as the S3 upload provider gives them): keyed by the bytes' SHA-256, read from the store
// without the network on the next build, and clear errors for a missing file or something that is no image.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CmsError } from '../../src/cms/errors.ts';
import { SourceCache } from '../../src/images/source-cache.ts';

describe('the store of original images', () => {
  let server: Server;
  let origin: string;
  let photo: Buffer;
  const requests: string[] = [];

  beforeAll(async () => {
    photo = await sharp({ create: { width: 64, height: 40, channels: 3, background: '#c0ffee' } })
      .jpeg()
      .toBuffer();
    server = createServer((request, response) => {
      requests.push(request.url!);
      if (request.url === '/bucket/photo_abc.jpg' || request.url === '/bucket/same-bytes_def.jpg') response.end(photo);
      else if (request.url === '/bucket/notes.txt') response.end('not a picture');
      else response.writeHead(404, 'Not Found').end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
    expect(gone).toMatchObject({ kind: 'http', message: expect.stringContaining(`${origin}/bucket/deleted.jpg`) });
    expect((gone as Error).message).toContain('404');
    const text = await cache.fromUrl(`${origin}/bucket/notes.txt`).catch((error: unknown) => error);
    expect(text).toMatchObject({ kind: 'invalid-content', message: expect.stringContaining('notes.txt') });
  });

  it('says the server is unreachable when nothing answers', async () => {
    const cache = new SourceCache(mkdtempSync(path.join(tmpdir(), 'agency-sources-')), 2_000);
    const error = await cache.fromUrl('http://127.0.0.1:9/uploads/a.jpg').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'unreachable', message: expect.stringContaining('http://127.0.0.1:9/uploads/a.jpg') });
  });
});
