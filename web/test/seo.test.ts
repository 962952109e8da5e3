import { seed, type Article, type Seo } from '@agency/shared';
import { describe, expect, it } from 'vitest';
import {
  articleJsonLd,
  escapeXml,
  homeJsonLd,
  pageMeta,
  readingMinutes,
  robotsTxt,
  rssXml,
  serializeJsonLd,
  sitemapEntries,
  sitemapXml,
  socialTags,
  truncate,
} from '../src/lib/seo.ts';

const site = seed.siteSettings;
const SITE_URL = 'https://agency.example';
const seo = (overrides: Partial<Seo>): Seo => ({ metaTitle: null, metaDescription: null, canonicalUrl: null, noIndex: false, ...overrides });
const article = (overrides: Partial<Article> = {}): Article => ({
  ...seed.salesVsMarketing,
  documentId: 'doc1',
  publishedAt: '2025-03-12T09:30:00.000Z',
  updatedAt: '2025-03-14T10:00:00.000Z',
  ...overrides,
});

describe('pageMeta', () => {
  it('prefers the entry SEO, then "page title · site name" and the intro', () => {
    expect(pageMeta({ site, title: 'Title', description: 'Intro', seo: seo({ metaTitle: 'Meta', metaDescription: 'Desc' }) })).toMatchObject({
      title: 'Meta',
      description: 'Desc',
    });
    expect(pageMeta({ site, title: 'Title', description: 'Intro', seo: null })).toMatchObject({ title: `Title · ${site.siteName}`, description: 'Intro' });
    // No doubled suffix when the page title already is, or ends with, the site name.
    expect(pageMeta({ site, title: site.siteName }).title).toBe(site.siteName);
    expect(pageMeta({ site, title: `About · ${site.siteName}` }).title).toBe(`About · ${site.siteName}`);
  });

  it('cuts a long intro to a description of at most 160 characters, at a word boundary', () => {
    const intro = seed.salesVsMarketing.intro;
    const { description } = pageMeta({ site, title: 'T', description: intro });
    expect(description!.length).toBeLessThanOrEqual(160);
    expect(description!.endsWith('…')).toBe(true);
    expect(intro.startsWith(description!.slice(0, -1))).toBe(true);
    expect(intro.charAt(description!.length - 1)).toMatch(/[\s,.]/); // cut between words
  });

  it("falls back to the site's default SEO, then the site name", () => {
    expect(pageMeta({ site })).toMatchObject({ title: site.defaultSeo!.metaTitle, description: site.defaultSeo!.metaDescription });
    expect(pageMeta({ site: { ...site, defaultSeo: null } })).toMatchObject({ title: site.siteName, description: null });
    expect(pageMeta({ site, description: '   ' }).description).toBe(site.defaultSeo!.metaDescription);
  });

  it('builds the canonical URL from the site URL, unless the entry sets one', () => {
    expect(pageMeta({ site, path: '/articles/x/', siteUrl: SITE_URL }).canonical).toBe('https://agency.example/articles/x/');
    expect(pageMeta({ site, path: '/articles/x/', siteUrl: new URL('https://agency.example/'), seo: seo({ canonicalUrl: 'https://elsewhere.example/x' }) }).canonical).toBe(
      'https://elsewhere.example/x',
    );
    expect(pageMeta({ site, path: null, siteUrl: SITE_URL }).canonical).toBeNull();
  });

  it('hides a page from search engines when the entry, the site or the page says so', () => {
    expect(pageMeta({ site }).noIndex).toBe(false);
    expect(pageMeta({ site, seo: seo({ noIndex: true }) }).noIndex).toBe(true);
    expect(pageMeta({ site: { ...site, defaultSeo: seo({ noIndex: true }) } }).noIndex).toBe(true);
    expect(pageMeta({ site, noIndex: true }).noIndex).toBe(true);
  });
});

describe('truncate', () => {
  it('leaves short text alone (whitespace collapsed) and cuts long text with an ellipsis', () => {
    expect(truncate('  a  short\n text ')).toBe('a short text');
    expect(truncate('one two three four', 12)).toBe('one two…');
    expect(truncate('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(truncate('alpha, beta gamma', 13)).toBe('alpha, beta…');
  });
});

describe('social tags', () => {
  it('describes an article for Open Graph and Twitter', () => {
    const meta = pageMeta({ site, title: 'T', description: 'D', path: '/articles/t/', siteUrl: SITE_URL });
    const tags = socialTags({ site, meta, article: article() });
    const get = (key: string) => tags.find((tag) => tag.property === key || tag.name === key)?.content;
    expect(get('og:type')).toBe('article');
    expect(get('og:title')).toBe(`T · ${site.siteName}`);
    expect(get('og:description')).toBe('D');
    expect(get('og:url')).toBe('https://agency.example/articles/t/');
    expect(get('og:site_name')).toBe(site.siteName);
    expect(get('article:published_time')).toBe('2025-03-12T09:30:00.000Z');
    expect(get('article:modified_time')).toBe('2025-03-14T10:00:00.000Z');
    expect(get('twitter:card')).toBe('summary');
    expect(get('twitter:title')).toBe(`T · ${site.siteName}`);
  });

  it('describes other pages as a website, without article dates or a URL they do not have', () => {
    const tags = socialTags({ site, meta: pageMeta({ site }) });
    expect(tags.find((tag) => tag.property === 'og:type')?.content).toBe('website');
    expect(tags.some((tag) => tag.property?.startsWith('article:') || tag.property === 'og:url')).toBe(false);
  });
});

describe('JSON-LD', () => {
  it('describes an article with headline, dates and the agency as publisher', () => {
    const meta = pageMeta({ site, title: 'T', seo: seed.salesVsMarketing.seo, path: '/articles/sales-vs-marketing/', siteUrl: SITE_URL });
    const data = articleJsonLd(site, article(), meta, SITE_URL) as Record<string, any>;
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Article',
      headline: seed.salesVsMarketing.title,
      description: seed.salesVsMarketing.seo!.metaDescription,
      datePublished: '2025-03-12T09:30:00.000Z',
      dateModified: '2025-03-14T10:00:00.000Z',
      url: 'https://agency.example/articles/sales-vs-marketing/',
      publisher: { '@type': 'Organization', name: site.siteName, url: 'https://agency.example/' },
    });
    expect(data.wordCount).toBeGreaterThan(400);
  });

  it('describes the agency and its site on the home page', () => {
    const data = homeJsonLd(site, pageMeta({ site }), SITE_URL) as { '@graph': Array<Record<string, unknown>> };
    expect(data['@graph'].map((node) => node['@type'])).toEqual(['Organization', 'WebSite']);
    expect(data['@graph'][0]).toMatchObject({ name: site.siteName, url: 'https://agency.example/' });
  });

  it('serialises so that nothing an editor types can close the script element', () => {
    const hostile = { headline: '</script><script>alert(1)</script> & <!-- \u2028' };
    const json = serializeJsonLd(hostile);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(json).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(json)).toEqual(hostile);
  });
});

describe('reading time', () => {
  it('counts the intro and every block at about 230 words a minute', () => {
    expect(readingMinutes(seed.salesVsMarketing)).toBe(2);
    expect(readingMinutes({ intro: 'short', body: [] })).toBe(1);
  });
});

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

describe('rss.xml', () => {
  it('is RSS 2.0 with every article, newest first, absolute links and RFC 822 dates', () => {
    const older = article({ slug: 'older', documentId: 'doc0', title: 'Older', publishedAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z' });
    const xml = rssXml(site, [older, article()], SITE_URL);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<rss version="2.0"/);
    expect(xml).toContain(`<title>${site.siteName}</title>`);
    expect(xml).toContain('<atom:link href="https://agency.example/rss.xml" rel="self" type="application/rss+xml"/>');
    const links = [...xml.matchAll(/<item>[\s\S]*?<link>(.*?)<\/link>/g)].map((m) => m[1]);
    expect(links).toEqual(['https://agency.example/articles/sales-vs-marketing/', 'https://agency.example/articles/older/']);
    expect(xml).toContain('<pubDate>Wed, 12 Mar 2025 09:30:00 GMT</pubDate>');
  });

  it('escapes titles and descriptions', () => {
    const xml = rssXml({ ...site, siteName: 'A & B <Agency>' }, [article({ title: 'Tom & Jerry </title><script>', intro: 'x < y & "z"\u0001' })], SITE_URL);
    expect(xml).toContain('<title>A &amp; B &lt;Agency&gt;</title>');
    expect(xml).toContain('<title>Tom &amp; Jerry &lt;/title&gt;&lt;script&gt;</title>');
    expect(xml).toContain('<description>x &lt; y &amp; &quot;z&quot;</description>');
    expect(xml).not.toContain('<script>');
    expect(escapeXml(`'`)).toBe('&apos;');
  });
});
