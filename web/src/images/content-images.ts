// The images step of a build: every image the content shows, fetched into the store of originals
// (./source-cache.ts) right after the content is in, before any page renders, with the entry and the field
// that shows it. Why a step of its own: a download that fails (a picture deleted from the media library, a
// host that never answers, a file far too large, a rich-text URL on a host the build does not fetch from)
// must fail the build with a message that names what the editor has to fix —
// `"Sales vs marketing", body, image https://…/x.jpg: 404 Not Found. …` — where a failure deep in a page's
// render named a URL only. Every image that fails is named, not just the first: an editor who published an
// article with three broken images fixes all three at once instead of publishing three times. The pages then
// find every original in the store's lookups of this build.
import type { Article, RichText } from '@agency/shared';
import { CmsError, isCmsErrorLike, type CmsErrorKind } from '../cms/errors.ts';
import type { SiteContent } from '../cms/site-content.ts';
import { loadSource, type CmsImageRef, type ImageRun } from './image-run.ts';
import { ImageFetchError, shownUrl } from './source-cache.ts';

/** One image the site shows: the reference the page loads it by, and who shows it (entry, field). */
export type ImageUse = { image: CmsImageRef; entry: string; field: string };

/** How many downloads run at once: enough to hide latency, few enough not to flood the CMS. */
const AT_ONCE = 6;

const quoted = (title: string) => `"${title}"`;

function richTextUses(blocks: RichText, entry: string, field: string): ImageUse[] {
  return blocks.flatMap((block) => (block.type === 'image' ? [{ image: { url: block.image.url, richText: true }, entry, field }] : []));
}

/** The images of these articles: cover, share image, the author's photo, and the images in the body. */
export function articleImageUses(articles: readonly Article[]): ImageUse[] {
  return articles.flatMap((article) => {
    const entry = quoted(article.title);
    return [
      ...(article.cover ? [{ image: article.cover, entry, field: 'cover' }] : []),
      ...(article.seo?.shareImage ? [{ image: article.seo.shareImage, entry, field: 'seo.shareImage' }] : []),
      ...(article.author?.photo
        ? [{ image: article.author.photo, entry: `the author ${quoted(article.author.name)}`, field: 'photo' }]
        : []),
      ...article.body.flatMap((block) => richTextUses(block.body, entry, 'body')),
    ];
  });
}

/** Every image the site's content shows. */
export function siteImageUses(content: SiteContent): ImageUse[] {
  return [
    ...articleImageUses(content.articles),
    ...content.authors.flatMap((author) =>
      author.photo ? [{ image: author.photo, entry: `the author ${quoted(author.name)}`, field: 'photo' }] : [],
    ),
    ...richTextUses(content.cta.body, 'the consultation CTA', 'body'),
  ];
}

/**
 * Fetches every image in `uses` into the run's store (a few at a time; each at most once). When some fail, every
 * one of them is tried and the failures are thrown together: one ImageFetchError naming the entry, the field and
 * the image, or for several a CmsError listing each of those messages on a line of its own.
 */
export async function fetchContentImages(run: ImageRun, uses: readonly ImageUse[]): Promise<number> {
  const seen = new Set<string>();
  const unique = uses.filter(({ image }) => {
    const key = `${image.url}#${image.hash ?? ''}#${image.richText === true}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < unique.length) {
      const use = unique[next++]!;
      try {
        await loadSource(run, use.image);
      } catch (error) {
        failures.push(named(use, error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, unique.length) }, worker));
  if (failures.length > 0) throw together(failures);
  return unique.length;
}

/** The kinds that say the content must change (an image gone, too large, on a host not allowed): no retry helps. */
const CONTENT_KINDS = new Set<CmsErrorKind>(['invalid-content', 'missing-content', 'duplicate-slug']);

/**
 * One error for the images step's failures: the failure itself when there is one (or one that is not a
 * CmsError: a bug, thrown as it is), else a CmsError listing each. Its kind is the content's only when every
 * failure's is: one image that did not answer makes the build worth retrying.
 */
function together(failures: readonly unknown[]): unknown {
  const unexpected = failures.find((failure) => !isCmsErrorLike(failure));
  if (unexpected !== undefined || failures.length === 1) return unexpected ?? failures[0];
  const errors = failures.filter(isCmsErrorLike);
  const kind = errors.find((error) => !CONTENT_KINDS.has(error.kind))?.kind ?? errors[0]!.kind;
  return new CmsError(
    kind,
    `${errors.length} images the content shows could not be had for the build:\n${errors.map((error) => `- ${error.message}`).join('\n')}`,
  );
}

/**
 * The error again, saying which entry and field show the image. By its name, not instanceof: the store was
 * made by the images integration, a module instance of its own (src/images/image-run.ts says why).
 */
function named(use: ImageUse, error: unknown): unknown {
  if ((error as Error | null)?.name !== 'ImageFetchError') return error;
  const { kind, url, reason, advice } = error as ImageFetchError;
  return new ImageFetchError(kind, url, reason, advice, { where: `${use.entry}, ${use.field}, image ${shownUrl(use.image.url)}` });
}
