// A real S3-compatible bucket for tests: s3rver on a free port with one bucket, its files in a temporary
// directory, reached path-style with s3rver's own keys. What the CMS needs to use it is `env`; what a test
// checks in it (the keys there, an object's bytes) goes over plain HTTP, as a reader of the bucket would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export type S3Bucket = {
  name: string;
  /** The S3 API's address, http://127.0.0.1:<port>. */
  endpoint: string;
  /** Where an object is read from, path-style: `${endpoint}/${name}`. */
  publicBaseUrl: string;
  /** The CMS's settings for this bucket (UPLOAD_PROVIDER=s3 …). */
  env: Record<string, string>;
  /** Every key in the bucket, sorted. */
  keys: () => Promise<string[]>;
  /** Takes the server down (connections refused) until `resume`, keeping every object. */
  pause: () => Promise<void>;
  /** Starts the server again on the same port and files. */
  resume: () => Promise<void>;
  stop: () => Promise<void>;
};

/** s3rver accepts only its own credentials. */
const S3RVER_KEY = 'S3RVER';

/** Starts the bucket on `port` (0: a free one; the production pair's, ./pair.ts, is reserved for it). */
export async function startS3Bucket(name = 'agency-media', port = 0): Promise<S3Bucket> {
  const directory = mkdtempSync(path.join(tmpdir(), 'agency-s3-'));
  const serve = (port: number) => new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: [{ name }] });
  let server: S3rver | null = serve(port);
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    name,
    endpoint,
    publicBaseUrl: `${endpoint}/${name}`,
    env: {
      UPLOAD_PROVIDER: 's3',
      S3_BUCKET: name,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: S3RVER_KEY,
      S3_SECRET_ACCESS_KEY: S3RVER_KEY,
    },
    async keys() {
      const response = await fetch(`${endpoint}/${name}?list-type=2`);
      if (!response.ok) throw new Error(`Listing bucket ${name} failed: ${response.status} ${await response.text()}`);
      const xml = await response.text();
      return [...xml.matchAll(/<Key>([^<]+)<\/Key>/g)].map((match) => match[1]!).sort();
    },
    async pause() {
      await server?.close();
      server = null;
    },
    async resume() {
      if (server) return;
      server = serve(address.port);
      await server.run();
    },
    async stop() {
      await server?.close();
      server = null;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
