import { seed, type Seo } from '@agency/shared';
import { describe, expect, it } from 'vitest';
import { pageMeta } from '../src/lib/seo.ts';

const site = seed.siteSettings;
const seo = (overrides: Partial<Seo>): Seo => ({ metaTitle: null, metaDescription: null, canonicalUrl: null, noIndex: false, ...overrides });

describe('pageMeta', () => {
  it('prefers the entry SEO, then the page title and intro', () => {
    expect(pageMeta({ site, title: 'Title', description: 'Intro', seo: seo({ metaTitle: 'Meta', metaDescription: 'Desc' }) })).toMatchObject({
      title: 'Meta',
      description: 'Desc',
    });
    expect(pageMeta({ site, title: 'Title', description: 'Intro', seo: null })).toMatchObject({ title: 'Title', description: 'Intro' });
  });

  it("falls back to the site's default SEO, then the site name", () => {
    expect(pageMeta({ site })).toMatchObject({ title: site.defaultSeo!.metaTitle, description: site.defaultSeo!.metaDescription });
    expect(pageMeta({ site: { ...site, defaultSeo: null } })).toMatchObject({ title: site.siteName, description: null });
  });

  it('builds the canonical URL from the site URL, unless the entry sets one', () => {
    expect(pageMeta({ site, path: '/articles/x/', siteUrl: 'https://agency.example' }).canonical).toBe('https://agency.example/articles/x/');
    expect(pageMeta({ site, path: '/articles/x/', siteUrl: new URL('https://agency.example/'), seo: seo({ canonicalUrl: 'https://elsewhere.example/x' }) }).canonical).toBe(
      'https://elsewhere.example/x',
    );
    expect(pageMeta({ site, path: null, siteUrl: 'https://agency.example' }).canonical).toBeNull();
  });

  it('hides a page from search engines when the entry or the site says so', () => {
    expect(pageMeta({ site }).noIndex).toBe(false);
    expect(pageMeta({ site, seo: seo({ noIndex: true }) }).noIndex).toBe(true);
    expect(pageMeta({ site: { ...site, defaultSeo: seo({ noIndex: true }) } }).noIndex).toBe(true);
  });
});
