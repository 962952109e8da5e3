// The preview server: the same components and data module as the static site, rendered on request so
// editors see drafts. Its pages live in src/preview/pages (all under /preview); the public site's pages
// (src/pages) are not part of this build, and the static site stays fully static.
import node from '@astrojs/node';
import react from '@astrojs/react';
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  srcDir: './src/preview',
  outDir: process.env.PREVIEW_OUT_DIR || './.preview-dist',
  site: process.env.SITE_URL || 'http://127.0.0.1:4321',
  trailingSlash: 'always',
  build: { inlineStylesheets: 'always' },
  integrations: [react()],
});
