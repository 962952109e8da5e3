// Uploads in an S3-compatible bucket (UPLOAD_PROVIDER=s3, issue 11 point 5) on a real Strapi and a real S3 server
// (s3rver): a file uploaded through the admin's upload API lands in the bucket with its generated formats, the
// media entry's url is the bucket's, fetching it returns the same bytes, the admin's CSP lets the Media Library
// show it, and deleting the media removes every object. Two CMS replicas share the database and the bucket: a
// file uploaded through one is served for the other, which could not happen with files on one replica's disk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCms, type RunningCms } from '../../scripts/stack/cms-runner.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { TestCms } from '../support/cms.ts';
import { DATABASES } from '../support/databases.ts';
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

/** The key of a file (or one of its formats) in the bucket: the provider stores it as `<hash><ext>`. */
const key = (file: { hash: string; ext: string }) => `${file.hash}${file.ext}`;

// Two Strapi processes on one database: the second replica starts on the first one's database and secrets.
describe.each(DATABASES)('uploads in an S3-compatible bucket, two CMS replicas (%s)', (database) => {
  let bucket: S3Bucket;
  let cms: TestCms;
  let replica: RunningCms;
  let replicaUrl: string;
  let jwt: string;

  beforeAll(async () => {
    bucket = await startS3Bucket();
    cms = await TestCms.boot({ database, env: bucket.env });
    replica = await startCms({ port: await freePort(), env: cms.env });
    replicaUrl = replica.url;
    const login = await cms.rest('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: cms.env.ADMIN_EMAIL, password: cms.env.ADMIN_PASSWORD }),
    });
    jwt = login.body.data.token;
  });
  afterAll(async () => {
    await replica?.stop();
    await cms?.destroy();
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

  it('serves a file uploaded through one replica to the other, and deleting it there empties the bucket', async () => {
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
  });

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
