// Content is fresh on every build. The content loader clears its collections before loading
// (src/content/loader.ts), but Astro also keeps its content store on disk between builds
// (<cacheDir>/data-store.json) and would build from that copy if the loader never ran (a content config
// that fails to load is logged and skipped, not fatal). So every `astro build` starts by deleting it: the
// pages can only ever see what the CMS returned to this build.
import { rmSync } from 'node:fs';
import type { AstroIntegration } from 'astro';

/** The content layer's store file, as Astro names it (astro/dist/content/consts.js, DATA_STORE_FILE). */
const DATA_STORE_FILE = 'data-store.json';

export function freshContent(): AstroIntegration {
  return {
    name: 'agency:fresh-content',
    hooks: {
      'astro:config:setup': ({ command, config }) => {
        if (command === 'build') rmSync(new URL(DATA_STORE_FILE, config.cacheDir), { force: true });
      },
    },
  };
}
