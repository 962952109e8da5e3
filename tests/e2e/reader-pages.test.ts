// Topic pages, author pages, related articles, breadcrumbs and the sitemap (issue 11 point 3), on the real
// site: the rich site the reading suites share (tests/support/rich-site.ts: authors, topics and articles created
// through the admin API as an editor would, some left as drafts; built once per run), real Chromium. A reader goes article → topic → author by links; a topic
// with more than 12 articles paginates; related articles follow the rule (shared topic, newest first, at most
// three, none padded); breadcrumbs carry BreadcrumbList JSON-LD; the sitemap lists every page built; axe finds
// nothing; and no draft author, draft topic or topic with only draft articles gets a page or a link.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteBuild } from '../../scripts/rebuild/build-site.ts';
import { runAxeInEachScheme } from '../support/axe.ts';
import { launchChromium, readerTabs } from '../support/browser.ts';
import { DESIGN_COUNT, design, HIDDEN_SLUG, NEWEST_SLUG, SEEDED_SLUG, SITE_URL } from '../support/rich-site.ts';
import { htmlFiles, richSite, serve } from '../support/site.ts';

const SEEDED = `/articles/${SEEDED_SLUG}/`;
/** Published last, with a draft author and a draft topic as its only ones. */
const LONE = NEWEST_SLUG;

type Crumbs = { '@type': string; itemListElement: Array<{ position: number; name: string; item: string }> };

describe('topic and author pages, related articles, breadcrumbs and the sitemap, on the built site', () => {
  let build: SiteBuild;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;
  let tabs: ReturnType<typeof readerTabs>;

  /**
   * The page at `pathname` (a reused tab: ../support/browser.ts); `problems` and `scripts` keep filling as the
   * test clicks on from it: console errors (but the 404 pages' own status), page errors, the scripts requested.
   */
  async function open(pathname: string) {
    const { page, record } = await tabs.tab();
    const response = await page.goto(`${site.url}${pathname}`, { waitUntil: 'load' });
    const problems = () => [...record.consoleErrors.filter((text) => !/status of 404/.test(text)), ...record.pageErrors];
    return { page, response, problems, scripts: record.scripts };
  }

  const html = (file: string) => readFileSync(path.join(build.outDir, file), 'utf8');

  beforeAll(async () => {
    // Jane Doe (with a photo), Ghost Writer (a draft), Design, Secret Plans (a draft), Only Drafts (a draft
    // article only), the design notes, a draft and the lone article are in the rich site's content.
    ({ build } = await richSite());
    site = await serve(build.outDir);
    browser = await launchChromium();
    tabs = readerTabs(browser);
  }, 600_000);
  afterAll(async () => {
    await tabs?.close();
    await browser?.close();
    await site?.close();
  });

  it('a reader goes from an article to its topic and on to an author by links, with no JavaScript on the way', async () => {
    const { page, problems, scripts } = await open(`/articles/${design(3)}/`);
    const header = page.locator('.article-header');
    expect(await header.locator('.byline').textContent()).toBe('By Jane Doe, Design director');
    expect(await header.locator('.topic-links a').allTextContents()).toEqual(['Design']);
    await header.locator('.topic-links a', { hasText: 'Design' }).click();
    await page.waitForURL(`${site.url}/topics/design/`);
    expect(await page.locator('h1').textContent()).toBe('Design');
    expect(await page.locator('.page-intro .lede').textContent()).toBe('How brands look and feel.');
    await page.locator('[data-article-card] .card-byline a').first().click();
    await page.waitForURL(`${site.url}/authors/jane-doe/`);
    expect(await page.locator('h1').textContent()).toBe('Jane Doe');
    expect(await page.locator('.author-role').textContent()).toBe('Design director');
    // Her photo is a build-time picture served by the site itself, sized, loaded, never the CMS's file.
    const photo = page.locator('picture.author-photo img');
    await photo.evaluate((img: HTMLImageElement) => img.decode());
    expect(
      await photo.evaluate((img: HTMLImageElement) => ({
        alt: img.alt,
        width: img.getAttribute('width'),
        loaded: img.naturalWidth > 0,
        origin: new URL(img.currentSrc).origin,
      })),
    ).toEqual({
      alt: 'Photo of Jane Doe',
      width: '300',
      loaded: true,
      origin: site.url,
    });
    expect(html('authors/jane-doe/index.html')).not.toContain('/uploads/');
    expect(await page.locator('.page-intro .lede').textContent()).toBe('Jane leads design.');
    // Back up the trail: the breadcrumb's "Authors" lists Jane, the agency (the seeded article's author) and Sam
    // (the image articles' author), never the draft Ghost Writer.
    await page.locator('nav[aria-label="Breadcrumb"] a', { hasText: 'Authors' }).click();
    await page.waitForURL(`${site.url}/authors/`);
    expect(await page.locator('.index-list a').allTextContents()).toEqual(['Branding Agency', 'Jane Doe', 'Sam Roe']);
    expect(await page.locator('.index-list li', { hasText: 'Jane Doe' }).locator('p').textContent()).toBe(
      `Design director · ${DESIGN_COUNT} articles`,
    );
    expect(problems()).toEqual([]);
    expect(scripts).toEqual([]);
  });

  it('paginates a topic with more than 12 articles, newest first, and its author likewise', async () => {
    // One tab: each open() navigates it, so every check of a page comes before the next open().
    const first = await open('/topics/design/');
    const cards = (p: typeof first.page) => p.locator('[data-article-card] .card-title a').allTextContents();
    expect(await cards(first.page)).toEqual(Array.from({ length: 12 }, (_, i) => `Article ${design(DESIGN_COUNT - i)}`));
    const next = first.page.locator('nav[aria-label="Pages of articles about Design"] a[rel="next"]');
    expect(await next.getAttribute('href')).toBe('/topics/design/page/2/');
    await next.click();
    await first.page.waitForURL(`${site.url}/topics/design/page/2/`);
    expect(await cards(first.page)).toEqual([`Article ${design(2)}`, `Article ${design(1)}`]);
    expect(await first.page.locator('h1').textContent()).toBe('Design, page 2 of 2');
    expect(await first.page.locator('.pagination a[aria-current="page"]').textContent()).toBe('2');
    // Every page's header leads to the topics index, marked as the current page there (below) and only there.
    const topicsLink = (p: typeof first.page) => p.locator('.site-nav a', { hasText: 'Topics' });
    expect(await topicsLink(first.page).getAttribute('href')).toBe('/topics/');
    expect(await topicsLink(first.page).getAttribute('aria-current')).toBeNull();
    expect((await open('/topics/design/page/3/')).response?.status()).toBe(404);
    expect((await open('/topics/design/page/1/')).response?.status()).toBe(404);
    const author = await open('/authors/jane-doe/page/2/');
    expect(await cards(author.page)).toEqual([`Article ${design(2)}`, `Article ${design(1)}`]);
    // The topics index counts every topic's published articles; Sales has the seeded article and the newest note.
    const topics = await open('/topics/');
    expect(await topics.page.locator('.index-list a').allTextContents()).toEqual(['Design', 'Marketing', 'Sales', 'Strategy']);
    expect(await topics.page.locator('.index-list li', { hasText: 'Sales' }).locator('p').textContent()).toMatch(/· 2 articles$/);
    expect(await topicsLink(topics.page).getAttribute('aria-current')).toBe('page');
  });

  it('ends each article with up to three related articles sharing a topic, newest first, never itself, never padded', async () => {
    const related = async (slug: string) => {
      const { page } = await open(slug);
      return page.locator('[data-related] [data-article-card] h3 a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    };
    const href = (n: number) => `/articles/${design(n)}/`;
    expect(await related(href(DESIGN_COUNT))).toEqual([href(13), href(12), href(11)]);
    expect(await related(href(1))).toEqual([href(14), href(13), href(12)]);
    expect(await related(href(12))).toEqual([href(14), href(13), href(11)]);
    // The seeded article shares Sales with the newest note only: one related article, not filled up.
    expect(await related(SEEDED)).toEqual([href(DESIGN_COUNT)]);
    // An article with no (published) topic has no related block at all.
    const lone = await open(`/articles/${LONE}/`);
    expect(await lone.page.locator('[data-related]').count()).toBe(0);
    expect(await lone.page.locator('.article-header .byline, .article-header .topic-links').count()).toBe(0);
    // Search indexes the article only, not its neighbours: the related block is outside data-pagefind-body.
    expect(await (await open(href(1))).page.locator('[data-pagefind-body] [data-related]').count()).toBe(0);
  });

  it('shows breadcrumbs (Home › Topic › Article, Home › Authors › Name …) with matching BreadcrumbList JSON-LD', async () => {
    const trail = async (pathname: string) => {
      const { page } = await open(pathname);
      return page.evaluate(() => {
        const nav = document.querySelector('nav[aria-label="Breadcrumb"]')!;
        const links = [...nav.querySelectorAll('ol > li > a')];
        const data = [...document.querySelectorAll('script[type="application/ld+json"]')]
          .map((script) => JSON.parse(script.textContent!))
          .filter((entry) => entry['@type'] === 'BreadcrumbList');
        return {
          visible: links.map((a) => [a.textContent, a.getAttribute('href')]),
          current: links.filter((a) => a.getAttribute('aria-current') === 'page').map((a) => a.textContent),
          jsonLd: data,
        };
      });
    };
    const check = async (pathname: string, expected: Array<[string, string]>) => {
      const { visible, current, jsonLd } = await trail(pathname);
      expect(visible).toEqual(expected);
      expect(current).toEqual([expected.at(-1)![0]]);
      expect(jsonLd).toHaveLength(1);
      expect((jsonLd[0] as Crumbs).itemListElement).toEqual(
        expected.map(([name, href], index) => ({ '@type': 'ListItem', position: index + 1, name, item: `${SITE_URL}${href}` })),
      );
    };
    await check(`/articles/${design(5)}/`, [
      ['Home', '/'],
      ['Design', '/topics/design/'],
      [`Article ${design(5)}`, `/articles/${design(5)}/`],
    ]);
    // Topics come alphabetically: the seeded article's trail goes through Marketing.
    await check(SEEDED, [
      ['Home', '/'],
      ['Marketing', '/topics/marketing/'],
      ['What’s the difference between sales and marketing?', SEEDED],
    ]);
    await check(`/articles/${LONE}/`, [
      ['Home', '/'],
      [`Article ${LONE}`, `/articles/${LONE}/`],
    ]);
    await check('/topics/design/page/2/', [
      ['Home', '/'],
      ['Topics', '/topics/'],
      ['Design', '/topics/design/'],
      ['Page 2', '/topics/design/page/2/'],
    ]);
    await check('/authors/jane-doe/', [
      ['Home', '/'],
      ['Authors', '/authors/'],
      ['Jane Doe', '/authors/jane-doe/'],
    ]);
  });

  it('lists every page the build wrote in the sitemap, and nothing else', async () => {
    const xml = await (await fetch(`${site.url}/sitemap.xml`)).text();
    const locs = [...xml.matchAll(/<loc>(.*?)<\/loc>/g)].map((match) => match[1]);
    // Not listed: the 404, search and thank-you pages, and the article the editor set to noIndex (reader.test.ts).
    const notListed = new Set(['404.html', 'search/index.html', 'consultation/thanks/index.html', `articles/${HIDDEN_SLUG}/index.html`]);
    const pages = htmlFiles(build.outDir)
      .filter((file) => !notListed.has(file))
      .map(
        (file) =>
          `${SITE_URL}/${file
            .split(path.sep)
            .join('/')
            .replace(/index\.html$/, '')}`,
      );
    expect([...locs].sort()).toEqual([...pages].sort());
    expect(locs).toEqual(expect.arrayContaining([`${SITE_URL}/topics/design/page/2/`, `${SITE_URL}/authors/jane-doe/page/2/`]));
    expect(new Set(locs).size).toBe(locs.length);
  });

  it('leaks no draft: no page, link or name for a draft author, a draft topic, a topic with only drafts, or a draft article', () => {
    const files = htmlFiles(build.outDir);
    for (const gone of ['ghost-writer', 'secret-plans', 'only-drafts', 'unpublished-draft']) {
      expect(
        files.filter((file) => file.includes(gone)),
        gone,
      ).toEqual([]);
    }
    const everything = [...files.map(html), readFileSync(path.join(build.outDir, 'sitemap.xml'), 'utf8')].join('\n');
    for (const text of [
      'ghost-writer',
      'Ghost Writer',
      'secret-plans',
      'Secret Plans',
      'only-drafts',
      'Only Drafts',
      'unpublished-draft',
    ]) {
      expect(everything, text).not.toContain(text);
    }
    expect(files).toEqual(
      expect.arrayContaining(['topics/design/index.html', 'authors/jane-doe/index.html', `articles/${LONE}/index.html`]),
    );
  });

  it('keeps search to articles: the topic and author pages are not indexed', () => {
    const entry = JSON.parse(readFileSync(path.join(build.outDir, 'pagefind', 'pagefind-entry.json'), 'utf8'));
    // Every article page (the seeded one, the design notes, the lone article and the rest of the rich site's), no other.
    const articles = htmlFiles(build.outDir).filter((file) => file.startsWith(`articles${path.sep}`));
    expect(articles.length).toBeGreaterThan(DESIGN_COUNT + 2);
    expect(entry.languages.en.page_count).toBe(articles.length);
    expect(html('topics/design/index.html')).not.toContain('data-pagefind-body');
  });

  for (const pathname of ['/topics/design/', '/authors/jane-doe/', '/topics/', `/articles/${design(DESIGN_COUNT)}/`]) {
    it(`axe-core finds no WCAG 2.2 AA violation on ${pathname} (light and dark), whose headings never skip a level`, async () => {
      const { page } = await open(pathname);
      for (const { scheme, violations, passed } of await runAxeInEachScheme(page)) {
        expect(violations, `${scheme}:\n${violations.join('\n')}`).toEqual([]);
        expect(passed, scheme).toEqual(expect.arrayContaining(['color-contrast', 'target-size', 'list']));
      }
      const levels = await page.evaluate(() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])));
      expect(levels.filter((level) => level === 1)).toHaveLength(1);
      for (let i = 1; i < levels.length; i++)
        expect(levels[i]! - levels[i - 1]!, `heading levels ${levels.join(',')}`).toBeLessThanOrEqual(1);
    });
  }
});
