// How long an article takes to read: its word count (also in its JSON-LD) and minutes at 230 words a minute.
import { plainText, type Article } from '@agency/shared';

/** Words in an article's intro and body (headings, sections and side notes). */
export function wordCount(article: Pick<Article, 'body'> & { intro?: string }): number {
  const text = [
    article.intro ?? '',
    ...article.body.map((block) => `${block.kind === 'section' ? block.heading : block.label}\n${plainText(block.body)}`),
  ].join('\n');
  return text.split(/\s+/).filter(Boolean).length;
}

/** Reading time in whole minutes (at least 1), at 230 words a minute. */
export function readingMinutes(article: Pick<Article, 'body'> & { intro?: string }): number {
  return Math.max(1, Math.round(wordCount(article) / 230));
}
