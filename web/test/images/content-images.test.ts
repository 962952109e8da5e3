// The build's images step (src/images/content-images.ts) with a real store of originals and real HTTP servers:
// every image the content shows is found with its entry and field, every failure names them (all of them at
// once), and a rich-text image is fetched only from the CMS or a host in IMAGE_HOSTS
// (src/images/image-hosts.ts): another local service or a cloud metadata address is refused without a request.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '@agency/shared';
import type { SiteContent } from '../../src/cms/site-content.ts';
import { fetchContentImages, siteImageUses, type ImageUse } from '../../src/images/content-images.ts';
import { allowsImageUrl, parseImageHosts } from '../../src/images/image-hosts.ts';
import type { ImageRun } from '../../src/images/image-run.ts';
import { SourceCache } from '../../src/images/source-cache.ts';

type Served = { server: Server; url: string; host: string; requests: string[] };

async function imageServer(photo: Buffer): Promise<Served> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url!);
    if (request.url?.endsWith('.jpg') && !request.url.includes('gone')) response.end(photo);
    else response.writeHead(404).end('gone');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, requests };
}

const image = (url: string) => ({ url, hash: null, width: 64, height: 40, mime: 'image/jpeg' }) as unknown as NonNullable<Article['cover']>;
const paragraph = { type: 'paragraph', children: [{ type: 'text', text: 'Text.' }] };
const inline = (url: string) => ({ type: 'image', image: { url }, children: [{ type: 'text', text: '' }] });

function article(title: string, parts: { cover?: string; share?: string; photo?: string; body?: string[] }): Article {
  return {
    title,
    cover: parts.cover ? image(parts.cover) : null,
    seo: parts.share ? { shareImage: image(parts.share) } : null,
    author: parts.photo ? { name: 'Jane Doe', photo: image(parts.photo) } : null,
    body: [
      { kind: 'section', heading: 'One', body: [paragraph, ...(parts.body ?? []).map(inline)] },
      { kind: 'side-note', label: 'Note', body: [] },
    ],
  } as unknown as Article;
}

describe('the images step', () => {
  let cms: Served;
  let bucket: Served;
  let elsewhere: Served;

  beforeAll(async () => {
    const photo = await sharp({ create: { width: 64, height: 40, channels: 3, background: '#c0ffee' } })
      .jpeg()
      .toBuffer();
    [cms, bucket, elsewhere] = await Promise.all([imageServer(photo), imageServer(photo), imageServer(photo)]);
  });
  afterAll(() => Promise.all([cms, bucket, elsewhere].map(({ server }) => new Promise((resolve) => server.close(resolve)))));

  const run = (hosts: string[] = []): ImageRun => ({
    cache: new SourceCache(mkdtempSync(path.join(tmpdir(), 'agency-sources-')), 5_000),
    origin: 'http://cms-image-source.invalid',
    cmsUrl: cms.url,
    imageSources: { cmsUrls: [cms.url, 'https://cms.example.com'], hosts },
    fonts: { regular: '', bold: '' },
    used: new Set(),
    fetched: new Set(),
  });

  it('finds every image the content shows, with its entry and field', () => {
    const content = {
      articles: [
        article('Sales vs marketing', {
          cover: '/uploads/c.jpg',
          share: '/uploads/s.jpg',
          photo: '/uploads/p.jpg',
          body: ['/uploads/i.jpg'],
        }),
      ],
      authors: [{ name: 'Jane Doe', photo: image('/uploads/p.jpg') }],
      cta: { body: [inline('/uploads/cta.jpg')] },
    } as unknown as SiteContent;
    const uses = siteImageUses(content).map(({ image: { url, richText }, entry, field }: ImageUse) => [
      entry,
      field,
      url,
      richText ?? false,
    ]);
    expect(uses).toEqual([
      ['"Sales vs marketing"', 'cover', '/uploads/c.jpg', false],
      ['"Sales vs marketing"', 'seo.shareImage', '/uploads/s.jpg', false],
      ['the author "Jane Doe"', 'photo', '/uploads/p.jpg', false],
      ['"Sales vs marketing"', 'body', '/uploads/i.jpg', true],
      ['the author "Jane Doe"', 'photo', '/uploads/p.jpg', false],
      ['the consultation CTA', 'body', '/uploads/cta.jpg', true],
    ]);
  });

  it('fetches the CMS’s and the allowed hosts’ images once, and names the entry and field of one that is gone', async () => {
    const images = run([bucket.host]);
    const uses = siteImageUses({
      articles: [
        article('Fine', { cover: '/uploads/c.jpg', body: ['/uploads/c.jpg', `${bucket.url}/b.jpg`] }),
        article('Sales vs marketing', { body: [`${cms.url}/uploads/gone.jpg`] }),
      ],
      authors: [],
      cta: { body: [] },
    } as unknown as SiteContent);
    const error = await fetchContentImages(images, uses).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      kind: 'invalid-content',
      message: `"Sales vs marketing", body, image ${cms.url}/uploads/gone.jpg: 404 Not Found. The file may have been deleted from the media library while the entry still uses it: choose the image again (or remove it) and publish.`,
    });
    expect(bucket.requests).toEqual(['/b.jpg']);
    expect(cms.requests.filter((url) => url === '/uploads/c.jpg')).toHaveLength(1);
  });

  it('names every image that fails, not just the first, each with its entry and field; the content’s fault only when every one is', async () => {
    const images = run([bucket.host]);
    const content = (body: string[]) =>
      siteImageUses({
        articles: [article('Fine', { cover: '/uploads/c.jpg' }), article('Three broken', { body })],
        authors: [],
        cta: { body: [] },
      } as unknown as SiteContent);
    const gone = `${cms.url}/uploads/gone-1.jpg`;
    const alsoGone = `${bucket.url}/gone-2.jpg`;
    const elsewhereUrl = `${elsewhere.url}/x.jpg`;
    const error = await fetchContentImages(images, content([gone, `${bucket.url}/b.jpg`, alsoGone, elsewhereUrl])).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ kind: 'invalid-content' });
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toBe('3 images the content shows could not be had for the build:');
    expect(lines.slice(1).sort()).toEqual(
      [
        `- "Three broken", body, image ${gone}: 404 Not Found. The file may have been deleted from the media library while the entry still uses it: choose the image again (or remove it) and publish.`,
        `- "Three broken", body, image ${alsoGone}: 404 Not Found. The file may have been deleted from the media library while the entry still uses it: choose the image again (or remove it) and publish.`,
        `- "Three broken", body, image ${elsewhereUrl}: ${elsewhere.host} is not a host the build fetches images from. Rich-text images come from the media library (the CMS's /uploads/) or from a host listed in IMAGE_HOSTS.`,
      ].sort(),
    );
    // The good images were fetched all the same.
    expect(bucket.requests).toContain('/b.jpg');
    // One image whose host does not answer (here: a port nothing listens on any more) among them: worth a
    // retry, so not the content's fault.
    const stopped = createServer();
    await new Promise<void>((resolve) => stopped.listen(0, '127.0.0.1', resolve));
    const { port } = stopped.address() as AddressInfo;
    await new Promise((resolve) => stopped.close(resolve));
    const closed = `http://127.0.0.1:${port}/x.jpg`;
    const mixed = await fetchContentImages(run([bucket.host, `127.0.0.1:${port}`]), content([gone, closed])).catch(
      (caught: unknown) => caught,
    );
    expect(mixed).toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining(`- "Three broken", body, image ${closed}: ECONNREFUSED.`),
    });
    expect((mixed as Error).message).toContain(`- "Three broken", body, image ${gone}: 404 Not Found.`);
  });

  it('refuses a rich-text image on any other host without a request: another local service, a metadata address', async () => {
    const images = run([]);
    for (const url of [`${elsewhere.url}/x.jpg`, 'http://169.254.169.254/latest/meta-data/x.jpg', 'http://cms.example.com:8080/x.jpg']) {
      const uses = siteImageUses({
        articles: [article('Sales vs marketing', { body: [url] })],
        authors: [],
        cta: { body: [] },
      } as unknown as SiteContent);
      const error = await fetchContentImages(images, uses).catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        kind: 'invalid-content',
        message: expect.stringMatching(/^"Sales vs marketing", body, image .*: .* is not a host the build fetches images from\. /),
      });
    }
    expect(elsewhere.requests).toEqual([]);
    // A cover is the media library's own file (its URL is the upload provider's), not an editor's text.
    await fetchContentImages(images, [{ image: image(`${elsewhere.url}/cover.jpg`), entry: '"A"', field: 'cover' }]);
    expect(elsewhere.requests).toEqual(['/cover.jpg']);
  });

  it('reads IMAGE_HOSTS: hosts with or without a port', () => {
    const hosts = parseImageHosts(' Media.example.com , cdn.example.com:8443,');
    expect(hosts).toEqual(['media.example.com', 'cdn.example.com:8443']);
    const allows = (url: string) => allowsImageUrl(new URL(url), ['http://127.0.0.1:1337'], hosts);
    expect(allows('https://media.example.com/a.jpg')).toBe(true);
    expect(allows('http://media.example.com:9000/a.jpg')).toBe(true);
    expect(allows('https://cdn.example.com:8443/a.jpg')).toBe(true);
    expect(allows('https://cdn.example.com/a.jpg')).toBe(false);
    expect(allows('http://127.0.0.1:1337/uploads/a.jpg')).toBe(true);
    expect(allows('http://127.0.0.1:1338/uploads/a.jpg')).toBe(false);
    expect(allows('https://media.example.com.evil.example/a.jpg')).toBe(false);
  });
});
