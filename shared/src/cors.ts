// Server-side, for the CMS (here so the unit tests can reach it). Which web origins may call the CMS from a browser: the site's (SITE_URL), or the list in CORS_ORIGINS.
// Used by strapi::cors (config/middlewares.ts) and by the GraphQL plugin's own CORS (config/plugins.ts),
// which otherwise answers every origin. The admin panel is served by Strapi itself (same origin): unaffected.

export const DEFAULT_SITE_URL = 'http://127.0.0.1:4321';

/** `CORS_ORIGINS` (comma-separated) or else `SITE_URL`, as origins (`scheme://host[:port]`, no path). */
export function allowedOrigins(env: Record<string, string | undefined> = process.env): string[] {
  const fromList = env.CORS_ORIGINS?.trim();
  const source = fromList ? 'CORS_ORIGINS' : 'SITE_URL';
  const raw = fromList ? fromList.split(',') : [env.SITE_URL?.trim() || DEFAULT_SITE_URL];
  const origins = raw
    .map((value) => value.trim())
    .filter(Boolean)
    .map((value) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        throw new Error(`${source} must list http(s) URLs such as ${DEFAULT_SITE_URL}, but it contains "${value}".`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new Error(`${source} must list http(s) URLs such as ${DEFAULT_SITE_URL}, but it contains "${value}".`);
      }
      return url.origin;
    });
  if (origins.length === 0) throw new Error(`${source} is set but lists no origin.`);
  return [...new Set(origins)];
}

/**
 * An `origin` option for @koa/cors: echoes the request's Origin when it is allowed; '' otherwise, which
 * makes @koa/cors add no CORS headers at all (the browser then refuses to hand the answer to the page).
 */
export function corsOriginMatcher(origins: readonly string[]): (ctx: { get: (header: string) => string }) => string {
  const allowed = new Set(origins);
  return (ctx) => {
    const origin = ctx.get('Origin');
    return origin && allowed.has(origin) ? origin : '';
  };
}
