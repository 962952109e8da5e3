// Per-IP flood limit for POST /api/consultation-requests: CONSULTATION_RATE_LIMIT attempts (default 5) per
// CONSULTATION_RATE_WINDOW_MS (default 10 minutes), sliding (src/settings.ts). Every attempt counts (valid,
// invalid or bot). The key is ctx.request.ip: behind a reverse proxy, turn on Strapi's `proxy` setting
// (server.proxy.koa) so it is the reader's address (X-Forwarded-For), not the proxy's; otherwise all readers
// share one budget.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { SlidingWindowLimiter } from '../../../http/rate-limit';
import { settings } from '../../../settings';

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const { CONSULTATION_RATE_LIMIT: limit, CONSULTATION_RATE_WINDOW_MS: windowMs } = settings();
  const limiter = new SlidingWindowLimiter(limit, windowMs);
  strapi.log.info(`Consultation requests: at most ${limit} per ${Math.round(windowMs / 1000)} s per IP address.`);

  return async (ctx: { request: { ip: string }; set: (name: string, value: string) => void }, next: () => Promise<unknown>) => {
    const decision = limiter.hit(ctx.request.ip || 'unknown');
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
