// Indexes the built site for the /search/ page (src/pages/search.astro) with Pagefind, once every page is
// written: every path that builds the site (rebuild service, tests, benchmarks) gets a fresh index inside the
// same output directory, so the index is activated atomically with the pages it describes. Only what sits
// inside `data-pagefind-body` (an article's own text, src/components/ArticlePage.astro) is indexed: not the
// navigation, the consultation block or the listing pages. Listed before precompress in astro.config.mjs, so
// Pagefind's text files (its JS, CSS and JSON) get .br/.gz copies too; its index and fragment files are
// compressed by Pagefind itself. A failure fails the build: a site whose search finds nothing must not go live.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';

/** Where the index is written inside the build (the search page loads `/pagefind/pagefind.js`). */
export const SEARCH_INDEX_DIR = 'pagefind';

function failure(step: string, errors: readonly string[]): Error {
  return new Error(`Pagefind could not ${step}: ${errors.join('; ')}. The site is not activated without its search index.`);
}

/**
 * Pagefind's ready-made interfaces, which it always writes: the search page has its own (src/lib/search-ui.ts)
 * and needs only pagefind.js, its worker, the WASM and the index. Removed so the build does not precompress and
 * ship ~370 KB nobody loads.
 */
const UNUSED = /^pagefind-(ui|component-ui|modular-ui|highlight)\.(js|css)$/;

async function removeUnused(outputPath: string): Promise<void> {
  const files = (await readdir(outputPath)).filter((file) => UNUSED.test(file));
  await Promise.all(files.map((file) => rm(path.join(outputPath, file))));
}

/** How many pages the written index holds (Pagefind reads every HTML file but indexes only data-pagefind-body pages). */
async function indexedPages(outputPath: string): Promise<number> {
  const entry = JSON.parse(await readFile(path.join(outputPath, 'pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  return Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0);
}

/** Indexes the HTML under `siteDir` and writes the index to `<siteDir>/pagefind`; returns how many pages it holds. */
export async function writeSearchIndex(siteDir: string): Promise<number> {
  try {
    const created = await pagefind.createIndex({ forceLanguage: 'en' });
    if (!created.index) throw failure('start an index', created.errors);
    const added = await created.index.addDirectory({ path: siteDir });
    if (added.errors.length > 0) throw failure(`index ${siteDir}`, added.errors);
    const outputPath = path.join(siteDir, SEARCH_INDEX_DIR);
    const written = await created.index.writeFiles({ outputPath });
    if (written.errors.length > 0) throw failure('write its files', written.errors);
    await removeUnused(outputPath);
    return indexedPages(outputPath);
  } finally {
    // Pagefind runs as a child process (its binary): stop it so the build exits.
    await pagefind.close();
  }
}

export function searchIndex(): AstroIntegration {
  return {
    name: 'agency:search-index',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const pages = await writeSearchIndex(fileURLToPath(dir));
        logger.info(`indexed ${pages} pages for search (/${SEARCH_INDEX_DIR}/)`);
      },
    },
  };
}
