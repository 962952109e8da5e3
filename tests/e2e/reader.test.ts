// The reader's side of the built site, in real Chromium: accessibility (axe-core, WCAG 2.2 AA, light and
// dark), headings and landmarks, the skip link, no console errors, no layout shift, no JavaScript before
// interaction, the print stylesheet, and what search engines and feed readers get (meta tags, JSON-LD,
// sitemap.xml, robots.txt, rss.xml, noindex). On the rich site the reading suites share (tests/support/rich-site.ts):
// no CMS or build of its own.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteBuild } from '../../scripts/rebuild/build-site.ts';
import { runAxeInEachScheme, SCHEMES, type Scheme } from '../support/axe.ts';
import { launchChromium, readerTabs } from '../support/browser.ts';
import { FEED_ITEMS } from '../../web/src/seo/rss.ts';
import { expectedSitemapPaths, HIDDEN_SLUG, NEWEST_SLUG, PUBLISHED_SLUGS, SEEDED_SLUG, SITE_URL } from '../support/rich-site.ts';
import { richSite, serve } from '../support/site.ts';

// SITE_URL is the site's public URL as the build sees it: canonical, Open Graph, sitemap and feed URLs are built
// from it, while the pages' own links stay relative, so the local server still serves them.
const ARTICLE = `/articles/${SEEDED_SLUG}/`;
const HIDDEN = `/articles/${HIDDEN_SLUG}/`;
const TITLE = 'What’s the difference between sales and marketing?';
const PAGES = { home: '/', article: ARTICLE, 'not found': '/no-such-page/' } as const;

describe('the site as readers, assistive technology and search engines get it', () => {
  let build: SiteBuild;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;
  let tabs: ReturnType<typeof readerTabs>;

  /**
   * The page at `path` in the given colour scheme (a reused tab: ../support/browser.ts), with the scripts it
   * requested and `errors()`: the console errors and failed page scripts since it started loading, up to now.
   */
  async function open(path: string, scheme: Scheme = 'light', viewport = { width: 1280, height: 900 }) {
    const { page, record } = await tabs.tab({ colorScheme: scheme, viewport });
    const response = await page.goto(`${site.url}${path}`, { waitUntil: 'load' });
    const errors = () => [
      // The 404 page answers with status 404 on purpose: Chromium logs that as a resource error.
      ...record.consoleErrors.filter((text) => !(path === PAGES['not found'] && /status of 404/.test(text))),
      ...record.pageErrors,
    ];
    return { page, response, errors, scripts: record.scripts };
  }

  beforeAll(async () => {
    // The hidden article (SEO → noIndex, saved and published in the admin) is in the rich site's content.
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

  describe('accessibility', () => {
    for (const [name, path] of Object.entries(PAGES)) {
      it(`axe-core finds no WCAG 2.2 AA violation on the ${name} page (light and dark)`, async () => {
        const { page } = await open(path);
        for (const { scheme, violations, passed } of await runAxeInEachScheme(page)) {
          expect(violations, `${scheme}:\n${violations.join('\n')}`).toEqual([]);
          // axe really looked: the contrast and landmark rules ran and passed.
          expect(passed, scheme).toEqual(expect.arrayContaining(['color-contrast', 'html-has-lang', 'document-title']));
        }
      });
    }

    for (const [name, path] of Object.entries(PAGES)) {
      it(`the ${name} page has landmarks, exactly one h1 and no skipped heading level`, async () => {
        const { page } = await open(path);
        const outline = await page.evaluate(() => ({
          levels: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])),
          // banner, navigation, main and contentinfo: header and footer directly in <body>.
          landmarks: ['body > header', 'nav[aria-label]', 'body > main', 'body > footer'].map(
            (selector) => document.querySelector(selector) !== null,
          ),
          main: document.querySelectorAll('main').length,
          lang: document.documentElement.lang,
        }));
        expect(outline.levels.filter((level) => level === 1)).toHaveLength(1);
        expect(outline.levels[0]).toBe(1);
        for (let i = 1; i < outline.levels.length; i++) {
          expect(outline.levels[i]! - outline.levels[i - 1]!, `heading levels ${outline.levels.join(',')}`).toBeLessThanOrEqual(1);
        }
        expect(outline.landmarks).toEqual([true, true, true, true]);
        expect(outline.main).toBe(1);
        expect(outline.lang).toBe('en');
      });
    }

    it('has a skip link: the first Tab shows it, Enter moves focus to the main content', async () => {
      const { page } = await open(ARTICLE);
      await page.keyboard.press('Tab');
      const skip = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement;
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        return {
          text: element.textContent,
          href: element.getAttribute('href'),
          top: box.top,
          bottom: box.bottom,
          outline: style.outlineStyle,
        };
      });
      expect(skip).toMatchObject({ text: 'Skip to content', href: '#main' });
      expect(skip.top).toBeGreaterThanOrEqual(0); // on screen once focused
      expect(skip.bottom).toBeGreaterThan(0);
      expect(skip.outline).not.toBe('none'); // a visible focus indicator
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      // The next Tab goes to the first link inside the content, not back to the header.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true);
    });

    it('shows a visible focus indicator on links, including the home page cards', async () => {
      const { page } = await open('/');
      await page.locator('[data-article-card] h2 a').first().focus();
      const card = await page.evaluate(() => {
        const link = document.activeElement as HTMLElement;
        const card = link.closest('[data-article-card]')!;
        return { card: getComputedStyle(card).outlineStyle, link: getComputedStyle(link).outlineStyle };
      });
      expect([card.card, card.link]).not.toEqual(['none', 'none']);
    });

    it('switches to a dark palette with prefers-color-scheme: dark', async () => {
      const colours: Record<string, string> = {};
      for (const scheme of SCHEMES) {
        const { page } = await open(ARTICLE, scheme);
        colours[scheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      }
      expect(colours.light).not.toBe(colours.dark);
    });
  });

  describe('reading', () => {
    for (const [name, path] of Object.entries(PAGES)) {
      it(`renders the ${name} page with no console errors and no layout shift${path === ARTICLE ? ', requesting no JavaScript while it loads' : ''}`, async () => {
        const { page, errors, scripts, response } = await open(path, 'light', { width: 390, height: 844 });
        expect(response?.status()).toBe(path === PAGES['not found'] ? 404 : 200);
        const shift = await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              let total = 0;
              new PerformanceObserver((list) => {
                for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number }>) total += entry.value;
              }).observe({ type: 'layout-shift', buffered: true });
              setTimeout(() => resolve(total), 300);
            }),
        );
        expect(shift).toBe(0);
        expect(errors()).toEqual([]);
        // 0 bytes of JavaScript before interaction: no script is requested while the page loads.
        if (path === ARTICLE) expect(scripts).toEqual([]);
      });
    }

    it('has a print stylesheet: no navigation or call-to-action button on paper, black text on white', async () => {
      const { page } = await open(ARTICLE);
      const screen = await page.evaluate(() => getComputedStyle(document.querySelector('.site-nav')!).display);
      expect(screen).not.toBe('none');
      await page.emulateMedia({ media: 'print' });
      const print = await page.evaluate(() => ({
        nav: getComputedStyle(document.querySelector('.site-nav')!).display,
        footerNav: getComputedStyle(document.querySelector('.footer-nav')!).display,
        skip: getComputedStyle(document.querySelector('.skip-link')!).display,
        body: getComputedStyle(document.body).color,
        background: getComputedStyle(document.body).backgroundColor,
        article: getComputedStyle(document.querySelector('h1')!).display,
      }));
      expect(print).toEqual({
        nav: 'none',
        footerNav: 'none',
        skip: 'none',
        body: 'rgb(0, 0, 0)',
        background: 'rgb(255, 255, 255)',
        article: 'block',
      });
    });

    it('shows the site name in the header and the footer text from the site settings', async () => {
      const { page } = await open('/');
      expect(await page.locator('header .site-name').textContent()).toBe('Branding Agency');
      expect(await page.locator('footer').textContent()).toContain('Branding, marketing and communication.');
    });
  });

  describe('findability', () => {
    type Head = {
      title: string;
      meta: Record<string, string>;
      canonical: string | null;
      feed: string | null;
      jsonLd: unknown[];
    };
    async function head(path: string): Promise<Head> {
      const { page } = await open(path);
      return page.evaluate(() => {
        const meta: Record<string, string> = {};
        for (const tag of document.querySelectorAll('meta[name], meta[property]')) {
          meta[tag.getAttribute('name') ?? tag.getAttribute('property')!] = tag.getAttribute('content') ?? '';
        }
        return {
          title: document.title,
          meta,
          canonical: document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? null,
          feed: document.querySelector('link[rel="alternate"][type="application/rss+xml"]')?.getAttribute('href') ?? null,
          jsonLd: [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent!)),
        };
      });
    }

    it('gives the article its SEO title and description, canonical URL from SITE_URL, Open Graph, Twitter and JSON-LD', async () => {
      const article = await head(ARTICLE);
      const url = `${SITE_URL}${ARTICLE}`;
      expect(article.title).toBe('Sales vs marketing: what’s the difference?');
      expect(article.meta.description).toBe(
        'Sales and marketing share a goal but not a method. Six differences, and how the two work together.',
      );
      expect(article.canonical).toBe(url);
      expect(article.meta.robots).toBeUndefined();
      expect(article.feed).toBe(`${SITE_URL}/rss.xml`);
      expect(article.meta).toMatchObject({
        'og:type': 'article',
        'og:title': article.title,
        'og:description': article.meta.description,
        'og:url': url,
        'og:site_name': 'Branding Agency',
        // Every article has a 1200×630 share picture on the site (here the generated card: the seed has no
        // cover; tests/e2e/images.test.ts checks the three cases and the pictures themselves).
        'og:image:width': '1200',
        'og:image:height': '630',
        'twitter:card': 'summary_large_image',
        'twitter:title': article.title,
      });
      expect(article.meta['og:image']).toMatch(new RegExp(`^${SITE_URL}/_astro/.+\\.png$`));
      expect(Date.parse(article.meta['article:published_time']!)).not.toBeNaN();
      expect(Date.parse(article.meta['article:modified_time']!)).not.toBeNaN();

      // The Article, and the breadcrumb trail's BreadcrumbList (tests/e2e/reader-pages.test.ts checks that one).
      expect(article.jsonLd.map((entry) => (entry as Record<string, unknown>)['@type'])).toEqual(['Article', 'BreadcrumbList']);
      const data = article.jsonLd[0] as Record<string, unknown>;
      expect(data).toMatchObject({
        '@context': 'https://schema.org',
        '@type': 'Article',
        headline: TITLE,
        url,
        datePublished: article.meta['article:published_time'],
        dateModified: article.meta['article:modified_time'],
        publisher: { '@type': 'Organization', name: 'Branding Agency', url: `${SITE_URL}/` },
      });
    });

    it('describes the home page as the agency (Organization JSON-LD) with the default SEO', async () => {
      const home = await head('/');
      expect(home.title).toBe('Branding Agency');
      expect(home.meta.description).toBe('Articles on branding, sales and marketing from an experienced branding agency.');
      expect(home.canonical).toBe(`${SITE_URL}/`);
      expect(home.meta['og:type']).toBe('website');
      const graph = (home.jsonLd[0] as { '@graph': Array<Record<string, unknown>> })['@graph'];
      expect(graph.find((node) => node['@type'] === 'Organization')).toMatchObject({ name: 'Branding Agency', url: `${SITE_URL}/` });
    });

    it('keeps the 404 page out of search results', async () => {
      const notFound = await head(PAGES['not found']);
      expect(notFound.title).toBe('Page not found · Branding Agency');
      expect(notFound.meta.robots).toBe('noindex');
      expect(notFound.canonical).toBeNull();
    });

    it('honours noIndex: the hidden article says noindex and is left out of the sitemap', async () => {
      const hidden = await head(HIDDEN);
      expect(hidden.meta.robots).toBe('noindex');
      const sitemap = await (await fetch(`${site.url}/sitemap.xml`)).text();
      expect(sitemap).not.toContain('hidden-article');
    });

    it('serves a sitemap with the home page and its pages, the articles and their topic and author pages as absolute URLs', async () => {
      const response = await fetch(`${site.url}/sitemap.xml`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/xml/);
      const xml = await response.text();
      expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
      const locs = [...xml.matchAll(/<loc>(.*?)<\/loc>/g)].map((m) => m[1]);
      expect(locs[0]).toBe(`${SITE_URL}/`);
      expect(locs).toContain(`${SITE_URL}${ARTICLE}`);
      // Exactly the pages of the content, each once (tests/support/rich-site.ts lists them).
      expect([...locs].sort()).toEqual(
        expectedSitemapPaths()
          .map((path) => `${SITE_URL}${path}`)
          .sort(),
      );
    });

    it('serves robots.txt pointing at the sitemap', async () => {
      const response = await fetch(`${site.url}/robots.txt`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await response.text();
      expect(text).toMatch(/^User-agent: \*$/m);
      expect(text).toMatch(new RegExp(`^Sitemap: ${SITE_URL}/sitemap\\.xml$`, 'm'));
    });

    it('serves an RSS 2.0 feed that parses and lists the articles', async () => {
      const response = await fetch(`${site.url}/rss.xml`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/xml/);
      const xml = await response.text();
      const { page } = await open('/');
      const feed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        const error = doc.querySelector('parsererror')?.textContent ?? null;
        const channel = doc.querySelector('rss > channel');
        return {
          error,
          version: doc.documentElement.getAttribute('version'),
          title: channel?.querySelector(':scope > title')?.textContent,
          link: channel?.querySelector(':scope > link')?.textContent,
          items: [...doc.querySelectorAll('rss > channel > item')].map((item) => ({
            title: item.querySelector('title')?.textContent,
            link: item.querySelector('link')?.textContent,
            guid: item.querySelector('guid')?.textContent,
            pubDate: item.querySelector('pubDate')?.textContent,
          })),
        };
      }, xml);
      expect(feed.error).toBeNull();
      expect(feed.version).toBe('2.0');
      expect(feed.title).toBe('Branding Agency');
      expect(feed.link).toBe(`${SITE_URL}/`);
      // The newest FEED_ITEMS articles, newest first: the rich site has more, so the seeded (oldest) one is not
      // among them, and the newest leads.
      expect(feed.items).toHaveLength(Math.min(FEED_ITEMS, PUBLISHED_SLUGS.length));
      expect(feed.items.map((entry) => entry.link)).not.toContain(`${SITE_URL}${ARTICLE}`);
      const newest = `${SITE_URL}/articles/${NEWEST_SLUG}/`;
      expect(feed.items[0]).toMatchObject({ title: `Article ${NEWEST_SLUG}`, link: newest, guid: newest });
      for (const item of feed.items) expect(Date.parse(item.pubDate!), item.link!).not.toBeNaN();
    });
  });
});
