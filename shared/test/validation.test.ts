// parseEntry with the content schemas: good content becomes the domain shape; bad content fails with a
// message that names the entry, the exact field and what to fix.
import { describe, expect, it } from 'vitest';
import { ArticleSchema, ConsultationCtaSchema, SiteSettingsSchema, describeArticle, fieldPath, parseEntry, telHref } from '../src/index.ts';
import { expectOnlyIssue, image, invalid, link, paragraph, rawArticle, rawCta, rawSite, section, sideNote, text } from './fixtures.ts';

const ENTRY = 'article "sales-vs-marketing"';
const withArticle = (changes: Record<string, unknown>) => ({ ...rawArticle(), ...changes });
const withSeo = (changes: Record<string, unknown>) => withArticle({ seo: { ...(rawArticle().seo as object), ...changes } });

describe('good content', () => {
  it('turns dynamic-zone items into sections and side notes', () => {
    const article = parseEntry(ArticleSchema, withArticle({ body: [section(' Heading '), sideNote('Aside')] }), ENTRY);
    expect(article.body).toEqual([
      { kind: 'section', heading: 'Heading', body: [paragraph(text('Some text.'))] },
      { kind: 'side-note', label: 'Aside', body: [paragraph(text('An aside.'))] },
    ]);
  });

  it('reads a missing SEO component as null, and fills in SEO defaults', () => {
    expect(parseEntry(ArticleSchema, withArticle({ seo: null }), ENTRY).seo).toBeNull();
    expect(parseEntry(ArticleSchema, withArticle({ seo: undefined }), ENTRY).seo).toBeNull();
    const seo = parseEntry(ArticleSchema, withSeo({ metaTitle: '', metaDescription: '   ', canonicalUrl: '', noIndex: null }), ENTRY).seo;
    expect(seo).toEqual({ metaTitle: null, metaDescription: null, canonicalUrl: null, noIndex: false, shareImage: null });
  });

  it('reads empty optional strings as null', () => {
    const cta = parseEntry(ConsultationCtaSchema, { ...rawCta(), subheading: '', phone: ' ', actionUrl: '' }, 'the CTA');
    expect(cta).toMatchObject({ subheading: null, phone: null, actionUrl: null });
    const site = parseEntry(SiteSettingsSchema, { ...rawSite(), footerText: '', defaultSeo: null }, 'the site');
    expect(site).toMatchObject({ footerText: null, defaultSeo: null });
  });

  it('trims text and keeps valid optional values', () => {
    const cta = parseEntry(
      ConsultationCtaSchema,
      { ...rawCta(), phone: ' +61 (2) 9876-5432 ', actionUrl: ' /contact/ ', actionLabel: ' Call us ' },
      'the CTA',
    );
    expect(cta).toMatchObject({ phone: '+61 (2) 9876-5432', actionUrl: '/contact/', actionLabel: 'Call us' });
    expect(telHref(cta.phone)).toBe('tel:+61298765432');
    expect(telHref(null)).toBeNull();
  });
});

describe('bad content names the entry, the field and the fix', () => {
  it.each([
    ['an empty title', { title: '   ' }, 'title', /^must not be empty$/],
    ['a missing title', { title: undefined }, 'title', /^is required$/],
    ['a bad slug', { slug: 'Not A Slug' }, 'slug', /lowercase words joined by hyphens/],
    ['an overlong title', { title: 'x'.repeat(121) }, 'title', /at most 120 characters/],
    ['an empty body', { body: [] }, 'body', /at least one section/],
    ['a body of side notes only', { body: [sideNote('Side note'), sideNote('Another')] }, 'body', /at least one section/],
    ['a bad date', { publishedAt: 'yesterday' }, 'publishedAt', /ISO date/],
  ])('%s', (_, changes, field, message) => {
    expectOnlyIssue(invalid(ArticleSchema, withArticle(changes), ENTRY), field, message);
  });

  it('SEO: metaTitle over 60 characters, a non-URL canonical', () => {
    expectOnlyIssue(
      invalid(ArticleSchema, withSeo({ metaTitle: 'x'.repeat(61) }), ENTRY),
      'seo.metaTitle',
      /^must be at most 60 characters$/,
    );
    expectOnlyIssue(invalid(ArticleSchema, withSeo({ metaDescription: 'x'.repeat(161) }), ENTRY), 'seo.metaDescription', /at most 160/);
    for (const canonicalUrl of ['not a url', 'ftp://example.com/a', '/articles/a/']) {
      expectOnlyIssue(invalid(ArticleSchema, withSeo({ canonicalUrl }), ENTRY), 'seo.canonicalUrl', /absolute http\(s\) URL/);
    }
  });

  it.each([
    ['Error', { __typename: 'Error', code: 'INTERNAL', message: 'component missing' }],
    ['ComponentSharedQuote', { __typename: 'ComponentSharedQuote', text: 'A quote' }],
  ])('a dynamic-zone component the contract does not map (%s)', (typename, block) => {
    const error = invalid(ArticleSchema, withArticle({ body: [section('One'), block] }), ENTRY);
    expectOnlyIssue(error, 'body[1].__typename', new RegExp(`^is a block type the site cannot render \\(${typename}\\)$`));
  });

  it('rich text with an unknown block type', () => {
    const body = [section('One', [paragraph(text('Fine.')), { type: 'table', children: [] }])];
    expectOnlyIssue(
      invalid(ArticleSchema, withArticle({ body }), ENTRY),
      'body[0].body[1].type',
      /rich-text block type the site cannot render \(table\)/,
    );
  });

  it('rich text that is not a list of blocks, or has no text', () => {
    expectOnlyIssue(invalid(ArticleSchema, withArticle({ body: [section('One', 'plain')] }), ENTRY), 'body[0].body', /must be rich text/);
    expectOnlyIssue(
      invalid(ArticleSchema, withArticle({ body: [section('One', [paragraph(text(' '))])] }), ENTRY),
      'body[0].body',
      /some text/,
    );
  });

  it('a javascript: link, at its exact place in the rich text', () => {
    const body = [section('One'), sideNote('Aside', [paragraph(text('See '), link('javascript:alert(1)'))])];
    expectOnlyIssue(invalid(ArticleSchema, withArticle({ body }), ENTRY), 'body[1].body[0].children[1].url', /http\(s\), mailto: or tel:/);
  });

  it('a bad link inside a nested list', () => {
    const list = {
      type: 'list',
      format: 'unordered',
      children: [{ type: 'list', format: 'ordered', children: [{ type: 'list-item', children: [link('//evil.example')] }] }],
    };
    expectOnlyIssue(
      invalid(ArticleSchema, withArticle({ body: [section('One', [list])] }), ENTRY),
      'body[0].body[0].children[0].children[0].children[0].url',
      /single \//,
    );
  });

  it.each(['javascript:alert(1)', '//evil.example/a.png'])('an image with the URL %s', (url) => {
    const body = [section('One', [paragraph(text('Look:')), image(url)])];
    expectOnlyIssue(
      invalid(ArticleSchema, withArticle({ body }), ENTRY),
      'body[0].body[1].image.url',
      /http\(s\) URL or a path on this site such as \/uploads\//,
    );
  });

  it('CTA: a bad phone, an empty action label, an unsafe action URL', () => {
    const entry = 'the consultation call to action';
    expectOnlyIssue(invalid(ConsultationCtaSchema, { ...rawCta(), phone: 'call me' }, entry), 'phone', /must be a phone number/);
    expectOnlyIssue(invalid(ConsultationCtaSchema, { ...rawCta(), actionLabel: '' }, entry), 'actionLabel', /^must not be empty$/);
    expectOnlyIssue(invalid(ConsultationCtaSchema, { ...rawCta(), actionUrl: '//evil.example' }, entry), 'actionUrl', /single \//);
    expectOnlyIssue(invalid(ConsultationCtaSchema, { ...rawCta(), body: [] }, entry), 'body', /^must not be empty$/);
  });

  it('site settings: an empty site name', () => {
    expectOnlyIssue(
      invalid(SiteSettingsSchema, { ...rawSite(), siteName: ' ' }, 'the site settings (Global)'),
      'siteName',
      /must not be empty/,
    );
  });

  it('lists every issue, one line each', () => {
    const error = invalid(
      ArticleSchema,
      withArticle({ title: '', slug: 'Not A Slug', seo: { metaTitle: 'x'.repeat(61) }, body: [section('')] }),
      ENTRY,
    );
    expect(error.issues.map((issue) => issue.field)).toEqual(['slug', 'title', 'body[0].heading', 'seo.metaTitle']);
    expect(error.message.split('\n')).toHaveLength(1 + 4);
  });
});

describe('fieldPath and describeArticle', () => {
  it('formats zod paths the way editors read them', () => {
    expect(fieldPath(['body', 2, 'heading'])).toBe('body[2].heading');
    expect(fieldPath(['body', 0, 'body', 1, 'children', 0, 'url'])).toBe('body[0].body[1].children[0].url');
    expect(fieldPath(['seo', 'metaTitle'])).toBe('seo.metaTitle');
    expect(fieldPath([0, 'title'])).toBe('[0].title');
    expect(fieldPath([])).toBe('(entry)');
  });

  it('names an article by slug, else by documentId', () => {
    expect(describeArticle({ slug: 'a-b', documentId: 'x' })).toBe('article "a-b"');
    expect(describeArticle({ slug: '', documentId: 'x1' })).toBe('article x1');
    expect(describeArticle(null)).toBe('an article');
  });

  it('reports an entry that is not an object at all', () => {
    expectOnlyIssue(invalid(ArticleSchema, null, 'an article'), '(entry)', /expected object, received null/);
  });
});
