// The seeded article and CTA are the client's copy (shared/src/seed/sales-vs-marketing.txt), word for word,
// and valid content.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ArticleSchema,
  AuthorSchema,
  ConsultationCtaSchema,
  SiteSettingsSchema,
  TopicSchema,
  parseEntry,
  plainText,
  seed,
} from '../src/index.ts';
import { KIT_FILE, asKitParagraphs, kitParagraphs } from '../../tests/support/kit.ts';
import { AUTHOR_ID, DOCUMENT_ID, PUBLISHED_AT, UPDATED_AT, rawArticle, rawTopics } from './fixtures.ts';

const KIT_PATH = path.resolve(import.meta.dirname, '..', 'src', 'seed', 'sales-vs-marketing.txt');
const article = seed.salesVsMarketing;
const cta = seed.consultationCta;

describe("seed: the client's copy", () => {
  it('reads the client\u2019s copy kept beside the seed, inside the repo', () => {
    expect(KIT_FILE).toBe(KIT_PATH);
    expect(kitParagraphs().length).toBeGreaterThan(10);
  });

  it('equals the kit, paragraph by paragraph', () => {
    const seeded = asKitParagraphs(article, cta);
    const kit = kitParagraphs();
    // One assertion per paragraph first, so a failure names the paragraph that drifted.
    kit.forEach((paragraph, index) => expect(seeded[index], `paragraph ${index + 1}`).toBe(paragraph));
    expect(seeded).toEqual(kit);
  });

  it('keeps the typography: curly apostrophes, no straight ones', () => {
    const kitText = readFileSync(KIT_PATH, 'utf8');
    const seededText = asKitParagraphs(article, cta).join('\n');
    const curly = (value: string) => value.split('\u2019').length - 1;
    expect(curly(kitText)).toBe(5);
    expect(curly(seededText)).toBe(curly(kitText));
    expect(seededText).not.toContain("'");
    expect(article.title).toBe('What\u2019s the difference between sales and marketing?');
  });

  it('keeps the odd spacing in "making sales,  building" (a no-break space and a space, as in the kit)', () => {
    const exact = 'making sales,\u00a0 building';
    expect(readFileSync(KIT_PATH, 'utf8')).toContain(exact);
    expect(plainText(cta.body)).toContain(exact);
  });

  it('has the side note as the second body block, and six sections around it', () => {
    expect(article.body[1]).toMatchObject({ kind: 'side-note', label: 'Side note' });
    expect(plainText(article.body[1]!.body)).toMatch(/^Historically the sales function/);
    expect(
      article.body.filter((block) => block.kind === 'section').map((block) => (block.kind === 'section' ? block.heading : '')),
    ).toEqual([
      'Current focus versus future focus',
      'Results and expectations',
      'Strategic approach',
      'Customer journey focus',
      'Communication tools',
      'Integrating sales and marketing',
    ]);
  });
});

describe('seed: author and topics', () => {
  it('the article is by the agency and linked to seeded topics only', () => {
    expect(article.author).toBe(seed.agencyAuthor.slug);
    expect(seed.agencyAuthor.name).toBe(seed.siteSettings.siteName);
    expect(article.topics).toEqual(seed.topics.map((topic) => topic.slug));
  });

  it('each topic is a subject the article’s own text names', () => {
    const words = [article.title, article.intro, ...article.body.map((block) => plainText(block.body))].join(' ').toLowerCase();
    for (const topic of seed.topics) expect(words, topic.name).toContain(topic.name.toLowerCase());
  });

  it('the author and topics pass their schemas', () => {
    expect(parseEntry(AuthorSchema, { ...seed.agencyAuthor, documentId: AUTHOR_ID }, 'the author')).toEqual({
      ...seed.agencyAuthor,
      documentId: AUTHOR_ID,
      photo: null,
    });
    for (const topic of rawTopics()) expect(parseEntry(TopicSchema, topic, 'a topic')).toEqual(topic);
  });
});

describe('seed: valid content', () => {
  it('the article, shaped like the GraphQL answer, passes ArticleSchema unchanged', () => {
    const raw = rawArticle(article);
    expect((raw.body as Array<{ __typename: string }>).map((block) => block.__typename)).toEqual([
      'ComponentArticleSection',
      'ComponentArticleSideNote',
      ...Array(5).fill('ComponentArticleSection'),
    ]);
    const parsed = parseEntry(ArticleSchema, raw, 'article "sales-vs-marketing"');
    const { author, topics, seo, ...text } = article;
    expect(parsed).toEqual({
      ...text,
      documentId: DOCUMENT_ID,
      publishedAt: PUBLISHED_AT,
      updatedAt: UPDATED_AT,
      cover: null,
      coverAlt: null,
      author: { ...seed.agencyAuthor, documentId: AUTHOR_ID, photo: null },
      topics: rawTopics(),
      seo,
    });
    expect(parsed.author?.slug).toBe(author);
    expect(parsed.topics.map((topic) => topic.slug)).toEqual(topics);
  });

  it('the CTA and site settings pass their schemas unchanged', () => {
    expect(parseEntry(ConsultationCtaSchema, structuredClone(cta), 'the CTA')).toEqual(cta);
    expect(parseEntry(SiteSettingsSchema, structuredClone(seed.siteSettings), 'the site settings')).toEqual(seed.siteSettings);
  });
});
