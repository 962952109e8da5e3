// Generated pictures for the benchmarks, the audit and the image tests: real JPEGs (or PNGs) drawn by sharp,
// each different (a gradient and a disc placed by a seed, the seed in binary as white squares: the colours
// alone repeat every 360 seeds), so every upload has its own bytes and the image
// cache cannot reuse one for another. Photographic enough (gradients, edges) that the encoders do real work.
import sharp from 'sharp';
import type { CmsAdmin } from './cms-admin.ts';

/** A width × height picture, different for every seed. */
export async function testImage(seed: number, width = 1600, height = 1000, format: 'jpeg' | 'png' = 'jpeg'): Promise<Uint8Array> {
  const hue = (seed * 47) % 360;
  const cx = 20 + ((seed * 37) % 60);
  const cy = 20 + ((seed * 53) % 60);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,55%)"/><stop offset="1" stop-color="hsl(${(hue + 140) % 360},60%,25%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${cx}%" cy="${cy}%" r="${Math.round(Math.min(width, height) / 4)}" fill="hsl(${(hue + 60) % 360},80%,70%)" opacity="0.8"/>
    <rect x="8%" y="70%" width="50%" height="6%" fill="#fff" opacity="0.6"/>
    ${Array.from({ length: 14 }, (_, b) => ((seed >> b) & 1 ? `<rect x="${20 + b * 24}" y="20" width="16" height="16" fill="#fff"/>` : '')).join('')}
  </svg>`;
  const image = sharp(Buffer.from(svg));
  return new Uint8Array(await (format === 'png' ? image.png() : image.jpeg({ quality: 85 })).toBuffer());
}

/** The seeded article's slug (shared/src/seed/). */
const SEEDED_SLUG = 'sales-vs-marketing';

/**
 * Gives the seeded article a cover and an inline image in its first section, uploaded through the admin's
 * upload API (POST /upload) and published as an editor would: the article the budgets and Lighthouse are
 * measured on carries pictures, as a real one does.
 */
export async function illustrateSeededArticle(admin: CmsAdmin): Promise<void> {
  const cover = await admin.upload('seed-cover.jpg', await testImage(101, 1600, 1000), 'image/jpeg');
  const inline = await admin.upload('seed-inline.jpg', await testImage(102, 1200, 800), 'image/jpeg');
  const { documentId } = await admin.findArticle(SEEDED_SLUG);
  const form = await admin.articleForm(documentId);
  const body = form.body as Array<{ __component: string; body?: unknown[] }>;
  const section = body.find((block) => block.__component === 'article.section');
  if (!section?.body) throw new Error(`The seeded article "${SEEDED_SLUG}" has no section to put an image in.`);
  section.body.splice(1, 0, {
    type: 'image',
    image: { ...inline, alternativeText: 'A generated picture standing in for a photograph' },
    children: [{ type: 'text', text: '' }],
  });
  await admin.publish(documentId, { ...form, body, cover: cover.id, coverAlt: 'A generated picture standing in for a photograph' });
}
