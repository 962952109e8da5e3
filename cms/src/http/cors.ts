// Which web origins may call the CMS from a browser: the site's (SITE_URL), or the list in CORS_ORIGINS.
// Used by strapi::cors (config/middlewares.ts) and by the GraphQL plugin's own CORS (config/plugins.ts),
// which otherwise answers every origin. The admin panel is served by Strapi itself (same origin): unaffected.
import type { Setting } from '@agency/shared/server';

export const DEFAULT_SITE_URL = 'http://127.0.0.1:4321';

/** A setting kind: a comma-separated list of http(s) URLs, read as origins (`scheme://host[:port]`, no path); null when unset. */
export function originList(description: string): Setting<string[] | null> {
  const need = `must list http(s) URLs separated by commas, such as ${DEFAULT_SITE_URL}`;
  return {
    description,
    default: 'the origin of SITE_URL',
    parse: (raw) => {
      if (raw === undefined) return { value: null };
      const origins: string[] = [];
      for (const item of raw
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean)) {
        let url: URL;
        try {
          url = new URL(item);
        } catch {
          return { problem: need };
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: need };
        if (url.username || url.password) return { problem: 'must not contain credentials' };
        origins.push(url.origin);
      }
      return origins.length > 0 ? { value: [...new Set(origins)] } : { problem: need };
    },
  };
}

/** CORS_ORIGINS when set, otherwise SITE_URL's origin. */
export function allowedOrigins(settings: { CORS_ORIGINS: string[] | null; SITE_URL: string }): string[] {
  return settings.CORS_ORIGINS ?? [new URL(settings.SITE_URL).origin];
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
