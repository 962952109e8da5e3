// sitemap.xml and robots.txt (src/seo/sitemap.ts, src/seo/robots.ts).
import { describe, expect, it } from 'vitest';
import { article, seo, site, SITE_URL } from '../support/fixtures.ts';
import { robotsTxt } from '../../src/seo/robots.ts';
import { sitemapEntries, sitemapXml } from '../../src/seo/sitemap.ts';

describe('sitemap.xml and robots.txt', () => {
  it('lists the home page, the topic and author pages and indexable articles with absolute URLs, leaving out noIndex articles', () => {
    const hidden = article({ slug: 'hidden', documentId: 'doc2', seo: seo({ noIndex: true }), topics: [], author: null });
    const entries = sitemapEntries(site, [article(), hidden], SITE_URL);
    const date = '2025-03-14T10:00:00.000Z';
    expect(entries).toEqual([
      { loc: 'https://agency.example/', lastmod: date },
      { loc: 'https://agency.example/topics/', lastmod: date },
      { loc: 'https://agency.example/topics/marketing/', lastmod: date },
      { loc: 'https://agency.example/topics/sales/', lastmod: date },
      { loc: 'https://agency.example/topics/strategy/', lastmod: date },
      { loc: 'https://agency.example/authors/', lastmod: date },
      { loc: 'https://agency.example/authors/branding-agency/', lastmod: date },
      { loc: 'https://agency.example/articles/sales-vs-marketing/', lastmod: date },
    ]);
    const xml = sitemapXml(entries);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
    expect(xml.match(/<loc>/g)).toHaveLength(8);
    expect(xml).not.toContain('hidden');
  });

  it('lists every page of each topic and author, and no topic or author index without one', () => {
    const day = (n: number) => new Date(Date.UTC(2025, 0, n)).toISOString();
    const brand = { documentId: 'brand', slug: 'brand', name: 'Brand', description: null };
    const many = Array.from({ length: 13 }, (_, i) =>
      article({ slug: `a-${i + 1}`, documentId: `d${i + 1}`, publishedAt: day(i + 1), updatedAt: day(i + 1), topics: [brand] }),
    );
    const locs = sitemapEntries(site, many, SITE_URL).map((entry) => entry.loc);
    expect(locs.filter((loc) => loc.includes('/topics/'))).toEqual([
      'https://agency.example/topics/',
      'https://agency.example/topics/brand/',
      'https://agency.example/topics/brand/page/2/',
    ]);
    expect(locs.filter((loc) => loc.includes('/authors/'))).toEqual([
      'https://agency.example/authors/',
      'https://agency.example/authors/branding-agency/',
      'https://agency.example/authors/branding-agency/page/2/',
    ]);
    const untagged = sitemapEntries(site, [article({ topics: [], author: null })], SITE_URL).map((entry) => entry.loc);
    expect(untagged.filter((loc) => /\/(topics|authors)\//.test(loc))).toEqual([]);
  });

  it('lists every page of the home page’s list, each dated by the newest change among its own articles', () => {
    // 25 articles, one a day: 3 pages of 12, 12 and 1 (ARTICLES_PER_PAGE), newest first.
    const day = (n: number) => new Date(Date.UTC(2025, 0, n)).toISOString();
    const many = Array.from({ length: 25 }, (_, i) =>
      article({ slug: `a-${i + 1}`, documentId: `d${i + 1}`, publishedAt: day(i + 1), updatedAt: day(i + 1) }),
    );
    const pages = sitemapEntries(site, many, SITE_URL).filter((entry) => /^https:\/\/agency\.example\/(page\/\d+\/)?$/.test(entry.loc));
    expect(pages).toEqual([
      { loc: 'https://agency.example/', lastmod: day(25) },
      { loc: 'https://agency.example/page/2/', lastmod: day(13) },
      { loc: 'https://agency.example/page/3/', lastmod: day(1) },
    ]);
    // 3 home pages and 25 articles; the topic and author pages: 2 indexes, 3 topics and 1 author of 3 pages each.
    expect(sitemapEntries(site, many, SITE_URL)).toHaveLength(3 + 25 + 2 + 4 * 3);
  });

  it('lists nothing when the whole site is hidden', () => {
    expect(sitemapEntries({ ...site, defaultSeo: seo({ noIndex: true }) }, [article()], SITE_URL)).toEqual([]);
    expect(sitemapXml([])).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>');
  });

  it('escapes URLs in the sitemap', () => {
    expect(sitemapXml([{ loc: 'https://a.example/?a=1&b=<2>' }])).toContain('<loc>https://a.example/?a=1&amp;b=&lt;2&gt;</loc>');
  });

  it('points robots.txt at the absolute sitemap URL', () => {
    expect(robotsTxt(SITE_URL)).toBe('User-agent: *\nAllow: /\n\nSitemap: https://agency.example/sitemap.xml\n');
  });
});
