// Comparing a presented secret with the configured one (src/server/secret.ts): used by the rebuild service's
// webhook and the CMS's preview token.
import { describe, expect, it } from 'vitest';
import { secretMatches } from '../src/server/index.ts';

describe('secretMatches', () => {
  const expected = 'preview-token-0123456789abcdef';

  it('matches the same secret only', () => {
    expect(secretMatches(expected, expected)).toBe(true);
    expect(secretMatches(`${expected} `, expected)).toBe(false);
    expect(secretMatches(expected.slice(0, -1), expected)).toBe(false);
    expect(secretMatches(expected.toUpperCase(), expected)).toBe(false);
    expect(secretMatches(`${expected}x`, expected)).toBe(false);
  });

  it('compares any lengths without throwing (both sides are hashed first)', () => {
    expect(secretMatches('x', expected)).toBe(false);
    expect(secretMatches('x'.repeat(10_000), expected)).toBe(false);
    expect(secretMatches('é', 'é')).toBe(true);
  });

  it('refuses a missing presented secret', () => {
    for (const given of ['', null, undefined]) expect(secretMatches(given, expected)).toBe(false);
  });

  it('lets nothing in when no secret is configured, not even an empty one', () => {
    for (const configured of ['', null, undefined]) {
      for (const given of ['', null, undefined, 'anything']) expect(secretMatches(given, configured)).toBe(false);
    }
  });
});
