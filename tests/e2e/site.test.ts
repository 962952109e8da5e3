// The real chain: Strapi → GraphQL → the Astro build → static HTML → a real browser. The pages are the rich site
// the reading suites share (tests/support/rich-site.ts: the seed and over a hundred more articles, built once per
// run). The builds that must fail are checked in tests/integration/site-failures.test.ts, on the integration
// project's shared CMS (this project then needs no shared CMS of its own: one boot fewer per run).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteBuild } from '../../scripts/rebuild/build-site.ts';
import { launchChromium } from '../support/browser.ts';
import { kitParagraphs } from '../support/kit.ts';
import { expectedHtmlFiles, HOME_PAGES, PUBLISHED_SLUGS, SEEDED_SLUG } from '../support/rich-site.ts';
import { htmlFiles, richSite, serve } from '../support/site.ts';

const ARTICLE_PAGE = path.join('articles', 'sales-vs-marketing', 'index.html');

describe('the site built from the CMS: the seeded article and the rest of the rich site', () => {
  let build: SiteBuild;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    ({ build } = await richSite());
    site = await serve(build.outDir);
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('writes the home pages, every article page, the author and topic pages and the 404 page, and nothing else', () => {
    // The list follows from the content (tests/support/rich-site.ts): the seeded article's page, its author and
    // topic pages among them, no page for a draft.
    expect(htmlFiles(build.outDir)).toEqual(expectedHtmlFiles());
    expect(htmlFiles(build.outDir)).toEqual(
      expect.arrayContaining([
        ARTICLE_PAGE,
        'authors/branding-agency/index.html',
        'topics/marketing/index.html',
        'topics/sales/index.html',
        'topics/strategy/index.html',
      ]),
    );
    const html = readFileSync(path.join(build.outDir, ARTICLE_PAGE), 'utf8');
    expect(html).toContain('<h1>What’s the difference between sales and marketing?</h1>');
    expect(html).toContain('data-block="side-note"');
    expect(html).toContain('data-cta');
  });

  it('shows the article in a browser exactly as the client wrote it: intro, sections in order, the side note in place, the CTA', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));

    const response = await page.goto(`${site.url}/articles/sales-vs-marketing/`);
    expect(response?.status()).toBe(200);
    const paragraphs = await page.evaluate(() => {
      const text = (element: Element | null) => element?.textContent?.trim() ?? '';
      const out = [text(document.querySelector('h1')), text(document.querySelector('.intro'))];
      for (const block of document.querySelectorAll('[data-block]')) {
        const paras = [...block.querySelectorAll('.rich-text p')].map(text);
        if (block.getAttribute('data-block') === 'section') out.push(text(block.querySelector('h2')), ...paras);
        else out.push(`${text(block.querySelector('.side-note-label'))}: ${paras[0]}`, ...paras.slice(1));
      }
      const cta = document.querySelector('[data-cta]');
      out.push(text(cta?.querySelector('h2') ?? null), text(cta?.querySelector('.cta-subheading') ?? null));
      out.push(...[...(cta?.querySelectorAll('.rich-text p') ?? [])].map(text));
      return out;
    });
    expect(paragraphs).toEqual(kitParagraphs());
    // No phone is set in the seed, so there is no tel: link.
    expect(await page.locator('a[href^="tel:"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lists the article on the home page with a working link', async () => {
    const page = await browser.newPage();
    // Published first, the seeded article is the last card of the home page's last page.
    await page.goto(`${site.url}${HOME_PAGES > 1 ? `/page/${HOME_PAGES}/` : '/'}`);
    const cards = page.locator('[data-article-card]');
    const card = cards.filter({ has: page.locator(`h2 a[href="/articles/${SEEDED_SLUG}/"]`) });
    expect(await card.count()).toBe(1);
    expect(await cards.last().locator('h2 a').getAttribute('href')).toBe(`/articles/${SEEDED_SLUG}/`);
    await card.locator('h2 a').click();
    await page.waitForURL(`${site.url}/articles/sales-vs-marketing/`);
    expect(await page.locator('h1').textContent()).toBe('What’s the difference between sales and marketing?');
    expect(await page.locator('[data-cta] h2').textContent()).toBe('Free 30-minute consultation.');
    await page.close();
  });

  it('answers unknown paths with the site’s 404 page and status 404', async () => {
    const response = await fetch(`${site.url}/articles/no-such-article/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Page not found');
    const escape = await fetch(`${site.url}/..%2f..%2fetc/passwd`);
    expect(escape.status).toBe(404);
  });

  it('builds every article when there are more than one API page of them (no silent cut at 100)', () => {
    const published = PUBLISHED_SLUGS.length;
    expect(published).toBeGreaterThan(100);
    const articlePages = htmlFiles(build.outDir).filter((file) => file.startsWith('articles'));
    expect(articlePages).toHaveLength(published);
    // The home page's list, 12 a page (/, /page/2/, …: web/src/lib/pagination.ts), has every article once.
    const listPages = htmlFiles(build.outDir).filter((file) => file === 'index.html' || file.startsWith(`page${path.sep}`));
    expect(listPages).toHaveLength(Math.ceil(published / 12));
    const cards = listPages.flatMap(
      (file) => readFileSync(path.join(build.outDir, file), 'utf8').match(/<h2 class="card-title"><a href="[^"]+"/g) ?? [],
    );
    expect(cards).toHaveLength(published);
    expect(new Set(cards).size).toBe(published);
    // The build's own report (SITE_BUILD_REPORT): what it fetched, in how many requests.
    expect(build.report).toMatchObject({ ok: true, content: { articles: published, requests: 2 } });
  });
});
