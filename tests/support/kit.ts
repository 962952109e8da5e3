// The client's copy (kept in the repo beside the seed, shared/src/seed/sales-vs-marketing.txt, so a fresh
// clone has it) and the seeded content flattened to the same paragraphs, so a test can say "exactly as the
// client's text" in one comparison.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inlineText, type Article, type ConsultationCta, type RichText } from '@agency/shared';
import { ROOT } from '../../scripts/common/paths.ts';

export const KIT_FILE = path.join(ROOT, 'shared', 'src', 'seed', 'sales-vs-marketing.txt');

/** The kit's paragraphs, in order, exactly as written (blank lines separate them). */
export function kitParagraphs(): string[] {
  return readFileSync(KIT_FILE, 'utf8')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ''))
    .filter((paragraph) => paragraph.trim() !== '');
}

function blockTexts(body: RichText): string[] {
  return body.map((block) => {
    if (block.type === 'list' || block.type === 'image') throw new Error(`the seed has no ${block.type} blocks`);
    return inlineText(block.children);
  });
}

/** The article and CTA as the kit's paragraphs: a side note reads "<label>: <text>", as in the kit. */
export function asKitParagraphs(
  article: Pick<Article, 'title' | 'intro' | 'body'>,
  cta: Pick<ConsultationCta, 'heading' | 'subheading' | 'body'>,
): string[] {
  const out = [article.title, article.intro];
  for (const block of article.body) {
    if (block.kind === 'section') out.push(block.heading, ...blockTexts(block.body));
    else {
      const [first = '', ...rest] = blockTexts(block.body);
      out.push(`${block.label}: ${first}`, ...rest);
    }
  }
  out.push(cta.heading, ...(cta.subheading ? [cta.subheading] : []), ...blockTexts(cta.body));
  return out;
}
