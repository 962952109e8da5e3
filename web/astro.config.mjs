// The static site: every page is built from the CMS at build time, no server at runtime. The content comes
// through Astro's content layer (src/content.config.ts, loaded by src/content/loader.ts); the settings are
// read and checked once, here and by the loader (src/settings.ts).
import react from '@astrojs/react';
import { defineConfig, sharpImageService } from 'astro/config';
import { buildReport } from './src/integrations/build-report.ts';
import { freshContent } from './src/integrations/fresh-content.ts';
import { parseImageHosts } from './src/images/image-hosts.ts';
import { cmsImages } from './src/integrations/images.ts';
import { precompress } from './src/integrations/precompress.ts';
import { searchIndex } from './src/integrations/search-index.ts';
import { retainBuildForUpdates } from './src/integrations/retain-build.ts';
import { readSiteBuildSettings } from './src/settings.ts';

const settings = readSiteBuildSettings();

export default defineConfig({
  output: 'static',
  site: settings.SITE_URL,
  // npm start, the rebuild service, the tests and the benchmarks build into a directory of their choosing.
  outDir: settings.SITE_OUT_DIR,
  // Astro's cache: the encoded images (assets/) and their originals (cms-images/, src/images/source-cache.ts)
  // live here, so it must outlive a build for unchanged images not to be encoded again.
  cacheDir: settings.SITE_CACHE_DIR,
  // Build-time images (src/images/, docs/site.md#images) go through Astro's sharp service. AVIF at sharp's
  // default effort (4) took 5.5× as long as effort 2 for files 18 % smaller (four widths of a 1600 px picture:
  // 13.3 s vs 2.4 s on 2 busy cores); every cover of a 1,000-article site pays it on a cold build, so effort 2.
  image: { service: sharpImageService({ avif: { effort: 2 } }) },
  trailingSlash: 'always',
  // Stylesheets are inlined into every page: one request per page, nothing render-blocking (the CSS is small).
  build: { format: 'directory', inlineStylesheets: 'always' },
  // Every page carries a <meta> Content-Security-Policy with the hashes of its own scripts and styles (Astro's
  // CSP); the header-only directives (frame-ancestors, base-uri, object-src) come from the server
  // (scripts/rebuild/headers.ts, web/caddy/Caddyfile).
  // form-action is in the <meta> too: the consultation form posts to the CMS without JavaScript
  // (src/components/ConsultationForm.tsx), so the CMS's public origin is allowed beside 'self'.
  security: { csp: { directives: [`form-action 'self' ${new URL(settings.PUBLIC_CMS_URL ?? settings.CMS_URL).origin}`] } },
  // The site renders no Markdown (rich text comes from the CMS as blocks), so no code highlighter; Shiki's
  // inline styles would also clash with the CSP, and Astro warns about it on every build.
  markdown: { syntaxHighlight: false },
  // Every build first loads the content config (src/content.config.ts) in a Vite server of its own, in Astro's
  // `astro` environment. The packages it imports are loaded by Node as they are, not transformed and run again
  // by Vite: @agency/shared (already loaded by this file through src/settings.ts; linked, so Vite would
  // otherwise treat it as source) and the two Astro modules the collections need (Astro marks its own package
  // as source, which pulled its error catalogue through Vite's transforms). ~10% of a seed build's CPU
  // (docs/benchmarks.md). Only that environment: the pages' own bundle still bundles @agency/shared.
  vite: { environments: { astro: { resolve: { external: ['@agency/shared', 'astro/content/config', 'astro/zod'] } } } },
  // React renders the consultation form island (src/components/ConsultationForm.tsx). No content from an
  // earlier build is kept (src/integrations/fresh-content.ts), Pagefind indexes the pages for /search/
  // (src/integrations/search-index.ts, before precompress so its files are compressed too), text files get .br/.gz copies
  // (src/integrations/precompress.ts, before the report says ok), and the build report goes to SITE_BUILD_REPORT
  // when it is set.
  integrations: [
    react(),
    freshContent(),
    searchIndex(),
    precompress(),
    buildReport(settings.SITE_BUILD_REPORT),
    // Last: its astro:build:done ends the build's image run after the report has read its figures.
    cmsImages({
      cmsUrl: settings.CMS_URL,
      publicCmsUrl: settings.PUBLIC_CMS_URL,
      timeoutMs: settings.IMAGE_TIMEOUT_MS,
      maxBytes: settings.IMAGE_MAX_BYTES,
      imageHosts: parseImageHosts(settings.IMAGE_HOSTS),
    }),
    // The warm build worker keeps each build's renderer for incremental publishes (src/incremental/).
    retainBuildForUpdates(),
  ],
});
