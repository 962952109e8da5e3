// The build's store of original images, keyed by a SHA-256 of their bytes. Every image the site shows (a CMS
// upload, an S3 object, a generated share card) is downloaded or drawn once into `<cacheDir>/cms-images/`, and
// astro:assets then encodes it from there (src/images/source-server.ts). Why the bytes' hash and not only
// Strapi's `hash` field: Strapi's hash is the file name plus a random suffix, new on every upload, so the same
// picture uploaded twice would be encoded twice, and an inline rich-text image carries no hash at all. The
// bytes' hash is the content's identity, so Astro's own encoding cache (keyed by the source URL, which holds
// this hash) reuses every variant of an unchanged picture. A small index maps "URL + Strapi hash" to the bytes'
// hash, so an unchanged upload is not even downloaded again (Strapi never rewrites a file in place: a replaced
// file gets a new hash and URL), and a site can be rebuilt from the cache while the CMS is down.
// Every download has a deadline (the answer and the whole file) and a size limit, follows no redirect, and its
// errors never carry the server's answer, only its status: they reach the build report and the rebuild
// service's /status.
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { formatBytes } from '@agency/shared';
import { CmsError, type CmsErrorKind } from '../cms/errors.ts';
import { DEFAULT_MAX_IMAGE_BYTES } from '../settings.ts';

/** An original image in the store: the SHA-256 of its bytes, its file extension and its size in pixels. */
export type SourceImage = { key: string; ext: string; width: number; height: number };

/** The formats sharp (astro:assets' encoder) reads, by sharp's format name, with the extension stored. */
const FORMATS: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif', tiff: 'tiff' };

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * An image the build could not have: `reason` says what happened in a few words (`404 Not Found`, `no answer
 * within 30 s`), `advice` what to do; the message puts both after the URL. Callers that know which entry and
 * field show the image (./content-images.ts) say so with the same reason and advice.
 */
export class ImageFetchError extends CmsError {
  override name = 'ImageFetchError';
  readonly url: string;
  readonly reason: string;
  readonly advice: string;

  /** `where`: who shows the image (`"Title", body, image /uploads/x.jpg`), said instead of the bare URL. */
  constructor(kind: CmsErrorKind, url: string, reason: string, advice: string, options?: { cause?: unknown; where?: string }) {
    const what = options?.where ?? `Could not download the image ${shownUrl(url)} for the build`;
    super(kind, `${what}: ${reason}. ${advice}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.url = url;
    this.reason = reason;
    this.advice = advice;
  }
}

/** A URL as messages show it: without credentials or a query, which may hold a signature or a token. */
export function shownUrl(raw: string): string {
  if (!URL.canParse(raw)) return raw.replace(/[?#].*$/, '');
  const url = new URL(raw);
  url.username = '';
  url.password = '';
  const query = url.search ? '?…' : '';
  url.search = '';
  url.hash = '';
  return `${url.href}${query}`;
}

/** Why a request got no answer, in a few words: a timeout, or the system's error code. */
function networkReason(error: unknown, timeoutMs: number): string {
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    const { name, code, cause } = current as { name?: unknown; code?: unknown; cause?: unknown };
    if (name === 'TimeoutError') return `no answer within ${Number((timeoutMs / 1000).toFixed(1))} s`;
    if (typeof code === 'string') return code;
    current = cause;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Writes a file so that a reader never sees half of it (a build killed mid-write leaves no torn entry). */
async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

export class SourceCache {
  readonly dir: string;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  /** Lookups in flight or done in this build, so an image used on many pages is read once. */
  readonly #pending = new Map<string, Promise<SourceImage>>();

  /** timeoutMs: how long one download may take, answer and file; maxBytes: the largest original accepted. */
  constructor(dir: string, timeoutMs = 30_000, maxBytes = DEFAULT_MAX_IMAGE_BYTES) {
    this.dir = dir;
    this.#timeoutMs = timeoutMs;
    this.#maxBytes = maxBytes;
  }

  /** Where the original's bytes are stored. */
  file(image: SourceImage): string {
    return join(this.dir, 'sources', `${image.key}.${image.ext}`);
  }

  /**
   * The image at `url` (absolute: the CMS's `/uploads/…` resolved by the caller, or a bucket's URL), from the
   * store when this URL and Strapi hash were stored before, else downloaded and stored.
   */
  fromUrl(url: string, strapiHash: string | null = null): Promise<SourceImage> {
    return this.#once(`url:${url}#${strapiHash ?? ''}`, async (indexFile) => {
      const bytes = await this.#download(url);
      const image = await this.#store(bytes, url);
      await writeAtomically(indexFile, JSON.stringify(image));
      return image;
    });
  }

  /** An image drawn at build time (a share card), stored under `inputsKey` so the same inputs are never drawn twice. */
  fromGenerated(inputsKey: string, draw: () => Promise<Uint8Array>): Promise<SourceImage> {
    return this.#once(`generated:${inputsKey}`, async (indexFile) => {
      const image = await this.#store(await draw(), `the generated image ${inputsKey}`);
      await writeAtomically(indexFile, JSON.stringify(image));
      return image;
    });
  }

  #once(lookup: string, create: (indexFile: string) => Promise<SourceImage>): Promise<SourceImage> {
    let pending = this.#pending.get(lookup);
    if (!pending) {
      pending = this.#lookup(lookup, create);
      this.#pending.set(lookup, pending);
    }
    return pending;
  }

  async #lookup(lookup: string, create: (indexFile: string) => Promise<SourceImage>): Promise<SourceImage> {
    await mkdir(join(this.dir, 'index'), { recursive: true });
    const indexFile = join(this.dir, 'index', `${sha256(lookup)}.json`);
    const known = await this.#readIndex(indexFile);
    return known ?? create(indexFile);
  }

  /** A stored index entry whose original is still in the store, else null (the caller downloads again). */
  async #readIndex(indexFile: string): Promise<SourceImage | null> {
    try {
      const image = JSON.parse(await readFile(indexFile, 'utf8')) as SourceImage;
      await access(this.file(image));
      return image;
    } catch {
      return null;
    }
  }

  async #download(url: string): Promise<Uint8Array> {
    const timeoutMs = this.#timeoutMs;
    const unreachable = (error: unknown) =>
      new ImageFetchError(
        'unreachable',
        url,
        networkReason(error, timeoutMs),
        'Check that the CMS (or the bucket it uploads to) is running and reachable from this machine.',
        { cause: error },
      );
    let response: Response;
    try {
      // One deadline for the answer and the whole file: a server that sends a byte a minute is stopped too.
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    } catch (error) {
      throw unreachable(error);
    }
    const status = `${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim();
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new ImageFetchError(
        'http',
        url,
        `the server answered ${status}, a redirect the build does not follow`,
        "Use the file's own URL (the one the media library shows).",
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      const gone = response.status === 404 || response.status === 410;
      throw new ImageFetchError(
        gone ? 'invalid-content' : 'http',
        url,
        status,
        gone
          ? 'The file may have been deleted from the media library while the entry still uses it: choose the image again (or remove it) and publish.'
          : 'Check that the server the image is on lets the build read it.',
      );
    }
    const tooLarge = (what: string) =>
      new ImageFetchError(
        'invalid-content',
        url,
        `larger than the ${formatBytes(this.#maxBytes)} an image may be (${what})`,
        'Upload a smaller file (the limit is IMAGE_MAX_BYTES).',
      );
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > this.#maxBytes) {
      await response.body?.cancel();
      throw tooLarge(`it announced ${formatBytes(declared)}`);
    }
    // Read with a running count: a server may announce nothing, or less than it sends.
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength;
        // Leaving the loop cancels the stream: the connection is closed, nothing more is read.
        if (size > this.#maxBytes) throw tooLarge('stopped after reading that much');
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof ImageFetchError) throw error;
      throw unreachable(error);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  async #store(bytes: Uint8Array, origin: string): Promise<SourceImage> {
    let metadata: Metadata;
    try {
      metadata = await sharp(bytes).metadata();
    } catch (error) {
      throw new CmsError('invalid-content', `The image ${origin} is not an image the site can read (${(error as Error).message}).`);
    }
    const ext = metadata.format ? FORMATS[metadata.format] : undefined;
    if (!ext || !metadata.width || !metadata.height) {
      throw new CmsError(
        'invalid-content',
        `The image ${origin} is ${metadata.format ?? 'of an unknown format'}, which the site cannot optimise: upload a JPEG, PNG, WebP, AVIF or GIF instead.`,
      );
    }
    // EXIF rotation: sharp (and so astro:assets) turns the picture upright, so its size is the upright one.
    const turned = (metadata.orientation ?? 1) >= 5;
    const image: SourceImage = {
      key: sha256(bytes),
      ext,
      width: turned ? metadata.height : metadata.width,
      height: turned ? metadata.width : metadata.height,
    };
    await mkdir(join(this.dir, 'sources'), { recursive: true });
    await writeAtomically(this.file(image), bytes);
    return image;
  }
}
