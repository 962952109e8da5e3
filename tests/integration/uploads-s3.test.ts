// Uploads in an S3-compatible bucket (UPLOAD_PROVIDER=s3, issue 11 point 5) on a real Strapi and a real S3 server
// (s3rver): a file uploaded through the admin's upload API lands in the bucket with its generated formats, the
// media entry's url is the bucket's, fetching it returns the same bytes, the admin's CSP lets the Media Library
// show it (in real Chromium), and deleting the media removes every object. With the bucket down an upload is
// refused without leaving an entry behind. Two CMS replicas share the database and the bucket: a file uploaded
// through one is served for the other, which could not happen with files on one replica's disk. Bad upload
// settings are refused by cmsSettings.read like every other variable: each refusal's message is a unit test
// (tests/unit/uploads-settings.test.ts), and security.test.ts boots the one real refusal of a variable, which
// stops the CMS the same way for these.
// On the production pair (tests/support/pair.ts: Postgres when the run has it, two replicas; on SQLite one, and the
// replica test skips): its CMSes run with the S3 settings, and this file runs the bucket on the port they name
// while it holds the pair's lane. The bucket, not the database, is what this file is about, and Strapi stores a
// media entry the same way on both.
// @test-lane: pair
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../scripts/common/sleep.ts';
import { dismissOnboarding } from '../support/admin-ui.ts';
import { launchChromium } from '../support/browser.ts';
import type { TestCms } from '../support/cms.ts';
import { PAIR_BUCKET, usePair, type Pair } from '../support/pair.ts';
import { png } from '../support/png.ts';
import { startS3Bucket, type S3Bucket } from '../support/s3-bucket.ts';

type Media = {
  id: number;
  url: string;
  hash: string;
  ext: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  formats: Record<string, { url: string; hash: string; ext: string; width: number }> | null;
};

/** A minimal real PDF: a document Strapi stores as it is (images it may re-encode to optimise their size). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' + 'trailer<</Root 1 0 R>>\n%%EOF\n',
);

/** The width and height a PNG's header declares. */
const pngSize = (bytes: Buffer) => ({
  signature: bytes.subarray(1, 4).toString('ascii'),
  width: bytes.readUInt32BE(16),
  height: bytes.readUInt32BE(20),
});

/** Strapi's `size`: kilobytes, two decimals. */
const kilobytes = (bytes: Buffer) => Math.round(bytes.length / 10) / 100;

// The admin SPA is heavy: on 2 busy cores its first load takes a while.
const UI_TIMEOUT = 90_000;

/** The key of a file (or one of its formats) in the bucket: the provider stores it as `<hash><ext>`. */
const key = (file: { hash: string; ext: string }) => `${file.hash}${file.ext}`;

// Two Strapi processes on one database (the pair's replicas), sharing the bucket.
describe('uploads in an S3-compatible bucket, two CMS replicas (the production pair)', () => {
  let bucket: S3Bucket;
  let pair: Pair;
  let cms: TestCms;
  let jwt: string;

  beforeAll(async () => {
    pair = await usePair();
    cms = pair.cms;
    bucket = await startS3Bucket(PAIR_BUCKET, pair.info.s3Port);
    expect(bucket.env, 'the bucket is the one the pair was started with').toMatchObject({
      S3_ENDPOINT: pair.info.env.S3_ENDPOINT,
      S3_BUCKET: pair.info.env.S3_BUCKET,
    });
    jwt = await cms.adminJwt();
  });
  afterAll(async () => {
    await bucket?.stop();
  });

  /** Uploads a file through a CMS's admin upload API, as the Media Library does. */
  async function upload(baseUrl: string, name: string, bytes: Buffer, type = 'image/png'): Promise<Media> {
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(bytes)], { type }), name);
    const response = await fetch(`${baseUrl}/upload`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` }, body: form });
    expect(response.status, await response.clone().text()).toBe(201);
    const [file] = (await response.json()) as Media[];
    return file!;
  }

  async function admin(baseUrl: string, method: string, path: string): Promise<Response> {
    return fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${jwt}` } });
  }

  async function bytesAt(url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
    const response = await fetch(url);
    return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
  }

  it('says at boot where uploads go', () => {
    expect(cms.output.join('\n')).toContain(`Uploads: bucket "${bucket.name}" at ${bucket.endpoint}, served from ${bucket.publicBaseUrl}.`);
  });

  it('stores an upload and its formats in the bucket, at the bucket’s URL', async () => {
    const file = await upload(cms.url, 'cover.png', png(1200, 800));
    expect(file).toMatchObject({ mime: 'image/png', width: 1200, height: 800 });
    expect(file.url).toBe(`${bucket.publicBaseUrl}/${key(file)}`);

    // Strapi's responsive formats for a 1200 px image, each its own object in the bucket.
    const formats = file.formats ?? {};
    expect(Object.keys(formats).sort()).toEqual(['large', 'medium', 'small', 'thumbnail']);
    for (const [name, format] of Object.entries(formats)) {
      expect(format.url, name).toBe(`${bucket.publicBaseUrl}/${key(format)}`);
      const fetched = await bytesAt(format.url);
      expect(fetched.status, name).toBe(200);
      expect(pngSize(fetched.bytes), name).toMatchObject({ signature: 'PNG', width: format.width });
    }
    expect(await bucket.keys()).toEqual([key(file), ...Object.values(formats).map(key)].sort());

    // The object is the image Strapi recorded (it may have re-encoded the PNG to make it smaller).
    const fetched = await bytesAt(file.url);
    expect(fetched.status).toBe(200);
    expect(fetched.type).toBe('image/png');
    expect(pngSize(fetched.bytes)).toEqual({ signature: 'PNG', width: 1200, height: 800 });
    expect(kilobytes(fetched.bytes)).toBe(file.size);

    // The CMS does not have the file: it is only in the bucket.
    expect((await fetch(`${cms.url}/uploads/${key(file)}`)).status).toBe(404);
  });

  it('returns from the bucket exactly the bytes uploaded', async () => {
    const file = await upload(cms.url, 'brief.pdf', PDF, 'application/pdf');
    expect(file).toMatchObject({ mime: 'application/pdf', ext: '.pdf', formats: null });
    expect(file.url).toBe(`${bucket.publicBaseUrl}/${key(file)}`);
    const fetched = await bytesAt(file.url);
    expect(fetched).toMatchObject({ status: 200, type: 'application/pdf' });
    expect(fetched.bytes.equals(PDF)).toBe(true);
  });

  it('lets the admin panel load images and media from the bucket (CSP)', async () => {
    const response = await fetch(`${cms.url}/admin`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    const directive = (name: string) =>
      csp
        .split(';')
        .find((part) => part.trim().startsWith(`${name} `))
        ?.trim() ?? '';
    expect(directive('img-src').split(' ')).toEqual([
      'img-src',
      "'self'",
      'data:',
      'blob:',
      'https://market-assets.strapi.io',
      bucket.endpoint,
    ]);
    expect(directive('media-src').split(' ')).toEqual(['media-src', "'self'", 'data:', 'blob:', bucket.endpoint]);
  });

  it('shows the bucket’s thumbnails in the admin’s Media Library (real Chromium, the CSP enforced)', async () => {
    const file = await upload(cms.url, 'library.png', png(600, 400));
    const thumbnail = file.formats?.thumbnail?.url;
    expect(thumbnail).toMatch(new RegExp(`^${bucket.publicBaseUrl}/thumbnail_`));
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      context.setDefaultTimeout(UI_TIMEOUT);
      context.setDefaultNavigationTimeout(UI_TIMEOUT);
      const page = await context.newPage();
      const refused: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to load/i.test(message.text())) refused.push(message.text());
      });
      await page.goto(`${cms.url}/admin`);
      await page.getByLabel(/^Email/).fill(cms.env.ADMIN_EMAIL!);
      await page.getByLabel(/^Password/).fill(cms.env.ADMIN_PASSWORD!);
      await page.getByRole('button', { name: 'Login' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'));
      await page.goto(`${cms.url}/admin/plugins/upload`);
      await dismissOnboarding(page);
      // The card's picture is the thumbnail, loaded from the bucket (Strapi may add a cache-busting query).
      const image = page.locator(`img[src^="${thumbnail}"]`).first();
      await image.waitFor();
      await expect
        .poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth), { timeout: 30_000 })
        .toBe(file.formats!.thumbnail!.width);
      expect(refused).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('refuses an upload while the bucket is down, keeping no half entry, and takes uploads again when it is back', async () => {
    const listed = async () => ((await (await admin(cms.url, 'GET', '/upload/files?pageSize=100')).json()) as { results: Media[] }).results;
    const failed = new RegExp(`Uploads: (upload|uploadStream) in bucket "${bucket.name}" at ${bucket.endpoint} failed: .*ECONNREFUSED`);
    const failures = () => cms.output.filter((line) => failed.test(line)).length;
    // How many calls to the bucket an upload of this picture makes: the file and each format Strapi derives.
    const probe = await upload(cms.url, 'outage-probe.png', png(300, 200));
    const calls = 1 + Object.keys(probe.formats ?? {}).length;
    const before = await listed();
    const objects = await bucket.keys();
    const failedBefore = failures();
    await bucket.pause();
    try {
      const form = new FormData();
      form.append('files', new Blob([new Uint8Array(png(300, 200))], { type: 'image/png' }), 'outage.png');
      const response = await fetch(`${cms.url}/upload`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` }, body: form });
      // What the admin shows the editor, and what the log tells the operator.
      const body = (await response.json()) as { error: { message: string } };
      expect(response.status).toBe(503);
      expect(body.error.message).toMatch(
        new RegExp(
          `^The media storage \\(bucket "${bucket.name}" at ${bucket.endpoint}\\) did not take the file \\(.*ECONNREFUSED.*\\); nothing was saved\\. Try again`,
        ),
      );
      expect(cms.output.join('\n')).toMatch(failed);
      // The file's and the formats' calls run side by side, and the AWS SDK retries those still running after the
      // first failure answered the editor. The bucket stays down until each has given up (each logs its failure):
      // one that got through after the bucket came back would leave an object behind.
      const deadline = Date.now() + 30_000;
      while (failures() - failedBefore < calls) {
        if (Date.now() > deadline)
          throw new Error(
            `Only ${failures() - failedBefore} of the upload's ${calls} calls to the bucket gave up within 30 s; the CMS's last lines:\n` +
              cms.output.slice(-20).join('\n'),
          );
        await sleep(50);
      }
    } finally {
      await bucket.resume();
    }
    expect((await listed()).map((file) => file.id)).toEqual(before.map((file) => file.id));
    expect(await bucket.keys()).toEqual(objects);
    const after = await upload(cms.url, 'after-outage.png', png(300, 200));
    expect((await bytesAt(after.url)).status).toBe(200);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'serves a file uploaded through one replica to the other, and deleting it there empties the bucket',
    async () => {
      const replicaUrl = pair.replicas[1]!.url;
      const before = await bucket.keys();
      const uploaded = await upload(replicaUrl, 'replica.png', png(640, 480));
      expect(uploaded.url).toBe(`${bucket.publicBaseUrl}/${key(uploaded)}`);

      // The other replica lists the same media with the same address, and that address serves the image.
      const seen = (await (await admin(cms.url, 'GET', `/upload/files/${uploaded.id}`)).json()) as Media;
      expect(seen).toMatchObject({ url: uploaded.url, hash: uploaded.hash, size: uploaded.size });
      const served = await bytesAt(seen.url);
      expect(pngSize(served.bytes)).toEqual({ signature: 'PNG', width: 640, height: 480 });
      expect(kilobytes(served.bytes)).toBe(seen.size);
      const added = (await bucket.keys()).filter((name) => !before.includes(name));
      expect(added.sort()).toEqual([key(uploaded), ...Object.values(uploaded.formats ?? {}).map(key)].sort());
      expect(added.length).toBeGreaterThan(1);

      // Deleted through the first replica: every object it stored through the second is gone from the bucket.
      expect((await admin(cms.url, 'DELETE', `/upload/files/${uploaded.id}`)).status).toBe(200);
      expect(await bucket.keys()).toEqual(before);
      expect((await bytesAt(uploaded.url)).status).toBe(404);
      expect((await admin(replicaUrl, 'GET', `/upload/files/${uploaded.id}`)).status).toBe(404);
    },
  );

  it('removes a deleted media’s file and formats from the bucket', async () => {
    const file = await upload(cms.url, 'to-delete.png', png(800, 600));
    const objects = [key(file), ...Object.values(file.formats ?? {}).map(key)];
    expect(objects.length).toBeGreaterThan(1);
    expect(await bucket.keys()).toEqual(expect.arrayContaining(objects));
    expect((await admin(cms.url, 'DELETE', `/upload/files/${file.id}`)).status).toBe(200);
    const left = await bucket.keys();
    for (const object of objects) expect(left).not.toContain(object);
  });
});
