// The typographic share card: the article's title and the site's name on the agency's dark ground, 1200×630,
// for articles with neither a share image nor a cover. satori lays the text out and draws it as SVG paths
// with Inter (the woff files the integration found, src/integrations/images.ts), so the card looks the same
// on any machine, fonts installed or not (the Docker image has none); sharp turns the SVG into a PNG.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

export const SHARE_WIDTH = 1200;
export const SHARE_HEIGHT = 630;

export type CardFonts = { regular: string; bold: string };
export type CardInputs = { title: string; siteName: string };

/** Bump when the design changes, so cached cards are drawn again. */
export const CARD_DESIGN = 2;

let fontData: Promise<[Buffer, Buffer]> | null = null;

/** The card as PNG bytes. */
export async function drawShareCard({ title, siteName }: CardInputs, fonts: CardFonts): Promise<Uint8Array> {
  fontData ??= Promise.all([readFile(fonts.regular), readFile(fonts.bold)]);
  const [regular, bold] = await fontData;
  const titleSize = title.length > 80 ? 56 : title.length > 45 ? 68 : 80;
  // Loaded only when a card is drawn: most builds find every card in the image store, and satori with its
  // layout engine and font parser is a large module graph for Node to load before the first page renders.
  const { default: satori } = await import('satori');
  const svg = await satori(
    {
      type: 'div',
      key: 'card',
      props: {
        style: { width: '100%', height: '100%', display: 'flex', background: '#1b1b1f', color: '#f6f4ef', fontFamily: 'Inter' },
        children: {
          type: 'div',
          key: 'frame',
          props: {
            // A margin inside a growing box: the text column is the card less its margins (a padding would be
            // added to the card's width).
            style: { display: 'flex', flexDirection: 'column', justifyContent: 'space-between', flexGrow: 1, margin: '72px 80px' },
            children: [
              { type: 'div', key: 'bar', props: { style: { width: 96, height: 8, background: '#ff8f6b' } } },
              {
                type: 'div',
                key: 'title',
                props: {
                  style: { display: 'flex', fontSize: titleSize, fontWeight: 700, lineHeight: 1.1, letterSpacing: '-0.02em' },
                  children: title,
                },
              },
              {
                type: 'div',
                key: 'site',
                props: { style: { display: 'flex', fontSize: 32, fontWeight: 400, color: '#c9c5bc' }, children: siteName },
              },
            ],
          },
        },
      },
    },
    {
      width: SHARE_WIDTH,
      height: SHARE_HEIGHT,
      fonts: [
        { name: 'Inter', data: regular, weight: 400, style: 'normal' },
        { name: 'Inter', data: bold, weight: 700, style: 'normal' },
      ],
    },
  );
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
}
