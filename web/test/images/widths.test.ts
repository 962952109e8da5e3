// The widths a <picture> offers: never wider than the original (astro:assets would refuse to enlarge, and a
// reader would download pixels that are not there), always including the largest the layout can use.
import { describe, expect, it } from 'vitest';
import { candidateWidths } from '../../src/images/widths.ts';

describe('candidateWidths', () => {
  it('offers every requested width for a large original', () => {
    expect(candidateWidths([400, 800, 1200, 1600], 3000)).toEqual([400, 800, 1200, 1600]);
  });

  it('stops at the original width, which it offers itself', () => {
    expect(candidateWidths([400, 800, 1200, 1600], 1000)).toEqual([400, 800, 1000]);
    expect(candidateWidths([400, 800, 1200, 1600], 800)).toEqual([400, 800]);
  });

  it('offers only the original when it is narrower than every width', () => {
    expect(candidateWidths([400, 800], 120)).toEqual([120]);
  });

  it('sorts and removes repeats', () => {
    expect(candidateWidths([800, 400, 800], 2000)).toEqual([400, 800]);
  });
});
