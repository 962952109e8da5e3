// Which origins the CMS answers with CORS headers (src/http/cors.ts, used by config/middlewares.ts and
// config/plugins.ts), for REST and GraphQL alike. The origins come from the settings (src/settings.ts).
import { describe, expect, it } from 'vitest';
import { allowedOrigins, corsOriginMatcher, originList } from '../src/http/cors.ts';

const SITE_URL = 'http://127.0.0.1:4321';

describe('allowedOrigins', () => {
  it("is SITE_URL's origin when CORS_ORIGINS is not set", () => {
    expect(allowedOrigins({ CORS_ORIGINS: null, SITE_URL })).toEqual(['http://127.0.0.1:4321']);
    expect(allowedOrigins({ CORS_ORIGINS: null, SITE_URL: 'https://www.agency.example/blog' })).toEqual(['https://www.agency.example']);
  });

  it('prefers the CORS_ORIGINS list', () => {
    expect(allowedOrigins({ CORS_ORIGINS: ['https://a.example'], SITE_URL: 'https://ignored.example' })).toEqual(['https://a.example']);
  });
});

describe('originList (the CORS_ORIGINS setting)', () => {
  const setting = originList('test');

  it('is null when unset, and reads a comma-separated list as origins, once each', () => {
    expect(setting.parse(undefined)).toEqual({ value: null });
    expect(setting.parse('https://a.example/ , http://127.0.0.1:4321,https://a.example/path')).toEqual({
      value: ['https://a.example', 'http://127.0.0.1:4321'],
    });
  });

  it.each(['*', 'agency.example', 'ftp://agency.example', ' , '])('refuses %j, saying what it must be', (value) => {
    expect(setting.parse(value)).toEqual({ problem: 'must list http(s) URLs separated by commas, such as http://127.0.0.1:4321' });
  });

  it('refuses credentials in an origin', () => {
    expect(setting.parse('https://user:pass@a.example')).toEqual({ problem: 'must not contain credentials' });
  });
});

describe('corsOriginMatcher', () => {
  const match = corsOriginMatcher(['https://a.example']);
  const ctx = (origin: string) => ({ get: (header: string) => (header === 'Origin' ? origin : '') });

  it('echoes an allowed origin and answers "" (no CORS headers) for any other', () => {
    expect(match(ctx('https://a.example'))).toBe('https://a.example');
    for (const origin of ['', 'https://evil.example', 'https://a.example.evil.example', 'null', 'http://a.example'])
      expect(match(ctx(origin))).toBe('');
  });
});
