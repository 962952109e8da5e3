// The build's store of original images, keyed by a SHA-256 of their bytes. Every image the site shows (a CMS
// upload, an S3 object, a generated share card) is downloaded or drawn once into `<cacheDir>/cms-images/`, and
// astro:assets then encodes it from there (src/images/source-server.ts). Why the bytes' hash and not only
// Strapi's `hash` field: Strapi's hash is the file name plus a random suffix, new on every upload, so the same
// picture uploaded twice would be encoded twice, and an inline rich-text image carries no hash at all. The
// bytes' hash is the content's identity, so Astro's own encoding cache (keyed by the source URL, which holds
// this hash) reuses every variant of an unchanged picture. A small index maps "URL + Strapi hash" to the bytes'
// hash, so an unchanged upload is not even downloaded again (Strapi never rewrites a file in place: a replaced
// file gets a new hash and URL), and a site can be rebuilt from the cache while the CMS is down.
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { CmsError } from '../cms/errors.ts';

/** An original image in the store: the SHA-256 of its bytes, its file extension and its size in pixels. */
export type SourceImage = { key: string; ext: string; width: number; height: number };

/** The formats sharp (astro:assets' encoder) reads, by sharp's format name, with the extension stored. */
const FORMATS: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif', tiff: 'tiff' };

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Writes a file so that a reader never sees half of it (a build killed mid-write leaves no torn entry). */
async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

export class SourceCache {
  readonly dir: string;
  readonly #timeoutMs: number;
  /** Lookups in flight or done in this build, so an image used on many pages is read once. */
  readonly #pending = new Map<string, Promise<SourceImage>>();

  constructor(dir: string, timeoutMs = 30_000) {
    this.dir = dir;
    this.#timeoutMs = timeoutMs;
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
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (error) {
      throw new CmsError(
        'unreachable',
        `Could not download the image ${url} for the build: ${(error as Error).message}. Check that the CMS (or the bucket it uploads to) is running and reachable from this machine.`,
        { cause: error },
      );
    }
    if (!response.ok) {
      throw new CmsError(
        'http',
        `Could not download the image ${url} for the build: the server answered ${response.status} ${response.statusText}. The file may have been deleted from the media library while an entry still uses it.`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
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
