// Article i's copy for scripts/generate-articles.mts: slug generated-0001…, title, intro and body (sections, and
// a side note in every third article). Filler in the agency's register: deterministic (article i always reads
// the same, so runs can be compared), varied enough that pages differ in length like real ones do.
import type { Schema } from '@strapi/strapi';

const TOPICS = [
  'brand voice',
  'logo design',
  'packaging',
  'signage',
  'brand strategy',
  'customer experience',
  'naming',
  'tone of voice',
  'visual identity',
  'rebranding',
  'brand guidelines',
  'social media',
];
const AUDIENCES = ['small businesses', 'start-ups', 'retailers', 'not-for-profits', 'professional services', 'manufacturers'];
const HEADINGS = [
  'Why it matters',
  'Where to start',
  'Common mistakes',
  'Measuring results',
  'Working with an agency',
  'Keeping it consistent',
  'A worked example',
  'What to do next',
];
const SENTENCES = [
  'A clear brand helps customers recognise you and remember you when they are ready to buy.',
  'Consistency across every touchpoint builds trust faster than any single campaign.',
  'Start with what your customers already believe about you, then decide what they should believe.',
  'Small changes applied everywhere often do more than a large change applied once.',
  'Your team is the first audience for the brand: if they cannot explain it, nobody else will.',
  'Good design removes friction, so the message arrives before the reader gets bored.',
  'Measure what people remember, not only what they click.',
  'A brief that names one goal gets better work than a brief that names ten.',
  'Competitors can copy a product, but they cannot copy the relationship you build.',
  'Review the brand every year, and change it only when the business has changed.',
];

/** The list's entry for i, cycling: how every generated choice is made, so that it is deterministic. */
export const pick = <T,>(list: readonly T[], i: number): T => list[i % list.length]!;
const text = (i: number, sentences: number) => Array.from({ length: sentences }, (_, k) => pick(SENTENCES, i * 7 + k * 3)).join(' ');
const paragraphs = (...texts: string[]): Schema.Attribute.BlocksValue =>
  texts.map((t) => ({ type: 'paragraph', children: [{ type: 'text', text: t }] }));

/** A body block as the Document Service takes it, and gives it back (with an id). */
export type Block =
  | { __component: 'article.section'; heading: string; body: Schema.Attribute.BlocksValue }
  | { __component: 'article.side-note'; label: string; body: Schema.Attribute.BlocksValue };

/**
 * Article i, as the Document Service's `data` (documentServiceWriter passes it as is, so the compiler checks it is):
 * relations by documentId (topics, author), the cover by file id.
 */
export type Article = {
  slug: string;
  title: string;
  intro: string;
  body: Block[];
  topics?: string[];
  author?: string;
  cover?: number;
  coverAlt?: string;
};

export function generatedArticle(i: number): Article {
  const topic = pick(TOPICS, i);
  const audience = pick(AUDIENCES, i * 5);
  const sectionCount = 3 + (i % 3);
  const body: Block[] = Array.from({ length: sectionCount }, (_, s) => ({
    __component: 'article.section' as const,
    heading: pick(HEADINGS, i + s),
    body: paragraphs(...Array.from({ length: 1 + ((i + s) % 3) }, (_, p) => text(i + s + p, 3 + ((i + p) % 3)))),
  }));
  // Every third article has a side note after its first section, like the seeded one.
  if (i % 3 === 0) body.splice(1, 0, { __component: 'article.side-note', label: 'Side note', body: paragraphs(text(i + 11, 3)) });
  return {
    slug: `generated-${String(i).padStart(4, '0')}`,
    title: `${topic[0]!.toUpperCase()}${topic.slice(1)} for ${audience}, part ${i}`,
    intro: `How ${audience} can get more from ${topic}. ${text(i + 3, 2)}`,
    body,
  };
}
