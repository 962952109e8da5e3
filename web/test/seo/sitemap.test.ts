// sitemap.xml and robots.txt (src/seo/sitemap.ts, src/seo/robots.ts).
import { describe, expect, it } from 'vitest';
import { article, seo, site, SITE_URL } from '../support/fixtures.ts';
import { robotsTxt } from '../../src/seo/robots.ts';
import { sitemapEntries, sitemapXml } from '../../src/seo/sitemap.ts';

describe('sitemap.xml and robots.txt', () => {
  it('lists the home page and indexable articles with absolute URLs, leaving out noIndex articles', () => {
    const hidden = article({ slug: 'hidden', documentId: 'doc2', seo: seo({ noIndex: true }) });
    const entries = sitemapEntries(site, [article(), hidden], SITE_URL);
    expect(entries).toEqual([
      { loc: 'https://agency.example/', lastmod: '2025-03-14T10:00:00.000Z' },
      { loc: 'https://agency.example/articles/sales-vs-marketing/', lastmod: '2025-03-14T10:00:00.000Z' },
    ]);
    const xml = sitemapXml(entries);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
    expect(xml.match(/<loc>/g)).toHaveLength(2);
    expect(xml).not.toContain('hidden');
  });

  it('lists every page of the home page’s list, each dated by the newest change among its own articles', () => {
    // 25 articles, one a day: 3 pages of 12, 12 and 1 (ARTICLES_PER_PAGE), newest first.
    const day = (n: number) => new Date(Date.UTC(2025, 0, n)).toISOString();
    const many = Array.from({ length: 25 }, (_, i) =>
      article({ slug: `a-${i + 1}`, documentId: `d${i + 1}`, publishedAt: day(i + 1), updatedAt: day(i + 1) }),
    );
    const pages = sitemapEntries(site, many, SITE_URL).filter((entry) => !entry.loc.includes('/articles/'));
    expect(pages).toEqual([
      { loc: 'https://agency.example/', lastmod: day(25) },
      { loc: 'https://agency.example/page/2/', lastmod: day(13) },
      { loc: 'https://agency.example/page/3/', lastmod: day(1) },
    ]);
    expect(sitemapEntries(site, many, SITE_URL)).toHaveLength(28);
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
