// A static site: every page is built from the CMS at build time (src/lib/cms.ts), no server at runtime.
import react from '@astrojs/react';
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'static',
  site: process.env.SITE_URL || 'http://127.0.0.1:4321',
  // scripts/lib/site.ts builds into a directory of its choosing (npm start, tests, benchmarks).
  outDir: process.env.SITE_OUT_DIR || './dist',
  trailingSlash: 'always',
  // Stylesheets are inlined into every page: one request per page, nothing render-blocking (the CSS is small).
  build: { format: 'directory', inlineStylesheets: 'always' },
  // React islands arrive in a later issue; the integration is ready for them (React compiler off).
  integrations: [react()],
});
