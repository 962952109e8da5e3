// Build-time images (issue 11 point 2), end to end: pictures uploaded through the admin's upload API (POST
// /upload) on a real Strapi, a real site build, real Chromium. Every picture the site shows is a build-time
// file on the site (AVIF, WebP, a fallback, srcset, width/height, lazy below the fold, the cover eager and
// high priority); nothing in the output points at the CMS; the pages load every image with the CMS stopped;
// the next build encodes only a changed cover, once, and takes every other picture from the cache; each
// article's og:image is a 1200×630 picture (the share image, the cover cropped, or the generated card).
// The first build is the rich site the reading suites share (tests/support/rich-site.ts makes the uploads and
// articles); the rebuild runs on its CMS (the image cache is keyed by the CMS's address), which this file then
// stops for the rest of the run. No CMS of its own, one build: it has a new cover for one article and the CTA's
// phone, set by an editor, as a tel: link. One build for the three checks, as none changes what the others
// check: the exact image figures (one encoded, every other reused) show the cache's reuse as a build with no
// change would (a picture encoded again would be a second one encoded), and the pages show which one it was.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../scripts/common/sleep.ts';
import { testImage } from '../../scripts/stack/test-images.ts';
import type { SiteBuild } from '../../scripts/rebuild/build-site.ts';
import { CmsAdmin } from '../../scripts/stack/cms-admin.ts';
import { launchChromium } from '../support/browser.ts';
import { IMAGE_AUTHOR, SEEDED_SLUG, SITE_URL, type RichImages } from '../support/rich-site.ts';
import type { RichSite } from '../support/site-fixtures.ts';
import { buildFrom, richSite, serve, stopRichCms } from '../support/site.ts';

/** Every file a build wrote, as text (Pagefind's gzipped index files unzipped), keyed by its path. */
function outputTexts(outDir: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const file of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
    if (/\.(avif|webp|jpe?g|png|gif|br|gz|woff2?|wasm)$/.test(file)) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(outDir, file));
    } catch {
      continue; // a directory
    }
    if (/\.pf_/.test(file)) {
      try {
        bytes = gunzipSync(bytes);
      } catch {
        /* not gzipped */
      }
    }
    texts.set(file, bytes.toString('latin1'));
  }
  return texts;
}

/** The attributes of every tag named `tag` in `html`. */
function tags(html: string, tag: string): Array<Record<string, string>> {
  return [...html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map(([, attrs]) =>
    Object.fromEntries([...attrs!.matchAll(/([a-z:-]+)(?:="([^"]*)")?/g)].map(([, name, value]) => [name!, value ?? ''])),
  );
}

const widthsOf = (srcset: string) => srcset.split(',').map((candidate) => Number(/ (\d+)w$/.exec(candidate.trim())?.[1]));

describe('images at build time', () => {
  let rich: RichSite;
  let cms: RichSite['cms'];
  let editor: CmsAdmin;
  let browser: Browser;
  let first: SiteBuild;
  let files: RichImages['files'];
  let withAll: string;

  const upload = async (name: string, seed: number, width: number, height: number, format: 'jpeg' | 'png' = 'jpeg') =>
    editor.upload(name, await testImage(seed, width, height, format), `image/${format}`);
  // The rich site's own settings and image cache: what a rebuild by the rebuild service would use.
  const build = () => buildFrom(cms.url, rich.buildEnv);

  beforeAll(async () => {
    rich = await richSite();
    ({ cms, build: first } = rich);
    ({ files, withAll } = rich.images);
    editor = new CmsAdmin(cms.url, { email: cms.env.ADMIN_EMAIL!, password: cms.env.ADMIN_PASSWORD! });
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the cover and inline images as <picture>s of build-time AVIF, WebP and a fallback', () => {
    const html = readFileSync(path.join(first.outDir, 'articles', 'with-every-image', 'index.html'), 'utf8');
    const pictures = [...html.matchAll(/<picture\b[^>]*>.*?<\/picture>/gs)].map(([picture]) => picture);
    const cover = pictures.find((picture) => picture.includes('class="cover"'));
    const inline = pictures.find((picture) => picture.includes('class="rich-image"'));
    expect(cover, html).toBeDefined();
    expect(inline, html).toBeDefined();
    for (const [picture, original] of [
      [cover!, files.cover!],
      [inline!, files.inline!],
    ] as const) {
      expect(tags(picture, 'source').map((source) => source.type)).toEqual(['image/avif', 'image/webp']);
      const [img] = tags(picture, 'img');
      for (const { srcset } of [...tags(picture, 'source'), img!]) {
        const widths = widthsOf(srcset!);
        expect(widths.length).toBeGreaterThan(1);
        expect(Math.max(...widths)).toBe(Math.min(original.width!, 1600)); // never upscaled
        expect(srcset).toMatch(/^\/_astro\//);
      }
      expect(img!.src).toMatch(/^\/_astro\/.+\.(jpe?g|png)$/);
      expect(Number(img!.width) / Number(img!.height)).toBeCloseTo(original.width! / original.height!, 2);
      expect(img!.sizes).toBeTruthy();
    }
    const [coverImg] = tags(cover!, 'img');
    expect(coverImg).toMatchObject({ fetchpriority: 'high', loading: 'eager', alt: 'A gradient standing in for a photograph' });
    const [inlineImg] = tags(inline!, 'img');
    expect(inlineImg).toMatchObject({ loading: 'lazy', alt: 'A diagram of the funnel' });
    expect(inlineImg!.src).toMatch(/\.png$/); // a PNG may be transparent: its fallback stays PNG
  });

  it('leaves nothing in the output that points at the CMS', () => {
    const origins = [cms.url, `localhost:${cms.port}/uploads`, `127.0.0.1:${cms.port}`];
    const offenders: string[] = [];
    for (const [file, text] of outputTexts(first.outDir)) {
      for (const origin of origins) if (text.includes(origin)) offenders.push(`${file}: ${origin}`);
      if (text.includes('/uploads/')) offenders.push(`${file}: /uploads/`);
    }
    expect(offenders).toEqual([]);
  });

  it('gives every article a 1200×630 og:image on the site: the share image, the cover cropped, or a card', async () => {
    const site = await serve(first.outDir);
    try {
      const formats: Record<string, string> = {};
      for (const slug of ['with-every-image', 'cover-only', 'no-images']) {
        const html = readFileSync(path.join(first.outDir, 'articles', slug, 'index.html'), 'utf8');
        const meta = Object.fromEntries(tags(html, 'meta').map((tag) => [tag.property ?? tag.name, tag.content]));
        expect(meta['og:image'], slug).toMatch(new RegExp(`^${SITE_URL}/_astro/`));
        expect(meta).toMatchObject({ 'og:image:width': '1200', 'og:image:height': '630', 'twitter:card': 'summary_large_image' });
        expect(meta['og:image:alt']).toBeTruthy();
        expect(meta['twitter:image']).toBe(meta['og:image']);
        const response = await fetch(`${site.url}${new URL(meta['og:image']!).pathname}`);
        expect(response.status).toBe(200);
        const image = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
        expect([image.width, image.height]).toEqual([1200, 630]);
        formats[slug] = image.format!;
      }
      expect(formats).toEqual({ 'with-every-image': 'jpeg', 'cover-only': 'jpeg', 'no-images': 'png' });
    } finally {
      await site.close();
    }
  });

  let second: SiteBuild;

  // One rebuild for the two tests below (it was two): an editor sets the CTA's phone and gives an article a new cover.
  const rebuild = async () => {
    if (second) return second;
    const CTA = '/content-manager/single-types/api::consultation-cta.consultation-cta';
    const current = (await editor.request('GET', CTA)).data;
    const { id, documentId, createdAt, updatedAt, publishedAt, createdBy, updatedBy, locale, localizations, status, ...data } = current;
    void [id, documentId, createdAt, updatedAt, publishedAt, createdBy, updatedBy, locale, localizations, status];
    await editor.request('POST', `${CTA}/actions/publish`, { ...data, phone: '+44 20 7946 0000' });
    const newCover = await upload('new-cover.jpg', 6, 1600, 1000);
    await editor.publish(withAll, { ...(await editor.articleForm(withAll)), cover: newCover.id });
    second = await build();
    expect(second.ok, second.output).toBe(true);
    return second;
  };

  // Moved from tests/e2e/site.test.ts: its build is the rebuild here.
  it('shows the CTA’s phone as a tel: link once an editor sets one', async () => {
    // The first build has no tel: link (no phone in the seed: tests/e2e/site.test.ts checks it in a browser).
    expect(readFileSync(path.join(first.outDir, 'articles', SEEDED_SLUG, 'index.html'), 'utf8')).not.toContain('href="tel:');
    const html = readFileSync(path.join((await rebuild()).outDir, 'articles', SEEDED_SLUG, 'index.html'), 'utf8');
    expect(html).toMatch(/<a[^>]+href="tel:\+442079460000"[^>]*>/);
    expect(html).toContain('+44 20 7946 0000');
  });

  it('reuses every image on the next build, and encodes a changed cover once', async () => {
    expect(first.report?.ok && first.report.images).toMatchObject({ reused: 0 });
    const used = first.report?.ok ? first.report.images!.encoded : 0;
    expect(used).toBeGreaterThanOrEqual(5); // cover, inline, share image, cover-only, the card (and the photo where shown)

    // The rebuild: the same pictures but one article's new cover (the old one no longer used), and a CTA phone
    // that shows none. Exactly one original encoded, the new cover; every other one taken whole from the cache.
    const rebuilt = await rebuild();
    expect(rebuilt.report?.ok && rebuilt.report.images).toEqual({ encoded: 1, reused: used - 1 });
    // Which one: the article's cover is new files; its inline picture, its share image and the other article's
    // cover are the very files of the first build.
    const page = (outDir: string, slug: string) => readFileSync(path.join(outDir, 'articles', slug, 'index.html'), 'utf8');
    const picture = (html: string, kind: 'cover' | 'rich-image') =>
      [...html.matchAll(/<picture\b[^>]*>.*?<\/picture>/gs)].map(([whole]) => whole).find((whole) => whole.includes(`class="${kind}"`));
    const shareImage = (html: string) => tags(html, 'meta').find((tag) => tag.property === 'og:image')?.content;
    const [before, after] = [page(first.outDir, 'with-every-image'), page(rebuilt.outDir, 'with-every-image')];
    expect(picture(after, 'cover')).toBeDefined();
    expect(picture(after, 'cover')).not.toBe(picture(before, 'cover'));
    expect(picture(after, 'rich-image')).toBe(picture(before, 'rich-image'));
    expect(shareImage(after)).toBe(shareImage(before));
    expect(picture(page(rebuilt.outDir, 'cover-only'), 'cover')).toBe(picture(page(first.outDir, 'cover-only'), 'cover'));
  });
  it('loads every image in Chromium with the CMS stopped, no request failing', async () => {
    // The rich site's CMS, stopped for the rest of the run (nothing after needs it): really gone, not blocked.
    await stopRichCms();
    await expect(fetch(`${cms.url}/_health`)).rejects.toThrow();
    const site = await serve(first.outDir);
    try {
      for (const pagePath of ['/articles/with-every-image/', '/', `/authors/${IMAGE_AUTHOR}/`]) {
        const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
        const failed: string[] = [];
        page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
        page.on('response', (response) => response.status() >= 400 && failed.push(`${response.url()}: ${response.status()}`));
        const response = await page.goto(`${site.url}${pagePath}`, { waitUntil: 'load' });
        expect(response?.status(), pagePath).toBe(200);
        // Scroll through the page so every lazy image loads.
        const height = await page.evaluate(() => document.body.scrollHeight);
        for (let y = 0; y < height; y += 400) {
          await page.evaluate((top) => window.scrollTo(0, top), y);
          await sleep(50);
        }
        await page.waitForFunction(() => [...document.images].every((img) => img.complete), undefined, { timeout: 20_000 });
        const images = await page.evaluate(() => [...document.images].map((img) => ({ src: img.currentSrc, width: img.naturalWidth })));
        if (pagePath === '/articles/with-every-image/') expect(images.length).toBeGreaterThanOrEqual(2);
        for (const image of images) {
          expect(image.width, image.src).toBeGreaterThan(0);
          expect(new URL(image.src).origin).toBe(site.url);
        }
        expect(failed, pagePath).toEqual([]);
        await page.close();
      }
    } finally {
      await site.close();
    }
  });
});
