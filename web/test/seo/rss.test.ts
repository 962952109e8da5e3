// rss.xml (src/seo/rss.ts) and XML escaping (src/seo/xml.ts).
import { describe, expect, it } from 'vitest';
import { article, site, SITE_URL } from '../support/fixtures.ts';
import { rssXml } from '../../src/seo/rss.ts';
import { escapeXml } from '../../src/seo/xml.ts';

describe('rss.xml', () => {
  it('is RSS 2.0 with every article, newest first, absolute links and RFC 822 dates', () => {
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
