// Checking what the CMS returned and turning it into the site's content (src/cms/site-content.ts): pure, so
// every refusal is tested with its exact wording.
import { InvalidContentError, seed, type SiteContentResult } from '@agency/shared';
import { describe, expect, it } from 'vitest';
import { toSiteContent } from '../../src/cms/site-content.ts';
import { firstPage, laterPage, pageInfo, rawArticle } from '../support/fixtures.ts';

describe('toSiteContent', () => {
  it('turns a valid answer into typed content', () => {
    const content = toSiteContent(firstPage([rawArticle(1), rawArticle(2)]));
    expect(content.site).toEqual(seed.siteSettings);
    expect(content.cta).toEqual(seed.consultationCta);
    expect(content.articles.map((a) => a.slug)).toEqual(['sales-vs-marketing-1', 'sales-vs-marketing-2']);
    expect(content.articles[0]!.body.map((b) => b.kind)).toEqual(seed.salesVsMarketing.body.map((b) => b.kind));
  });

  it('brings every published author and topic, validated', () => {
    const content = toSiteContent(firstPage([rawArticle(1)]));
    expect(content.authors).toEqual([{ ...seed.agencyAuthor, documentId: 'author0', photo: null }]);
    expect(content.topics.map((topic) => topic.slug)).toEqual(['sales', 'marketing', 'strategy']);
  });

  it('refuses more authors or topics than one request brings, instead of dropping some', () => {
    const first = firstPage([]);
    const authors = { ...first.authors_connection, pageInfo: { total: 101 } };
    expect(() => toSiteContent({ ...first, authors_connection: authors })).toThrow(
      'The CMS has 101 published authors, but the site reads at most 100 (got 1).',
    );
    expect(() => toSiteContent({ ...first, topics_connection: null as never })).toThrow("The CMS's answer has no topics_connection");
  });

  it('names an invalid author or topic', () => {
    const first = firstPage([]);
    const bad = {
      ...first,
      topics_connection: { nodes: [{ documentId: 't', name: 'Sales', slug: 'Sales!', description: null }], pageInfo: { total: 1 } },
    };
    expect(() => toSiteContent(bad)).toThrow('Invalid content in topic "Sales!":\n  - slug: must be lowercase words joined by hyphens');
  });

  it('accepts no articles', () => {
    expect(toSiteContent(firstPage([])).articles).toEqual([]);
  });

  it('joins the pages in order', () => {
    const all = Array.from({ length: 205 }, (_, i) => rawArticle(i));
    const content = toSiteContent(firstPage(all.slice(0, 100), pageInfo(1, 3, 205)), [
      laterPage(all.slice(100, 200), pageInfo(2, 3, 205)),
      laterPage(all.slice(200), pageInfo(3, 3, 205)),
    ]);
    expect(content.articles).toHaveLength(205);
    expect(content.articles.map((a) => a.documentId)).toEqual(all.map((a) => a.documentId));
  });

  it('refuses an incomplete list instead of silently building part of the site', () => {
    const all = Array.from({ length: 150 }, (_, i) => rawArticle(i));
    // Pages missing:
    expect(() => toSiteContent(firstPage(all.slice(0, 100), pageInfo(1, 2, 150)))).toThrow(/got 100 of the 150 published articles/);
    // The API capped the page size below what was asked, yet claimed one page:
    expect(() => toSiteContent(firstPage(all.slice(0, 25), pageInfo(1, 1, 150)))).toThrow(/got 25 of the 150/);
    // The total moved between requests:
    expect(() =>
      toSiteContent(firstPage(all.slice(0, 100), pageInfo(1, 2, 150)), [laterPage(all.slice(100), pageInfo(2, 2, 151))]),
    ).toThrow(/changed while the site was being built/);
  });

  it('says which single type is not published', () => {
    expect(() => toSiteContent(firstPage([], undefined, { global: null }))).toThrow(
      'The CMS has no published site settings (Global): publish it in the Strapi admin (Content Manager → Single Types → Global).',
    );
    expect(() => toSiteContent(firstPage([], undefined, { consultationCta: null }))).toThrow(
      /no published consultation call to action.*Content Manager/,
    );
    try {
      toSiteContent(firstPage([], undefined, { global: null }));
    } catch (error) {
      expect(error).toMatchObject({ name: 'CmsError', kind: 'missing-content' });
    }
  });

  it('names the entry and field of invalid content', () => {
    const bad = rawArticle(1, {
      body: [{ __typename: 'ComponentArticleSection', heading: ' ', body: seed.salesVsMarketing.body[0]!.body }],
    });
    expect(() => toSiteContent(firstPage([bad]))).toThrow(InvalidContentError);
    expect(() => toSiteContent(firstPage([bad]))).toThrow(
      'Invalid content in article "sales-vs-marketing-1":\n  - body[0].heading: must not be empty',
    );
  });

  it('lists every invalid entry at once', () => {
    const answer = firstPage([rawArticle(1, { title: '' }), rawArticle(2, { slug: 'Not A Slug' })], undefined, {
      consultationCta: { ...seed.consultationCta, actionUrl: 'javascript:alert(1)' },
    });
    try {
      toSiteContent(answer);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ name: 'CmsError', kind: 'invalid-content' });
      const { message } = error as Error;
      expect(message).toMatch(/^3 entries in the CMS have invalid content/);
      expect(message).toContain('Invalid content in the consultation call to action:\n  - actionUrl:');
      expect(message).toContain('Invalid content in article "sales-vs-marketing-1":\n  - title: must not be empty');
      expect(message).toContain('Invalid content in article "Not A Slug":\n  - slug: must be lowercase words joined by hyphens');
    }
  });

  it('refuses two articles with the same slug', () => {
    expect(() => toSiteContent(firstPage([rawArticle(1), rawArticle(2, { slug: 'sales-vs-marketing-1' })]))).toThrow(
      'Two published articles share the slug "sales-vs-marketing-1" (entries doc1 and doc2)',
    );
  });

  it('refuses an answer without an articles connection', () => {
    expect(() =>
      toSiteContent({ global: seed.siteSettings, consultationCta: seed.consultationCta } as unknown as SiteContentResult),
    ).toThrow(/has no articles_connection/);
  });
});
