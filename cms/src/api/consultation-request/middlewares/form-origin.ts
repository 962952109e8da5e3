// First on POST /api/consultation-requests/form (routes/form.ts): refuses a post that did not come from the site
// (src/http/form-origin.ts: Origin, or Referer without one, against CORS_ORIGINS / SITE_URL and the CMS's own
// origin) with a 403 page, before it counts against the rate limit or reaches the controller. For an accepted post
// it records which site the reader came from (the thank-you page is there) and the policy of the pages answered.
import type { Core } from '@strapi/strapi';
import { SITE_FIELD, formPagePolicy, refusedPage } from '../../../http/consultation-form-page';
import { allowedOrigins } from '../../../http/cors';
import { checkFormOrigin } from '../../../http/form-origin';
import { settings } from '../../../settings';

/** Where this middleware leaves `{ origin, policy }` in ctx.state for the rate limit and the controller. */
export const FORM_SITE_STATE = 'consultationFormSite';

type Ctx = {
  get: (header: string) => string;
  set: (name: string, value: string) => void;
  request: { origin: string; body?: unknown };
  state: Record<string, unknown>;
  status: number;
  type: string;
  body: unknown;
};

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const s = settings();
  const sites = allowedOrigins(s);
  const policy = formPagePolicy(sites);

  return async (ctx: Ctx, next: () => Promise<unknown>) => {
    const own = [ctx.request.origin, ...(s.PUBLIC_URL ? [new URL(s.PUBLIC_URL).origin] : [])];
    const from = checkFormOrigin({ origin: ctx.get('origin') || undefined, referer: ctx.get('referer') || undefined }, sites, own);
    ctx.set('Content-Security-Policy', policy);
    // Strapi's default is no-referrer, under which a browser posts the page's form with `Origin: null` and no
    // Referer: the re-post from the error page could not prove where it came from.
    ctx.set('Referrer-Policy', 'same-origin');
    if (!from.allowed) {
      strapi.log.warn(`Consultation form post refused: ${from.reason}.`);
      ctx.status = 403;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = refusedPage(sites[0]!);
      return;
    }
    // A re-post from the CMS's own error page names the site it started on; only a site origin is believed.
    const named = (ctx.request.body as Record<string, unknown> | undefined)?.[SITE_FIELD];
    const site = !from.own ? from.origin : typeof named === 'string' && sites.includes(named) ? named : sites[0]!;
    ctx.state[FORM_SITE_STATE] = { origin: site, policy };
    return next();
  };
};
