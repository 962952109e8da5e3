// Every article's link-preview picture (og:image, twitter:image): 1200×630 on the site's own origin. The
// SEO share image when the editor chose one, else the cover, each cropped to 1200×630 with sharp (enlarged
// when smaller: link previews want that size, and astro:assets never enlarges) and stored under the
// original's hash; else a typographic card drawn at build time (src/images/share-card.ts), stored under a hash of
// what it shows so an unchanged card is neither drawn nor encoded again.
import { createHash } from 'node:crypto';
import { getImage } from 'astro:assets';
import sharp from 'sharp';
import type { Article, SiteSettings } from '@agency/shared';
import { loadSource, sourceUrl } from './image-run.ts';
import { requireImageRun } from './picture.ts';
import { CARD_DESIGN, SHARE_HEIGHT, SHARE_WIDTH, drawShareCard } from './share-card.ts';

/** Bump when the crop changes, so stored crops are made again. */
const CROP_VERSION = 1;

export type ShareImage = { url: string; width: number; height: number; alt: string; type: string };

/** The article's share picture, as an absolute URL on `siteUrl`. Static build only. */
export async function articleShareImage(article: Article, site: SiteSettings, siteUrl: URL): Promise<ShareImage> {
  const run = requireImageRun();
  const chosen = article.seo?.shareImage ?? null;
  const photo = chosen ?? article.cover;
  let src: string;
  let alt: string;
  let format: 'jpeg' | 'png';
  if (photo) {
    const original = await loadSource(run, photo);
    const crop = await run.cache.fromGenerated(`share-crop:${CROP_VERSION}:${original.key}`, async () =>
      sharp(run.cache.file(original))
        .rotate()
        .resize(SHARE_WIDTH, SHARE_HEIGHT, { fit: 'cover', position: 'attention' })
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
    src = sourceUrl(run, crop);
    alt = (chosen ? chosen.alternativeText : article.coverAlt) ?? article.title;
    format = 'jpeg';
  } else {
    const inputs = { title: article.title, siteName: site.siteName };
    const key = createHash('sha256')
      .update(JSON.stringify({ design: CARD_DESIGN, ...inputs }))
      .digest('hex');
    src = sourceUrl(run, await run.cache.fromGenerated(key, () => drawShareCard(inputs, run.fonts)));
    alt = article.title;
    format = 'png';
  }
  const image = await getImage({ src, width: SHARE_WIDTH, height: SHARE_HEIGHT, format });
  return { url: new URL(image.src, siteUrl).href, width: SHARE_WIDTH, height: SHARE_HEIGHT, alt, type: `image/${format}` };
}
