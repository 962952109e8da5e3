// Build-time images (docs/site.md): for `astro build` (and `astro dev`), opens the store of originals in the cache directory
// (src/images/source-cache.ts), answers the made-up origin astro:assets fetches them from
// (src/images/source-origin.ts), allows exactly that origin as a remote image origin, and stops answering once
// the pages and images are written.
// The pages register what they use (src/images/image-run.ts); the build report reads the figures.
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { endImageRun, startImageRun, type ImageRun } from '../images/image-run.ts';
import { noteImageRunOpener } from '../incremental/retained-build.ts';
import { interFonts } from '../images/fonts.ts';
import { SourceCache } from '../images/source-cache.ts';
import { SOURCE_HOST, SOURCE_ORIGIN, answerSourceOrigin } from '../images/source-origin.ts';

export type ImagesOptions = {
  cmsUrl: string;
  /** PUBLIC_CMS_URL: rich-text images may name the CMS by its public address too. */
  publicCmsUrl: string | null;
  /** One download's deadline (IMAGE_TIMEOUT_MS) and the largest original (IMAGE_MAX_BYTES). */
  timeoutMs: number;
  maxBytes: number;
  /** IMAGE_HOSTS, parsed: other hosts rich-text images may come from (src/images/image-hosts.ts). */
  imageHosts: readonly string[];
};

export function cmsImages({ cmsUrl, publicCmsUrl, timeoutMs, maxBytes, imageHosts }: ImagesOptions): AstroIntegration {
  let stop: (() => void) | null = null;
  return {
    name: 'agency:cms-images',
    hooks: {
      'astro:config:setup': ({ command, config, updateConfig }) => {
        // `astro dev` too: its /_image endpoint fetches originals in this process, through the same origin.
        if (command !== 'build' && command !== 'dev') return;
        const dir = fileURLToPath(new URL('cms-images/', config.cacheDir));
        const open = () => {
          const cache = new SourceCache(dir, timeoutMs, maxBytes);
          const run: ImageRun = {
            cache,
            origin: SOURCE_ORIGIN,
            cmsUrl,
            imageSources: { cmsUrls: [cmsUrl, ...(publicCmsUrl ? [publicCmsUrl] : [])], hosts: imageHosts },
            fonts: interFonts(),
            used: new Set(),
            fetched: new Set(),
          };
          const restoreFetch = answerSourceOrigin(dir, (key) => run.fetched.add(key));
          startImageRun(run);
          return () => {
            endImageRun();
            restoreFetch();
          };
        };
        stop = open();
        // The warm worker's incremental updates render pages after this build, with a run of their own.
        noteImageRunOpener(open);
        updateConfig({ image: { remotePatterns: [{ protocol: 'http', hostname: SOURCE_HOST }] } });
      },
      'astro:build:done': () => {
        stop?.();
        stop = null;
      },
    },
  };
}
