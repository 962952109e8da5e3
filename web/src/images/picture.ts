// Turns one CMS image into what a <picture> needs, through astro:assets (its sharp service): AVIF and WebP
// sources and a JPEG (PNG for pictures that may be transparent) fallback, each with a srcset at the requested
// widths, never wider than the original, and the size to reserve so nothing shifts while it loads. Only the
// static build calls this (src/images/image-run.ts); the preview server shows the CMS's own file.
import { getImage } from 'astro:assets';
import { currentImageRun, loadSource, sourceUrl, type CmsImageRef, type ImageRun } from './image-run.ts';
import { candidateWidths } from './widths.ts';

type PictureSource = { type: string; srcset: string };
export type Picture = { sources: PictureSource[]; src: string; srcset: string; width: number; height: number };

/** Widths for an image as wide as the text column (the cover, inline images), in CSS pixels × 1–2. */
export const CONTENT_WIDTHS = [400, 800, 1200, 1600];

/** The text column is at most --measure (40rem) wide (src/styles/site.css); the cover and inline images fill it. */
export const COLUMN_SIZES = '(min-width: 44rem) 40rem, 100vw';

/** The build's image state; a clear error if a page asks for an image outside a static build. */
export function requireImageRun(): ImageRun {
  const run = currentImageRun();
  if (!run) throw new Error('Build-time images are only available in the static site build (src/integrations/images.ts did not start).');
  return run;
}

/** AVIF, WebP and a fallback for `image`, at `widths` (see candidateWidths). */
export async function picture(image: CmsImageRef, widths: readonly number[] = CONTENT_WIDTHS): Promise<Picture> {
  const run = requireImageRun();
  const source = await loadSource(run, image);
  const src = sourceUrl(run, source);
  const offered = candidateWidths(widths, source.width);
  const largest = offered.at(-1)!;
  const height = Math.round((source.height * largest) / source.width);
  const fallback = source.ext === 'png' || source.ext === 'gif' ? 'png' : 'jpeg';
  const [avif, webp, plain] = await Promise.all(
    (['avif', 'webp', fallback] as const).map((format) => getImage({ src, width: largest, height, widths: offered, format })),
  );
  return {
    sources: [
      { type: 'image/avif', srcset: avif!.srcSet.attribute },
      { type: 'image/webp', srcset: webp!.srcSet.attribute },
    ],
    src: plain!.src,
    srcset: plain!.srcSet.attribute,
    width: largest,
    height,
  };
}

/** The picture as HTML, for the rich-text renderer (which builds strings); attribute values are escaped by the caller's rules. */
export function pictureHtml(
  pic: Picture,
  { alt, sizes, priority = false, className }: { alt: string; sizes: string; priority?: boolean; className?: string },
  escape: (value: string) => string,
): string {
  const sources = pic.sources.map((source) => `<source type="${source.type}" srcset="${escape(source.srcset)}" sizes="${escape(sizes)}">`);
  const loading = priority ? 'loading="eager" fetchpriority="high"' : 'loading="lazy"';
  const cls = className ? ` class="${escape(className)}"` : '';
  return `<picture${cls}>${sources.join('')}<img src="${escape(pic.src)}" srcset="${escape(pic.srcset)}" sizes="${escape(sizes)}" alt="${escape(alt)}" width="${pic.width}" height="${pic.height}" ${loading} decoding="async"></picture>`;
}
