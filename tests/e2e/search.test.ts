// Search and the home page's pages, on the rich site the reading suites share (tests/support/rich-site.ts: over a
// hundred articles, one of them found by a word of its body), built once per run from a real CMS and served by
// the stack's static server, in real Chromium. Search: the build indexes
// only the articles' own text with Pagefind (src/integrations/search-index.ts), its files are precompressed,
// the header's plain link leads to /search/, where a keyboard-only reader finds an article by a word of its
// body and opens it, with nothing blocked by the page's strict CSP and no axe violation; without JavaScript
// the page says search needs it. Pagination: `/` shows the newest 12, `/page/2/`, `/page/3/`… the rest, each
// article exactly once, with rel=prev/next and aria-current, every page in the sitemap, no `/page/1/`.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteBuild } from '../../scripts/rebuild/build-site.ts';
import { runAxe, runAxeInEachScheme } from '../support/axe.ts';
import { launchChromium, readerTabs } from '../support/browser.ts';
import {
  FOUND_SLUG,
  FOUND_TITLE,
  HOME_PAGES,
  NEWEST_SLUG,
  PER_PAGE,
  PUBLISHED_SLUGS,
  SEARCH_WORD as WORD,
  SEEDED_SLUG,
  SITE_URL,
} from '../support/rich-site.ts';
import { richSite, serve } from '../support/site.ts';

/** Every published article. */
const ARTICLES = PUBLISHED_SLUGS.length;

describe('search and the home page’s pages', () => {
  let build: SiteBuild;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;
  let tabs: ReturnType<typeof readerTabs>;

  /**
   * A tab (reused: ../support/browser.ts) on a blank page, and what it saw since: `problems()` (console errors,
   * CSP violations, page errors, failed requests, of the page and its workers) and `scripts()` (paths requested).
   */
  async function open(options: { javaScriptEnabled?: boolean } = {}) {
    const { page, record } = await tabs.tab({ viewport: { width: 1280, height: 900 }, ...options });
    return {
      page,
      problems: () => [...record.consoleErrors, ...record.pageErrors, ...record.failed],
      scripts: () => record.scripts.map((url) => new URL(url).pathname),
    };
  }

  /** axe-core's WCAG 2.2 AA violations on the page as it is now (../support/axe.ts). */
  const axeViolations = async (page: Page) => (await runAxe(page)).violations;

  const focused = (page: Page) =>
    page.evaluate(() => ({
      text: document.activeElement?.textContent?.trim() ?? '',
      tag: document.activeElement?.tagName ?? '',
      href: document.activeElement?.getAttribute('href') ?? null,
      label: (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? null,
    }));

  beforeAll(async () => {
    ({ build } = await richSite());
    site = await serve(build.outDir);
    browser = await launchChromium();
    // Runs before any page script, outside the page's CSP: every violation of any document a tab opens.
    tabs = readerTabs(browser, (context) =>
      context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
        });
      }),
    );
  }, 600_000);
  afterAll(async () => {
    await tabs?.close();
    await browser?.close();
    await site?.close();
  });

  describe('search', () => {
    it('indexes every article and nothing else, inside the build, with its text files precompressed', () => {
      const dir = path.join(build.outDir, 'pagefind');
      const entry = JSON.parse(readFileSync(path.join(dir, 'pagefind-entry.json'), 'utf8'));
      // Only pages with data-pagefind-body count: the articles, not the list pages, the search page or 404.
      expect(entry.languages.en.page_count).toBe(ARTICLES);
      for (const file of ['pagefind.js', 'pagefind-worker.js']) {
        expect(existsSync(path.join(dir, `${file}.br`)), `${file}.br`).toBe(true);
        expect(existsSync(path.join(dir, `${file}.gz`)), `${file}.gz`).toBe(true);
      }
      expect(build.output).toContain(`indexed ${ARTICLES} pages for search`);
      // Pagefind's ready-made interfaces are not shipped: the page has its own.
      expect(existsSync(path.join(dir, 'pagefind-ui.js'))).toBe(false);
    });

    it('the header links to search without a script; a keyboard-only reader finds an article by a word of its body and opens it', async () => {
      const { page, problems, scripts } = await open();
      await page.goto(`${site.url}/articles/sales-vs-marketing/`);
      expect(scripts()).toEqual([]); // no JavaScript until the reader opens search
      let current = await focused(page);
      for (let tabs = 0; tabs < 10 && current.text !== 'Search'; tabs++) {
        await page.keyboard.press('Tab');
        current = await focused(page);
      }
      expect(current).toMatchObject({ tag: 'A', href: '/search/' });
      await Promise.all([page.waitForURL(`${site.url}/search/`), page.keyboard.press('Enter')]);
      expect(await page.locator('.site-nav a[aria-current="page"]').textContent()).toBe('Search');

      // Skip link, then the first stop in the content is the labelled search field.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ tag: 'INPUT', label: 'Search the articles' });
      await page.keyboard.type(WORD, { delay: 20 });
      const status = page.locator('[role="status"]');
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe(`1 article found for “${WORD}”.`);
      expect(await status.getAttribute('aria-live')).toBe('polite');
      expect(await focused(page)).toMatchObject({ tag: 'INPUT' }); // typing never moves focus
      const results = page.locator('[data-search-results] li');
      expect(await results.count()).toBe(1);
      expect(await results.locator('h2 a').textContent()).toBe(FOUND_TITLE);
      expect(await results.locator('mark').first().textContent()).toBe(WORD);
      expect(new URL(page.url()).search).toBe(`?q=${WORD}`); // a search is a link to share

      // Tab past the button to the result, Enter opens the article.
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Search' });
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ tag: 'A', text: FOUND_TITLE });
      await Promise.all([page.waitForURL(`${site.url}/articles/${FOUND_SLUG}/`), page.keyboard.press('Enter')]);
      expect(await page.locator('h1').textContent()).toBe(FOUND_TITLE);
      // Pagefind's module, worker and WebAssembly ran under the search page's CSP; nothing was blocked or failed.
      expect(scripts()).toEqual(expect.arrayContaining(['/pagefind/pagefind.js']));
      expect(problems()).toEqual([]);
    });

    it('says when nothing matches, and searches on Enter from a ?q= link', async () => {
      const { page, problems } = await open();
      await page.goto(`${site.url}/search/?q=zzzzqx`);
      await expect.poll(() => page.locator('[role="status"]').textContent(), { timeout: 10_000 }).toBe('No articles match “zzzzqx”.');
      await page.locator('#search-query').fill('sales');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator('[role="status"]').textContent(), { timeout: 10_000 })
        .toMatch(/^\d+ articles? found for “sales”\.$/);
      expect(await page.locator('[data-search-results] li h2 a').allTextContents()).toContain(
        'What’s the difference between sales and marketing?',
      );
      expect(problems()).toEqual([]);
    });

    it('axe-core finds no WCAG 2.2 AA violation on /search/ with results (light and dark)', async () => {
      const { page } = await open();
      await page.goto(`${site.url}/search/?q=${WORD}`);
      await expect.poll(() => page.locator('[data-search-results] li').count(), { timeout: 10_000 }).toBe(1);
      for (const { scheme, violations } of await runAxeInEachScheme(page))
        expect(violations, `${scheme}:\n${violations.join('\n')}`).toEqual([]);
    });

    it('without JavaScript, the search page says search needs it', async () => {
      const { page } = await open({ javaScriptEnabled: false });
      await page.goto(`${site.url}/search/`);
      await expect.poll(() => page.locator('.search-note').isVisible()).toBe(true);
      expect(await page.locator('.search-note').textContent()).toContain('Search needs JavaScript');
    });

    it('keeps the search page out of search engines; only it may run WebAssembly', async () => {
      const search = readFileSync(path.join(build.outDir, 'search', 'index.html'), 'utf8');
      const home = readFileSync(path.join(build.outDir, 'index.html'), 'utf8');
      expect(search).toContain('<meta name="robots" content="noindex">');
      const csp = (html: string) => /http-equiv="content-security-policy" content="([^"]*)"/i.exec(html)?.[1] ?? '';
      expect(csp(search)).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
      expect(csp(home)).not.toContain('wasm-unsafe-eval');
      expect(csp(home)).toMatch(/script-src 'self' 'sha256-/);
      expect(readFileSync(path.join(build.outDir, 'sitemap.xml'), 'utf8')).not.toContain('/search/');
    });
  });

  describe('home pagination', () => {
    const pages = ['/', ...Array.from({ length: HOME_PAGES - 1 }, (_, i) => `/page/${i + 2}/`)];

    it('lists every article newest first, 12 a page, each exactly once, with rel=prev/next and aria-current', async () => {
      const { page, scripts } = await open();
      const seen: string[] = [];
      for (const [index, pathname] of pages.entries()) {
        const response = await page.goto(`${site.url}${pathname}`);
        expect(response?.status(), pathname).toBe(200);
        // What each check reads, read in one round trip to the page.
        const read = await page.evaluate(() => {
          const hrefs = (selector: string, root: ParentNode = document) =>
            [...root.querySelectorAll(selector)].map((element) => element.getAttribute('href'));
          const navs = [...document.querySelectorAll('nav[aria-label="Pages of articles"]')];
          return {
            cards: hrefs('[data-article-card] h2 a'),
            navs: navs.length,
            current: navs[0] ? [...navs[0].querySelectorAll('a[aria-current="page"]')].map((a) => a.textContent) : [],
            prev: navs[0] ? hrefs('a[rel="prev"]', navs[0]) : [],
            next: navs[0] ? hrefs('a[rel="next"]', navs[0]) : [],
            h1: document.querySelectorAll('h1').length,
            title: document.title,
            canonical: hrefs('link[rel="canonical"]'),
          };
        });
        const cards = read.cards as string[];
        expect(cards.length, pathname).toBe(index < pages.length - 1 ? PER_PAGE : ARTICLES - (pages.length - 1) * PER_PAGE);
        seen.push(...cards);
        expect(read.navs, pathname).toBe(1);
        expect(read.current, pathname).toEqual([String(index + 1)]);
        expect(read.prev, pathname).toEqual(index > 0 ? [pages[index - 1]] : []);
        expect(read.next, pathname).toEqual(index < pages.length - 1 ? [pages[index + 1]] : []);
        expect(read.h1, pathname).toBe(1);
        if (index > 0) expect(read.title).toMatch(new RegExp(`^Articles, page ${index + 1} of ${pages.length} · `));
        expect(read.canonical, pathname).toEqual([`${SITE_URL}${pathname}`]);
      }
      expect(new Set(seen).size).toBe(ARTICLES);
      // Newest first: the last article made leads the first page, the seed (published first) ends the last.
      expect(seen[0]).toBe(`/articles/${NEWEST_SLUG}/`);
      expect(seen.at(-1)).toBe(`/articles/${SEEDED_SLUG}/`);
      expect(scripts()).toEqual([]);
    }, 90_000);

    it('builds no /page/1/ (the first page is /) and no page past the last; the sitemap lists every page', async () => {
      expect(existsSync(path.join(build.outDir, 'page', '1'))).toBe(false);
      expect(existsSync(path.join(build.outDir, 'page', String(pages.length + 1)))).toBe(false);
      expect((await fetch(`${site.url}/page/1/`)).status).toBe(404);
      const sitemap = await (await fetch(`${site.url}/sitemap.xml`)).text();
      for (const pathname of pages) expect(sitemap).toContain(`<loc>${SITE_URL}${pathname}</loc>`);
    });

    it('axe-core finds no violation on a later page', async () => {
      const { page } = await open();
      await page.goto(`${site.url}/page/2/`);
      const violations = await axeViolations(page);
      expect(violations, violations.join('\n')).toEqual([]);
    });
  });
});
