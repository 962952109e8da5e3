// One site build's image state, shared between the integration (src/integrations/images.ts: it starts the
// source server and reads the figures) and the pages (src/images/picture.ts: they register images while they
// render). The two are loaded as different module instances (Astro's config vs the bundled pages), so the
// state lives on globalThis under one symbol; both sides go through these functions, never the global itself.
import type { CardFonts } from './share-card.ts';
import type { SourceCache, SourceImage } from './source-cache.ts';

export type ImageRun = {
  cache: SourceCache;
  /** The made-up origin astro:assets fetches originals from (src/images/source-origin.ts). */
  origin: string;
  /** The CMS as the build reaches it (CMS_URL), to resolve `/uploads/…` paths. */
  cmsUrl: string;
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
