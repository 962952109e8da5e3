// One site build's image state, shared between the integration (src/integrations/images.ts: it starts the
// source server and reads the figures) and the pages (src/images/picture.ts: they register images while they
// render). The two are loaded as different module instances (Astro's config vs the bundled pages), so the
// state lives on globalThis under one symbol; both sides go through these functions, never the global itself.
import { allowsImageUrl } from './image-hosts.ts';
import type { CardFonts } from './share-card.ts';
import { ImageFetchError, type SourceCache, type SourceImage } from './source-cache.ts';

export type ImageRun = {
  cache: SourceCache;
  /** The made-up origin astro:assets fetches originals from (src/images/source-origin.ts). */
  origin: string;
  /** The CMS as the build reaches it (CMS_URL), to resolve `/uploads/…` paths. */
  cmsUrl: string;
  /** The CMS's URLs (CMS_URL, PUBLIC_CMS_URL) and IMAGE_HOSTS: where rich-text images may come from (./image-hosts.ts). */
  imageSources: { cmsUrls: readonly string[]; hosts: readonly string[] };
  /** Inter's woff files for the share cards, found from the integration (the bundled pages cannot resolve them). */
  fonts: CardFonts;
  /** Keys of every original a page used in this build. */
  used: Set<string>;
  /** Keys of the originals astro:assets fetched in this build: it fetches only to encode (a cache miss). */
  fetched: Set<string>;
};

/** How many originals this build encoded (at least one variant) and how many it took whole from the cache. */
export type ImageFigures = { encoded: number; reused: number };

const RUN = Symbol.for('agency.site.imageRun');
type Holder = { [RUN]?: ImageRun };

export function startImageRun(run: ImageRun): void {
  (globalThis as Holder)[RUN] = run;
}

/** This build's image state, or null outside a static build (the preview server renders on request). */
export function currentImageRun(): ImageRun | null {
  return (globalThis as Holder)[RUN] ?? null;
}

export function endImageRun(): void {
  delete (globalThis as Holder)[RUN];
}

/** The URL astro:assets loads an original from: the same on every build, named by the hash of its bytes. */
export function sourceUrl(run: ImageRun, image: SourceImage): string {
  run.used.add(image.key);
  return `${run.origin}/${image.key}.${image.ext}`;
}

export function imageFigures(run: ImageRun): ImageFigures {
  const encoded = [...run.used].filter((key) => run.fetched.has(key)).length;
  return { encoded, reused: run.used.size - encoded };
}

/** An image as the CMS gives it: a `/uploads/…` path or an absolute URL, Strapi's hash when it has one. */
export type CmsImageRef = {
  url: string;
  hash?: string | null;
  /** From rich text (an editor's URL): fetched only from the CMS or IMAGE_HOSTS (./image-hosts.ts). */
  richText?: boolean;
};

/** The original, downloaded (or taken from the store) and measured. */
export function loadSource(run: ImageRun, image: CmsImageRef): Promise<SourceImage> {
  const url = new URL(image.url, run.cmsUrl);
  if (image.richText && !allowsImageUrl(url, run.imageSources.cmsUrls, run.imageSources.hosts))
    return Promise.reject(
      new ImageFetchError(
        'invalid-content',
        url.href,
        `${url.host} is not a host the build fetches images from`,
        "Rich-text images come from the media library (the CMS's /uploads/) or from a host listed in IMAGE_HOSTS.",
      ),
    );
  return run.cache.fromUrl(url.href, image.hash ?? null);
}
