// The typographic share card (src/images/share-card.ts), drawn for real: satori with Inter's woff files and
// sharp, no system font involved. It must be a 1200×630 PNG, differ with the title, and carry ink where the
// title is (satori draws text as paths, so a missing font would leave the card blank, not fail).
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { interFonts } from '../../src/images/fonts.ts';
import { SHARE_HEIGHT, SHARE_WIDTH, drawShareCard } from '../../src/images/share-card.ts';

describe('the share card', () => {
  it('draws the title and the site name on a 1200×630 PNG', async () => {
    const fonts = interFonts();
    const card = await drawShareCard({ title: 'What’s the difference between sales and marketing?', siteName: 'Branding Agency' }, fonts);
    expect(await sharp(Buffer.from(card)).metadata()).toMatchObject({ format: 'png', width: SHARE_WIDTH, height: SHARE_HEIGHT });
    // The title's band has light pixels (the text) on the dark ground; an empty card would be one colour.
    const contrast = async (left: number, top: number, width: number, height: number) => {
      // stats() reads the input, not the extract: cut the region out first.
      const region = await sharp(Buffer.from(card)).extract({ left, top, width, height }).png().toBuffer();
      const { channels } = await sharp(region).stats();
      return channels[0]!.max - channels[0]!.min;
    };
    expect(await contrast(80, 200, 1040, 230)).toBeGreaterThan(150); // the title
    expect(await contrast(80, 500, 600, 70)).toBeGreaterThan(100); // the site's name, at the foot
    expect(await contrast(1125, 0, 75, 630)).toBe(0); // nothing runs into the right margin

    const other = await drawShareCard({ title: 'Another title', siteName: 'Branding Agency' }, fonts);
    expect(Buffer.from(other).equals(Buffer.from(card))).toBe(false);
  });
});
