// The preview server: the same components as the static site, rendered on request so editors see drafts.
// Its pages live in src/preview/pages (all under /preview) and fetch per request (src/cms/preview.ts); the
// public site's pages (src/pages) are not part of this build, its content layer is declared for the types
// only (src/preview/content.config.ts), and the static site stays fully static. Its settings:
// previewServerSettings in src/settings.ts.
import node from '@astrojs/node';
import react from '@astrojs/react';
import { defineConfig } from 'astro/config';
import { previewServerSettings, readSettings } from './src/settings.ts';

const settings = readSettings(previewServerSettings);

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  srcDir: './src/preview',
  outDir: settings.PREVIEW_OUT_DIR,
  site: settings.SITE_URL,
  // Not 'always': Astro would answer a path without its slash with its own 301, before the middleware, so
  // without no-store and noindex (and with the link's signature in Location). The middleware takes both.
  trailingSlash: 'ignore',
  build: { inlineStylesheets: 'always' },
  integrations: [react()],
});
