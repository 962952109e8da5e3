// The images step of a build: every image the content shows, fetched into the store of originals
// (./source-cache.ts) right after the content is in, before any page renders, with the entry and the field
// that shows it. Why a step of its own: a download that fails (a picture deleted from the media library, a
// host that never answers, a file far too large, a rich-text URL on a host the build does not fetch from)
// must fail the build with a message that names what the editor has to fix —
// `"Sales vs marketing", body, image https://…/x.jpg: 404 Not Found. …` — where a failure deep in a page's
// render named a URL only. The pages then find every original in the store's lookups of this build.
import type { Article, RichText } from '@agency/shared';
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
 * Fetches every image in `uses` into the run's store (a few at a time; each at most once), or throws the
 * first failure as an ImageFetchError naming the entry, the field and the image.
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
  let failure: unknown = null;
  const worker = async () => {
    while (failure === null && next < unique.length) {
      const use = unique[next++]!;
      try {
        await loadSource(run, use.image);
      } catch (error) {
        failure ??= named(use, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, unique.length) }, worker));
  if (failure !== null) throw failure;
  return unique.length;
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
