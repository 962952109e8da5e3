// The real chain: Strapi (fresh SQLite) → GraphQL → the Astro build → static HTML → a real browser.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/ports.ts';
import type { SiteBuild } from '../../scripts/rebuild/build-site.ts';
import { launchChromium } from '../support/browser.ts';
import { sampleArticle, TestCms } from '../support/cms.ts';
import { kitParagraphs } from '../support/kit.ts';
import { buildFrom, htmlFiles, serve } from '../support/site.ts';

const ARTICLE_PAGE = path.join('articles', 'sales-vs-marketing', 'index.html');

describe('the site built from the seeded CMS', () => {
  let cms: TestCms;
  let build: SiteBuild;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    cms = await TestCms.boot();
    build = await buildFrom(cms.url);
    if (!build.ok) throw new Error(`site build failed:\n${build.output}`);
    site = await serve(build.outDir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await cms?.destroy();
  });

  it('writes the home page, the article page, its author and topic pages and the 404 page', () => {
    expect(htmlFiles(build.outDir)).toEqual([
      '404.html',
      ARTICLE_PAGE,
      'authors/branding-agency/index.html',
      'authors/index.html',
      'consultation/thanks/index.html',
      'index.html',
      'search/index.html',
      'topics/index.html',
      'topics/marketing/index.html',
      'topics/sales/index.html',
      'topics/strategy/index.html',
    ]);
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
    await page.goto(`${site.url}/`);
    const cards = page.locator('[data-article-card]');
    expect(await cards.count()).toBe(1);
    await cards.first().locator('h2 a').click();
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

  it('shows the CTA’s phone as a tel: link once an editor sets one', async () => {
    const CTA = '/content-manager/single-types/api::consultation-cta.consultation-cta';
    const current = (await cms.admin('GET', CTA)).data;
    const { id, documentId, createdAt, updatedAt, publishedAt, createdBy, updatedBy, locale, localizations, status, ...data } = current;
    void [id, documentId, createdAt, updatedAt, publishedAt, createdBy, updatedBy, locale, localizations, status];
    await cms.admin('POST', `${CTA}/actions/publish`, { ...data, phone: '+44 20 7946 0000' });

    const withPhone = await buildFrom(cms.url);
    expect(withPhone.ok, withPhone.output).toBe(true);
    const html = readFileSync(path.join(withPhone.outDir, ARTICLE_PAGE), 'utf8');
    expect(html).toMatch(/<a[^>]+href="tel:\+442079460000"[^>]*>/);
    expect(html).toContain('+44 20 7946 0000');
  });

  it('builds every article when there are more than one API page of them (no silent cut at 100)', async () => {
    const extra = 104;
    for (let i = 1; i <= extra; i++) {
      await cms.editor.createArticle(sampleArticle(`generated-${String(i).padStart(3, '0')}`), { publish: true });
    }
    const big = await buildFrom(cms.url);
    expect(big.ok, big.output).toBe(true);
    const articlePages = htmlFiles(big.outDir).filter((file) => file.startsWith('articles'));
    expect(articlePages).toHaveLength(extra + 1);
    // The home page's list, 12 a page (/, /page/2/, …: web/src/lib/pagination.ts), has every article once.
    const listPages = htmlFiles(big.outDir).filter((file) => file === 'index.html' || file.startsWith(`page${path.sep}`));
    expect(listPages).toHaveLength(Math.ceil((extra + 1) / 12));
    const cards = listPages.flatMap(
      (file) => readFileSync(path.join(big.outDir, file), 'utf8').match(/<h2 class="card-title"><a href="[^"]+"/g) ?? [],
    );
    expect(new Set(cards).size).toBe(extra + 1);
    // The build's own report (SITE_BUILD_REPORT): what it fetched, in how many requests.
    expect(big.report).toMatchObject({ ok: true, content: { articles: 105, requests: 2 } });
  });
});

describe('a build that cannot be done right fails clearly and writes no pages', () => {
  let cms: TestCms;
  beforeAll(async () => {
    cms = await TestCms.boot();
  });
  afterAll(async () => {
    await cms?.destroy();
  });

  it('fails when the CMS is down, naming the URL', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const build = await buildFrom(down);
    expect(build.ok).toBe(false);
    expect(build.output).toContain(`Cannot reach the CMS at ${down}`);
    expect(htmlFiles(build.outDir)).toEqual([]);
  });

  it('fails when the token is wrong, saying what to do', async () => {
    const build = await buildFrom(cms.url, { CMS_TOKEN: 'not-a-real-token' });
    expect(build.ok).toBe(false);
    expect(build.output).toMatch(/CMS_TOKEN/);
    expect(build.output).toMatch(/401/);
    expect(htmlFiles(build.outDir)).toEqual([]);
  });

  it('fails on invalid content, naming the entry and the field', async () => {
    // Damage the stored content behind Strapi's back, as a bad migration or a direct database edit would.
    const db = new Database(cms.database.file!);
    const changed = db.prepare("UPDATE components_article_sections SET heading = '' WHERE heading = ?").run('Results and expectations');
    db.close();
    expect(changed.changes).toBeGreaterThan(0);

    const build = await buildFrom(cms.url);
    expect(build.ok).toBe(false);
    expect(build.output).toContain('Invalid content in article "sales-vs-marketing"');
    expect(build.output).toMatch(/body\[2\]\.heading: must not be empty/);
    expect(htmlFiles(build.outDir)).toEqual([]);
    expect(existsSync(path.join(build.outDir, ARTICLE_PAGE))).toBe(false);
  });
});
