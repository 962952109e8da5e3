// Generated articles' covers (scripts/generate-articles.mts --covers): every article its own, a generated JPEG
// (a gradient and a disc, different per article) put in the Media Library by the upload plugin, as POST /upload
// would (without Strapi's responsive formats and size optimisation, which the site never uses: the site encodes
// its own at build time).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '@strapi/strapi';

/** Uploads from now on go in as they are: no responsive formats, size optimisation or auto-orientation. */
export async function uploadAsIs(strapi: Core.Strapi): Promise<void> {
  await strapi
    .plugin('upload')
    .service('upload')
    .setSettings({ sizeOptimization: false, responsiveDimensions: false, autoOrientation: false });
}

/** i in binary as a row of white squares: the colours repeat every 360 articles, these never do. */
const bits = (i: number) =>
  Array.from({ length: 14 }, (_, b) => ((i >> b) & 1 ? `<rect x="${40 + b * 40}" y="40" width="28" height="28" fill="#fff"/>` : '')).join(
    '',
  );

/**
 * Article i's cover: a JPEG of its own, `width` pixels wide and 16:10 like the benchmarks' test images (1200×750
 * unless --cover-width says otherwise; the same picture as those images).
 */
async function coverJpeg(i: number, width: number): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const height = Math.round((width * 10) / 16);
  const hue = (i * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,55%)"/><stop offset="1" stop-color="hsl(${(hue + 140) % 360},60%,25%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${20 + ((i * 37) % 60)}%" cy="${20 + ((i * 53) % 60)}%" r="${Math.round(height / 4)}" fill="hsl(${(hue + 60) % 360},80%,70%)" opacity="0.8"/>
    <g transform="scale(${width / 1200})">${bits(i)}</g>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/**
 * Puts article i's cover, `width` pixels wide, in the Media Library (the upload plugin's own service), by way of
 * a file in `dir`; returns the file's id.
 */
export async function uploadCover(strapi: Core.Strapi, dir: string, i: number, width: number): Promise<number> {
  const file = path.join(dir, `cover-${i}.jpg`);
  const bytes = await coverJpeg(i, width);
  await writeFile(file, bytes);
  const [uploaded] = await strapi
    .plugin('upload')
    .service('upload')
    .upload({
      data: { fileInfo: { name: `cover-${i}.jpg`, alternativeText: `Cover of article ${i}` } },
      files: { filepath: file, originalFilename: `cover-${i}.jpg`, mimetype: 'image/jpeg', size: bytes.length },
    });
  return uploaded.id;
}
