// Reading figures (src/seo/reading-time.ts) and dates as the site shows them (src/lib/dates.ts).
import { seed } from '@agency/shared';
import { describe, expect, it } from 'vitest';
import { formatDate, latestDate } from '../../src/lib/dates.ts';
import { readingMinutes, wordCount } from '../../src/seo/reading-time.ts';

describe('reading time', () => {
  it('counts the intro and every block at about 230 words a minute', () => {
    expect(readingMinutes(seed.salesVsMarketing)).toBe(2);
    expect(readingMinutes({ intro: 'short', body: [] })).toBe(1);
  });

  it('counts headings, labels and body text', () => {
    const body = [
      {
        kind: 'section' as const,
        heading: 'Two words',
        body: [{ type: 'paragraph' as const, children: [{ type: 'text' as const, text: 'and three more' }] }],
      },
    ];
    expect(wordCount({ intro: 'One', body })).toBe(6);
  });
});

describe('dates', () => {
  it('are shown as day, month and year in UTC', () => {
    expect(formatDate('2025-03-12T23:30:00.000Z')).toBe('12 March 2025');
  });

  it('pick the latest of several, or none', () => {
    expect(latestDate(['2025-01-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z', '2024-12-31T00:00:00.000Z'])).toBe(
      '2025-03-01T00:00:00.000Z',
    );
    expect(latestDate([])).toBeNull();
  });
});
