// The one size format of messages people read (the CMS's upload limit, the build's image limit).
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../src/bytes.ts';

describe('formatBytes', () => {
  it('says a size in the largest unit it reaches, to one decimal', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(52_428_800)).toBe('50 MB');
    expect(formatBytes(52_428_801)).toBe('50 MB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5 GB');
  });
});
