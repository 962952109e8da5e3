// Content shaped like the CMS's GraphQL answers (what the schemas really receive), built from the seed so
// the tests start from content known to be good and change one thing at a time.
import { expect } from 'vitest';
import { InvalidContentError, parseEntry, seed, type ArticleSeed, type ContentIssue } from '../src/index.ts';
import type { z } from 'zod';

export const DOCUMENT_ID = 'p3x9k2m7q1w8e5r4t6y0u2i3';
export const PUBLISHED_AT = '2025-03-04T09:30:00.000Z';
export const UPDATED_AT = '2025-03-05T10:15:00.000Z';

export const text = (value: string) => ({ type: 'text', text: value });
export const paragraph = (...children: unknown[]) => ({ type: 'paragraph', children });
export const link = (url: string, label = 'a link') => ({ type: 'link', url, children: [text(label)] });
export const image = (url: string) => ({ type: 'image', image: { url, alternativeText: 'A photo', width: 800, height: 600 } });

export const section = (heading: string, body: unknown = [paragraph(text('Some text.'))]) => ({
  __typename: 'ComponentArticleSection',
  heading,
  body,
});
export const sideNote = (label: string, body: unknown = [paragraph(text('An aside.'))]) => ({
  __typename: 'ComponentArticleSideNote',
  label,
  body,
});

/** An article as `articles_connection.nodes[i]` returns it: dynamic-zone items carry `__typename`. */
export function rawArticle(article: ArticleSeed = seed.salesVsMarketing): Record<string, unknown> {
  return {
    documentId: DOCUMENT_ID,
    slug: article.slug,
    title: article.title,
    intro: article.intro,
    publishedAt: PUBLISHED_AT,
    updatedAt: UPDATED_AT,
    cover: null,
    coverAlt: null,
    author: rawAuthor(),
    topics: rawTopics(),
    seo: article.seo && { ...article.seo },
    body: article.body.map((block) => (block.kind === 'section' ? section(block.heading, block.body) : sideNote(block.label, block.body))),
  };
}

/** An uploaded image as Strapi's UploadFile type returns it. */
export const rawImage = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  url: '/uploads/cover_3f2a1b.jpg',
  alternativeText: null,
  width: 1600,
  height: 900,
  mime: 'image/jpeg',
  hash: 'cover_3f2a1b',
  ...changes,
});
export const AUTHOR_ID = 'a1b2c3d4e5f6g7h8i9j0k1l2';
export const rawAuthor = (): Record<string, unknown> => ({ ...seed.agencyAuthor, documentId: AUTHOR_ID, photo: null });
export const rawTopics = (): Array<Record<string, unknown>> =>
  seed.topics.map((topic, index) => ({ ...topic, documentId: `topic${index}xxxxxxxxxxxxxxxxxx` }));

export const rawCta = (): Record<string, unknown> => structuredClone(seed.consultationCta);
export const rawSite = (): Record<string, unknown> => structuredClone(seed.siteSettings);

/** Parses `input`, expects an InvalidContentError naming `entry`, and returns it. */
export function invalid(schema: z.ZodType, input: unknown, entry: string): InvalidContentError {
  try {
    parseEntry(schema, input, entry);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidContentError);
    const invalidError = error as InvalidContentError;
    expect(invalidError.entry).toBe(entry);
    expect(invalidError.message.startsWith(`Invalid content in ${entry}:\n`)).toBe(true);
    return invalidError;
  }
  throw new Error(`expected ${entry} to be invalid, but it parsed`);
}

/** Expects exactly one issue, at `field`, whose message matches, and that the error's text lists it. */
export function expectOnlyIssue(error: InvalidContentError, field: string, message: RegExp): ContentIssue {
  expect(error.issues).toHaveLength(1);
  const [issue] = error.issues as [ContentIssue];
  expect(issue.field).toBe(field);
  expect(issue.message).toMatch(message);
  expect(error.message).toContain(`\n  - ${field}: ${issue.message}`);
  return issue;
}
