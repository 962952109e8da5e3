// Per-client flood limit for POST /api/consultation-requests: CONSULTATION_RATE_LIMIT attempts (default 5) per
// CONSULTATION_RATE_WINDOW_MS (default 10 minutes) per address (src/http/rate-limit.ts). Every attempt counts
// (valid, invalid or bot). The address is the one the connection came from, or, with TRUSTED_PROXY_HOPS set
// (config/server.ts), the one the outermost trusted proxy saw in X-Forwarded-For: what a client writes there
// itself is ignored. On Postgres the counts are shared by every CMS process on the database.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { createRateLimiter, rateLimitKey } from '../../../http/rate-limit';
import { databaseClient, settings } from '../../../settings';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
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

  return async (ctx: { request: { ip: string }; set: (name: string, value: string) => void }, next: () => Promise<unknown>) => {
    const decision = await limiter.hit(rateLimitKey(ctx.request.ip));
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      ctx.set('Retry-After', String(seconds));
      const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
      throw new errors.RateLimitError(`Too many requests from your network. Please try again in ${wait}, or call us.`, {
        retryAfterSeconds: seconds,
      });
    }
    return next();
  };
};
