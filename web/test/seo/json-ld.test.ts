// Structured data (src/seo/json-ld.ts).
import { seed } from '@agency/shared';
import { describe, expect, it } from 'vitest';
import { article, site, SITE_URL } from '../support/fixtures.ts';
import { articleJsonLd, homeJsonLd, serializeJsonLd } from '../../src/seo/json-ld.ts';
import { pageMeta } from '../../src/seo/meta.ts';

describe('JSON-LD', () => {
  it('describes an article with headline, dates and the agency as publisher', () => {
    const meta = pageMeta({ site, title: 'T', seo: seed.salesVsMarketing.seo, path: '/articles/sales-vs-marketing/', siteUrl: SITE_URL });
    const data = articleJsonLd(site, article(), meta, SITE_URL);
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

  it('names the agency as author when the author is the agency, and lists the topics as keywords', () => {
    const meta = pageMeta({ site, title: 'T', path: '/articles/sales-vs-marketing/', siteUrl: SITE_URL });
    const data = articleJsonLd(site, article(), meta, SITE_URL);
    expect(data.author).toEqual({
      '@id': 'https://agency.example/#organization',
      '@type': 'Organization',
      name: site.siteName,
      url: 'https://agency.example/',
    });
    expect(data.keywords).toBe(seed.topics.map((topic) => topic.name).join(', '));
  });

  it('names a person who writes for the agency as a Person with their author page', () => {
    const meta = pageMeta({ site, title: 'T', path: '/articles/sales-vs-marketing/', siteUrl: SITE_URL });
    const author = { documentId: 'a1', name: 'Ada Lovelace', slug: 'ada-lovelace', role: 'Strategist', photo: null, bio: null };
    const data = articleJsonLd(site, { ...article(), author, topics: [] }, meta, SITE_URL);
    expect(data.author).toEqual({
      '@type': 'Person',
      name: 'Ada Lovelace',
      url: 'https://agency.example/authors/ada-lovelace/',
      jobTitle: 'Strategist',
      worksFor: { '@id': 'https://agency.example/#organization' },
    });
    expect(data).not.toHaveProperty('keywords');
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
