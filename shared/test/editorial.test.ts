// The editorial contract (issue 11): images, authors, topics and the article's new fields. Good content
// becomes the domain shape; bad content fails naming the entry, the exact field and what to fix.
import { describe, expect, it } from 'vitest';
import { ArticleSchema, AuthorSchema, COVER_ALT_REQUIRED, SeoSchema, TopicSchema, parseEntry, seed } from '../src/index.ts';
import { expectOnlyIssue, invalid, rawArticle, rawAuthor, rawImage } from './fixtures.ts';

const ENTRY = 'article "sales-vs-marketing"';
const withArticle = (changes: Record<string, unknown>) => ({ ...rawArticle(), ...changes });

describe('cover', () => {
  it('is optional: none reads as null', () => {
    for (const cover of [null, undefined])
      expect(parseEntry(ArticleSchema, withArticle({ cover, coverAlt: null }), ENTRY).cover).toBeNull();
  });

  it('keeps every image field the site needs, with its description', () => {
    const article = parseEntry(ArticleSchema, withArticle({ cover: rawImage(), coverAlt: ' A red logo on a white wall ' }), ENTRY);
    expect(article.cover).toEqual({
      url: '/uploads/cover_3f2a1b.jpg',
      alternativeText: null,
      width: 1600,
      height: 900,
      mime: 'image/jpeg',
      hash: 'cover_3f2a1b',
    });
    expect(article.coverAlt).toBe('A red logo on a white wall');
  });

  it('needs a description: an empty or blank one is refused at coverAlt', () => {
    for (const coverAlt of [null, '', '   ']) {
      const error = invalid(ArticleSchema, withArticle({ cover: rawImage(), coverAlt }), ENTRY);
      expectOnlyIssue(error, 'coverAlt', new RegExp(`^${COVER_ALT_REQUIRED}$`));
    }
  });

  it('a description without a cover is harmless', () => {
    expect(parseEntry(ArticleSchema, withArticle({ cover: null, coverAlt: 'Left over' }), ENTRY).coverAlt).toBe('Left over');
  });

  it('names the image field that is wrong', () => {
    expectOnlyIssue(
      invalid(ArticleSchema, withArticle({ cover: rawImage({ width: null }), coverAlt: 'x' }), ENTRY),
      'cover.width',
      /width in pixels/,
    );
    expectOnlyIssue(
      invalid(ArticleSchema, withArticle({ cover: rawImage({ height: 0 }), coverAlt: 'x' }), ENTRY),
      'cover.height',
      /positive/,
    );
    expectOnlyIssue(
      invalid(ArticleSchema, withArticle({ cover: rawImage({ mime: 'application/pdf' }), coverAlt: 'x' }), ENTRY),
      'cover.mime',
      /must be an image/,
    );
    expectOnlyIssue(
      invalid(ArticleSchema, withArticle({ cover: rawImage({ url: '' }), coverAlt: 'x' }), ENTRY),
      'cover.url',
      /must not be empty/,
    );
    expectOnlyIssue(
      invalid(ArticleSchema, withArticle({ cover: rawImage({ hash: undefined }), coverAlt: 'x' }), ENTRY),
      'cover.hash',
      /is required/,
    );
  });
});

describe('author and topics on an article', () => {
  it('an article without author or topics reads as null and []', () => {
    const article = parseEntry(ArticleSchema, withArticle({ author: null, topics: null }), ENTRY);
    expect(article.author).toBeNull();
    expect(article.topics).toEqual([]);
  });

  it('keeps the author with a photo, and the topics in order', () => {
    const photo = rawImage({ url: '/uploads/jane.png', mime: 'image/png', alternativeText: 'Jane, smiling' });
    const article = parseEntry(ArticleSchema, withArticle({ author: { ...rawAuthor(), photo } }), ENTRY);
    expect(article.author).toMatchObject({
      name: seed.agencyAuthor.name,
      photo: { url: '/uploads/jane.png', alternativeText: 'Jane, smiling' },
    });
    expect(article.topics.map((topic) => topic.name)).toEqual(['Sales', 'Marketing', 'Strategy']);
  });

  it('names the field inside a bad author or topic', () => {
    expectOnlyIssue(
      invalid(ArticleSchema, withArticle({ author: { ...rawAuthor(), slug: 'Not A Slug' } }), ENTRY),
      'author.slug',
      /lowercase words/,
    );
    const topics = [{ documentId: 't', name: '', slug: 'x', description: null }];
    expectOnlyIssue(invalid(ArticleSchema, withArticle({ topics }), ENTRY), 'topics[0].name', /must not be empty/);
  });
});

describe('AuthorSchema', () => {
  it('reads empty optional fields as null', () => {
    const author = parseEntry(AuthorSchema, { ...rawAuthor(), role: '', bio: ' ', photo: undefined }, 'author "branding-agency"');
    expect(author).toMatchObject({ role: null, bio: null, photo: null });
  });

  it('refuses a bio over 300 characters and a missing name', () => {
    const entry = 'author "branding-agency"';
    expectOnlyIssue(invalid(AuthorSchema, { ...rawAuthor(), bio: 'x'.repeat(301) }, entry), 'bio', /^must be at most 300 characters$/);
    expectOnlyIssue(invalid(AuthorSchema, { ...rawAuthor(), name: undefined }, entry), 'name', /^is required$/);
  });
});

describe('TopicSchema', () => {
  it('refuses a name over 60 characters and a bad slug', () => {
    const topic = { ...seed.topics[0], documentId: 't1' };
    expectOnlyIssue(invalid(TopicSchema, { ...topic, name: 'x'.repeat(61) }, 'topic "sales"'), 'name', /^must be at most 60 characters$/);
    expectOnlyIssue(invalid(TopicSchema, { ...topic, slug: 'sales & more' }, 'topic "sales"'), 'slug', /lowercase words/);
  });
});

describe('SEO share image', () => {
  it('is optional, and validated like every image when set', () => {
    expect(SeoSchema.parse({ shareImage: null })?.shareImage).toBeNull();
    expect(SeoSchema.parse({ shareImage: rawImage() })?.shareImage?.hash).toBe('cover_3f2a1b');
    const error = invalid(ArticleSchema, withArticle({ seo: { shareImage: rawImage({ mime: 'text/html' }) } }), ENTRY);
    expectOnlyIssue(error, 'seo.shareImage.mime', /must be an image/);
  });
});
