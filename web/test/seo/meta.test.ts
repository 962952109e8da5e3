// <head> metadata (src/seo/meta.ts): title, description, canonical, robots, Open Graph and Twitter.
import { seed } from '@agency/shared';
import { describe, expect, it } from 'vitest';
import { article, seo, site, SITE_URL } from '../support/fixtures.ts';
import { pageMeta, socialTags, truncate } from '../../src/seo/meta.ts';

describe('pageMeta', () => {
  it('prefers the entry SEO, then "page title · site name" and the intro', () => {
    expect(
      pageMeta({ site, title: 'Title', description: 'Intro', seo: seo({ metaTitle: 'Meta', metaDescription: 'Desc' }) }),
    ).toMatchObject({
      title: 'Meta',
      description: 'Desc',
    });
    expect(pageMeta({ site, title: 'Title', description: 'Intro', seo: null })).toMatchObject({
      title: `Title · ${site.siteName}`,
      description: 'Intro',
    });
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
    expect(
      pageMeta({
        site,
        path: '/articles/x/',
        siteUrl: new URL('https://agency.example/'),
        seo: seo({ canonicalUrl: 'https://elsewhere.example/x' }),
      }).canonical,
    ).toBe('https://elsewhere.example/x');
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

  it('shows a share picture as a large-image card with its size and description', () => {
    const meta = pageMeta({ site, title: 'T', path: '/articles/t/', siteUrl: SITE_URL });
    const image = { url: 'https://agency.example/_astro/share.abc.jpeg', width: 1200, height: 630, alt: 'A cover', type: 'image/jpeg' };
    const tags = socialTags({ site, meta, article: article(), image });
    const get = (key: string) => tags.find((tag) => tag.property === key || tag.name === key)?.content;
    expect(get('og:image')).toBe(image.url);
    expect(get('og:image:type')).toBe('image/jpeg');
    expect([get('og:image:width'), get('og:image:height'), get('og:image:alt')]).toEqual(['1200', '630', 'A cover']);
    expect(get('twitter:card')).toBe('summary_large_image');
    expect([get('twitter:image'), get('twitter:image:alt')]).toEqual([image.url, 'A cover']);
    expect(tags.some((tag) => tag.property === 'og:image')).toBe(true);
    expect(
      socialTags({ site, meta, article: article() }).some((tag) => tag.property?.startsWith('og:image') || tag.name === 'twitter:image'),
    ).toBe(false);
  });

  it('describes other pages as a website, without article dates or a URL they do not have', () => {
    const tags = socialTags({ site, meta: pageMeta({ site }) });
    expect(tags.find((tag) => tag.property === 'og:type')?.content).toBe('website');
    expect(tags.some((tag) => tag.property?.startsWith('article:') || tag.property === 'og:url')).toBe(false);
  });
});
