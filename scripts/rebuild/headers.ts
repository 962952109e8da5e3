// The response headers of the static site: one definition for our static server (static-server.ts, so
// `npm start` and serve-site) and, written out by hand, for Caddy in production (web/caddy/Caddyfile).
// tests/integration/caddy.test.ts fetches the same URLs through both and compares these headers.
// The script and style hashes live in each page's <meta http-equiv="Content-Security-Policy"> (Astro's
// security.csp, web/astro.config.mjs); this header adds what a <meta> policy cannot carry. form-action is in
// the <meta> policy too ('self' and the CMS's public origin, where the consultation form posts without
// JavaScript): a header cannot name the CMS, and a 'self' here would block that post whatever the <meta> says.

/** Sent with every response of the site. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

/** Astro's fingerprinted build output: a changed file gets a new name, so it may be cached for good. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (pages, feeds, favicon): cacheable, but checked with the server before each use. */
export const REVALIDATE = 'no-cache';

/** The Cache-Control for a site path. */
export function cacheControl(pathname: string): string {
  return pathname.startsWith('/_astro/') ? IMMUTABLE : REVALIDATE;
}

/** The precompressed variants a build writes beside a file (web/src/integrations/precompress.ts), best first. */
export const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** The headers compared between Caddy and our server. */
export const COMPARED_HEADERS = [...Object.keys(SECURITY_HEADERS), 'cache-control', 'content-type', 'content-encoding', 'vary'];
