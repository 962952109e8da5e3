// Per-client flood limit for POST /api/consultation-requests (JSON) and POST /api/consultation-requests/form (the
// plain HTML form): CONSULTATION_RATE_LIMIT attempts (default 5) per CONSULTATION_RATE_WINDOW_MS (default 10
// minutes) per address (src/http/rate-limit.ts), one budget for both routes. Every attempt counts (valid, invalid
// or bot). The address is the one the connection came from, or, with TRUSTED_PROXY_HOPS set (config/server.ts),
// the one the outermost trusted proxy saw in X-Forwarded-For: what a client writes there itself is ignored. On
// Postgres the counts are shared by every CMS process on the database. With `{ page: true }` (the form route) a
// refusal is the form again as an HTML page, the reader's values kept, instead of a JSON error.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { consultationFromForm } from '@agency/shared';
import { formPage } from '../../../http/consultation-form-page';
import { createRateLimiter, rateLimitKey, type RateLimiter } from '../../../http/rate-limit';
import { databaseClient, settings } from '../../../settings';
import { FORM_SITE_STATE } from './form-origin';

/** One limiter per Strapi instance: Strapi builds a route middleware once per route, and both routes share the budget. */
const limiters = new WeakMap<Core.Strapi, RateLimiter>();

function limiterFor(strapi: Core.Strapi): RateLimiter {
  const existing = limiters.get(strapi);
  if (existing) return existing;
  const s = settings();
  const { CONSULTATION_RATE_LIMIT: limit, CONSULTATION_RATE_WINDOW_MS: windowMs } = s;
  const limiter = createRateLimiter(
    limit,
    windowMs,
    databaseClient(s) === 'postgres' ? { kind: 'postgres', knex: strapi.db.connection, schema: s.DATABASE_SCHEMA } : { kind: 'memory' },
  );
  limiter.ready.catch((error: unknown) =>
    strapi.log.error(`Consultation requests: the rate limit's table could not be created: ${String(error)}`),
  );
  strapi.log.info(
    `Consultation requests: at most ${limit} per ${Math.round(windowMs / 1000)} s per client address (counted in ${limiter.store}).`,
  );
  limiters.set(strapi, limiter);
  return limiter;
}

type Ctx = {
  request: { ip: string; body?: unknown };
  state: Record<string, unknown>;
  status: number;
  type: string;
  body: unknown;
  set: (name: string, value: string) => void;
};

export default (config: { page?: boolean } | undefined, { strapi }: { strapi: Core.Strapi }) => {
  const limiter = limiterFor(strapi);
  const page = config?.page === true;

  return async (ctx: Ctx, next: () => Promise<unknown>) => {
    const decision = await limiter.hit(rateLimitKey(ctx.request.ip));
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      ctx.set('Retry-After', String(seconds));
      const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
      if (page) {
        const site = ctx.state[FORM_SITE_STATE] as { origin: string; policy: string };
        ctx.status = 429;
        ctx.type = 'text/html; charset=utf-8';
        ctx.set('Content-Security-Policy', site.policy);
        ctx.body = formPage({
          site: site.origin,
          values: consultationFromForm(ctx.request.body),
          notice: {
            title: 'You have sent several requests in a short time.',
            text: `Please try again in ${wait}: your answers are kept below. Nothing was stored this time.`,
          },
        });
        return;
      }
      throw new errors.RateLimitError(`Too many requests from your network. Please try again in ${wait}, or call us.`, {
        retryAfterSeconds: seconds,
      });
    }
    return next();
  };
};
