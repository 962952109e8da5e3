// Which origins the CMS answers with CORS headers (shared/src/cors.ts, used by cms/config), for REST and GraphQL alike.
import { describe, expect, it } from 'vitest';
import { allowedOrigins, corsOriginMatcher } from '../src/index.ts';

describe('allowedOrigins', () => {
  it('defaults to SITE_URL, then to the local site', () => {
    expect(allowedOrigins({})).toEqual(['http://127.0.0.1:4321']);
    expect(allowedOrigins({ SITE_URL: 'https://www.agency.example/blog/' })).toEqual(['https://www.agency.example']);
  });

  it('prefers the CORS_ORIGINS list, normalised to origins', () => {
    expect(allowedOrigins({ SITE_URL: 'https://ignored.example', CORS_ORIGINS: ' https://a.example/ , http://127.0.0.1:4321,https://a.example' })).toEqual([
      'https://a.example',
      'http://127.0.0.1:4321',
    ]);
  });

  it.each(['*', 'agency.example', 'ftp://agency.example', ' , '])('refuses CORS_ORIGINS=%j', (value) => {
    expect(() => allowedOrigins({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS/);
  });
});

describe('corsOriginMatcher', () => {
  const match = corsOriginMatcher(['https://a.example']);
  const ctx = (origin: string) => ({ get: (header: string) => (header === 'Origin' ? origin : '') });

  it('echoes an allowed origin and answers "" (no CORS headers) for any other', () => {
    expect(match(ctx('https://a.example'))).toBe('https://a.example');
    for (const origin of ['', 'https://evil.example', 'https://a.example.evil.example', 'null', 'http://a.example']) expect(match(ctx(origin))).toBe('');
  });
});
