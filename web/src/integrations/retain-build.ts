// Keeps a full build's renderer for the warm build worker's incremental updates (src/incremental/). Only in
// the worker, which asks for it (enableRetention, scripts/rebuild/build-worker.ts): a fresh `astro build`
// process exits after its build, and keeping anything would be pointless there.
//
// Astro's `astro:build:start` hook lets an integration choose the prerenderer; this one takes Astro's own
// default (its teardown does nothing, so it still renders after the build) and keeps it, with the content the
// build fetched, the paths it wrote and the `_astro/` files each page uses. Every build starts by forgetting
// the previous one, so an update never extends a build older than the last full one.
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { setLiveContent } from '../content/live-content.ts';
import {
  fetchedContent,
  imageRunOpener,
  retainBuild,
  retentionEnabled,
  setupKey,
  type RetainedPrerenderer,
} from '../incremental/retained-build.ts';
import { buildImageRegistrar } from '../incremental/astro-images.ts';
import { scanAssetRefs } from '../incremental/update-site.ts';

export function retainBuildForUpdates(): AstroIntegration {
  let prerenderer: RetainedPrerenderer | null = null;
  let cacheDir = '';
  let site: URL | null = null;
  let addStaticImage: unknown = null;
  return {
    name: 'agency:retain-build',
    hooks: {
      'astro:config:setup': ({ command }) => {
        if (command !== 'build') return;
        prerenderer = null;
        addStaticImage = null;
        retainBuild(null);
        setLiveContent(null);
      },
      'astro:config:done': ({ config }) => {
        cacheDir = fileURLToPath(config.cacheDir);
        site = config.site ? new URL(config.site) : null;
      },
      'astro:build:start': ({ setPrerenderer }) => {
        if (!retentionEnabled()) return;
        setPrerenderer((astroDefault) => {
          const kept = astroDefault as unknown as RetainedPrerenderer;
          // astro:assets' registrar exists while the build renders and is gone by astro:build:done: taken at
          // the first render (src/incremental/astro-images.ts).
          const render = kept.render.bind(kept);
          kept.render = (request, options) => {
            addStaticImage ??= buildImageRegistrar();
            return render(request, options);
          };
          prerenderer = kept;
          return astroDefault;
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const content = fetchedContent();
        const openImageRun = imageRunOpener();
        if (!prerenderer || !content || !openImageRun || !site) return;
        const outDir = fileURLToPath(dir);
        // The route cache still holds what this build's getStaticPaths returned: read, not computed again.
        const paths = new Map((await prerenderer.getStaticPaths()).map(({ pathname, route }) => [pathname, route]));
        const assetRefs = scanAssetRefs(outDir, paths);
        retainBuild({
          prerenderer,
          setup: setupKey(process.env),
          outDir,
          cacheDir,
          site,
          content,
          paths,
          assetRefs,
          addStaticImage,
          openImageRun,
        });
        logger.info(`kept for incremental publishes (${paths.size} paths)`);
      },
    },
  };
}
