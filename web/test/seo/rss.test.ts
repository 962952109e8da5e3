// rss.xml (src/seo/rss.ts) and XML escaping (src/seo/xml.ts).
import { describe, expect, it } from 'vitest';
import { article, site, SITE_URL } from '../support/fixtures.ts';
import { FEED_ITEMS, rssXml } from '../../src/seo/rss.ts';
import { escapeXml } from '../../src/seo/xml.ts';

describe('rss.xml', () => {
  it('is RSS 2.0 with the articles newest first, absolute links and RFC 822 dates', () => {
    const older = article({
      slug: 'older',
      documentId: 'doc0',
      title: 'Older',
      publishedAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
    });
    const xml = rssXml(site, [older, article()], SITE_URL);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
    expect(xml).toContain(`<title>${site.siteName}</title>`);
    expect(xml).toContain('<atom:link href="https://agency.example/rss.xml" rel="self" type="application/rss+xml"/>');
    const links = [...xml.matchAll(/<item>[\s\S]*?<link>(.*?)<\/link>/g)].map((m) => m[1]);
    expect(links).toEqual(['https://agency.example/articles/sales-vs-marketing/', 'https://agency.example/articles/older/']);
    expect(xml).toContain('<pubDate>Wed, 12 Mar 2025 09:30:00 GMT</pubDate>');
  });

  it(`lists the newest ${FEED_ITEMS} articles only, dated by the newest change among them`, () => {
    const many = Array.from({ length: FEED_ITEMS + 5 }, (_, i) =>
      article({
        slug: `a-${i}`,
        documentId: `doc-${i}`,
        publishedAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
        // The oldest article was edited last: an edit of an article the feed does not list does not date it.
        updatedAt: new Date(Date.UTC(i === 0 ? 2026 : 2024, 0, 1 + i)).toISOString(),
      }),
    );
    const xml = rssXml(site, many, SITE_URL);
    const links = [...xml.matchAll(/<item>[\s\S]*?<link>(.*?)<\/link>/g)].map((m) => m[1]);
    expect(links).toHaveLength(FEED_ITEMS);
    expect(links[0]).toBe(`https://agency.example/articles/a-${FEED_ITEMS + 4}/`);
    expect(links.at(-1)).toBe('https://agency.example/articles/a-5/');
    expect(xml).toContain(`<lastBuildDate>${new Date(Date.UTC(2024, 0, FEED_ITEMS + 5)).toUTCString()}</lastBuildDate>`);
  });

  it('escapes titles and descriptions', () => {
    const xml = rssXml(
      { ...site, siteName: 'A & B <Agency>' },
      [article({ title: 'Tom & Jerry </title><script>', intro: 'x < y & "z"\u0001' })],
      SITE_URL,
    );
    expect(xml).toContain('<title>A &amp; B &lt;Agency&gt;</title>');
    expect(xml).toContain('<title>Tom &amp; Jerry &lt;/title&gt;&lt;script&gt;</title>');
    expect(xml).toContain('<description>x &lt; y &amp; &quot;z&quot;</description>');
    expect(xml).not.toContain('<script>');
    expect(escapeXml(`'`)).toBe('&apos;');
  });
});
