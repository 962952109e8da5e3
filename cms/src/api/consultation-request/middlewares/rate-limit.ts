// Flood limits for POST /api/consultation-requests (JSON) and POST /api/consultation-requests/form (the plain HTML
// form), one set of budgets for both routes, each over CONSULTATION_RATE_WINDOW_MS (default 10 minutes):
// - per client address, CONSULTATION_RATE_LIMIT attempts (default 5; IPv6 by /64, src/http/rate-limit.ts), and
//   per IPv6 /48, CONSULTATION_RATE_LIMIT_NETWORK (default 20): whoever holds a /48 has 65,536 /64s, and would
//   otherwise have as many budgets. Every attempt counts (valid, invalid or bot).
// - per recipient: CONSULTATION_RATE_LIMIT_EMAIL valid requests (default 5) naming the same mailbox
//   (src/leads/recipient.ts), from any address, so nobody makes the agency mail one person from many networks.
//   Only a submission that would be stored counts (valid, not a bot), and only once the client's own budgets
//   allowed it: a reader's typos do not use up their address, and a flood over its own budget cannot use it up.
// The client address is the one the connection came from, or, with TRUSTED_PROXY_HOPS set (config/server.ts),
// the one the outermost trusted proxy saw in X-Forwarded-For: what a client writes there itself is ignored. On
// Postgres the counts are shared by every CMS process on the database. With `{ page: true }` (the form route) a
// refusal is the form again as an HTML page, the reader's values kept, instead of a JSON error.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { consultationFromForm, honeypotFilled, validateConsultationRequest } from '@agency/shared';
import { formPage } from '../../../http/consultation-form-page';
import { createRateLimiter, networkKey, rateLimitKey, type RateLimiter } from '../../../http/rate-limit';
import { hashedRecipientKey } from '../../../leads/recipient';
import { databaseClient, settings } from '../../../settings';
import { FORM_SITE_STATE } from './form-origin';

type Limiters = { client: RateLimiter; network: RateLimiter; recipient: RateLimiter };

/** One set per Strapi instance: Strapi builds a route middleware once per route, and both routes share the budgets. */
const limiters = new WeakMap<Core.Strapi, Limiters>();

function limitersFor(strapi: Core.Strapi): Limiters {
  const existing = limiters.get(strapi);
  if (existing) return existing;
  const s = settings();
  const windowMs = s.CONSULTATION_RATE_WINDOW_MS;
  const store =
    databaseClient(s) === 'postgres'
      ? ({ kind: 'postgres', knex: strapi.db.connection, schema: s.DATABASE_SCHEMA } as const)
      : ({ kind: 'memory' } as const);
  // One table; the first limiter creates it, the others wait for that. The client's prefix is the one it always had.
  const client = createRateLimiter(s.CONSULTATION_RATE_LIMIT, windowMs, store);
  const set: Limiters = {
    client,
    network: createRateLimiter(s.CONSULTATION_RATE_LIMIT_NETWORK, windowMs, store, { keyPrefix: 'consultation-48', after: client }),
    recipient: createRateLimiter(s.CONSULTATION_RATE_LIMIT_EMAIL, windowMs, store, { keyPrefix: 'consultation-to', after: client }),
  };
  client.ready.catch((error: unknown) =>
    strapi.log.error(`Consultation requests: the rate limit's table could not be created: ${String(error)}`),
  );
  // The other two wait for the client's table, so they fail with it: logged once, above. Unhandled, their
  // rejection would end the process (a request still meets it, in `hit`).
  for (const limiter of [set.network, set.recipient]) limiter.ready.catch(() => undefined);
  strapi.log.info(
    `Consultation requests: at most ${s.CONSULTATION_RATE_LIMIT} per client address, ${s.CONSULTATION_RATE_LIMIT_NETWORK} per IPv6 /48 and ${s.CONSULTATION_RATE_LIMIT_EMAIL} per recipient per ${Math.round(windowMs / 1000)} s (counted in ${client.store}).`,
  );
  limiters.set(strapi, set);
  return set;
}

/**
 * Waits until the limiters' Postgres table is made (or could not be), for Strapi's `destroy`: the limiters are
 * built as Strapi loads and make their table in the background, so a shutdown soon after a load (`npm run seed`
 * takes a second or two) could close the database under that query, and its aborted promise, which nothing
 * awaits, ended the process with code 1 after a seed that had worked.
 */
export async function settleRateLimiters(strapi: Core.Strapi): Promise<void> {
  const set = limiters.get(strapi);
  if (set) await Promise.allSettled([set.client.ready, set.network.ready, set.recipient.ready]);
}

/** The address a submission would mail, when it would be stored (valid, not a bot); null otherwise. */
function recipientOf(body: unknown, page: boolean): string | null {
  const data = page ? consultationFromForm(body) : body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;
  if (honeypotFilled(data)) return null;
  const result = validateConsultationRequest(data);
  return result.success ? result.data.email : null;
}

type Refusal = { retryAfterMs: number; reason: 'client' | 'recipient' };

/** Counts one attempt against each budget it falls under; the refusal (with the longest wait), or null. */
async function count(set: Limiters, ip: string, recipient: string | null): Promise<Refusal | null> {
  const network = networkKey(ip);
  const decisions = await Promise.all([set.client.hit(rateLimitKey(ip)), network ? set.network.hit(network) : null]);
  const waits = decisions.flatMap((decision) => (decision && !decision.allowed ? [decision.retryAfterMs] : []));
  if (waits.length > 0) return { retryAfterMs: Math.max(...waits), reason: 'client' };
  if (recipient === null) return null;
  const decision = await set.recipient.hit(hashedRecipientKey(recipient));
  return decision.allowed ? null : { retryAfterMs: decision.retryAfterMs, reason: 'recipient' };
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
  const set = limitersFor(strapi);
  const page = config?.page === true;

  return async (ctx: Ctx, next: () => Promise<unknown>) => {
    const refusal = await count(set, ctx.request.ip, recipientOf(ctx.request.body, page));
    if (refusal) {
      const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
      const byRecipient = refusal.reason === 'recipient';
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
            title: byRecipient
              ? 'Several requests for this e-mail address arrived in a short time.'
              : 'You have sent several requests in a short time.',
            text: `Please try again in ${wait}: your answers are kept below. Nothing was stored this time.`,
          },
        });
        return;
      }
      const from = byRecipient ? 'for this e-mail address' : 'from your network';
      throw new errors.RateLimitError(`Too many requests ${from}. Please try again in ${wait}, or call us.`, {
        retryAfterSeconds: seconds,
      });
    }
    return next();
  };
};
