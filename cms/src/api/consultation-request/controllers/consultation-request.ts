// The two public routes that send a request: POST /api/consultation-requests (JSON, the site's form with JavaScript;
// routes/consultation-request.ts) and POST /api/consultation-requests/form (a plain HTML form; routes/form.ts).
// Both check the body with the same rules as the site's form (@agency/shared), drop a bot's post (honeypot) as if
// it were accepted, and store through the one path below; the answer never echoes what was stored.
import type { Core } from '@strapi/strapi';
import { factories } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID, consultationFromForm, honeypotFilled, validateConsultationRequest, type ConsultationRequest } from '@agency/shared';
import { formPage } from '../../../http/consultation-form-page';
import { settings } from '../../../settings';
import { FORM_SITE_STATE } from '../middlewares/form-origin';

/** The same answer for a stored request and a dropped bot submission, so a bot learns nothing. */
const RECEIVED = { data: { ok: true }, meta: {} };

/** The site's thank-you page (web/src/pages/consultation/thanks.astro), where a plain form post ends. */
const THANKS_PATH = 'consultation/thanks/';

/**
 * Stores a validated request through the Document Service. Only the validated fields are stored; the status is
 * always `new`, whatever the client sent. (The field is `requestStatus`: Strapi's admin reserves `status` for
 * draft/published.) An empty optional field is left out (stored as null).
 */
async function store(strapi: Core.Strapi, request: ConsultationRequest): Promise<void> {
  const { phone, preferredTime, message, ...required } = request;
  await strapi.documents(UID.consultationRequest).create({
    data: {
      ...required,
      phone: phone ?? undefined,
      preferredTime: preferredTime ?? undefined,
      message: message ?? undefined,
      requestStatus: 'new',
    },
  });
}

/** The thank-you page on the site the reader came from (under SITE_URL's path when it is that site). */
function thanksUrl(site: string): string {
  const configured = new URL(settings().SITE_URL);
  const base = configured.origin === site ? `${configured.href.replace(/\/+$/, '')}/` : `${site}/`;
  return new URL(THANKS_PATH, base).href;
}

export default factories.createCoreController(UID.consultationRequest, ({ strapi }) => ({
  async create(ctx) {
    const body = (ctx.request as { body?: unknown }).body;
    const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined;

    if (honeypotFilled(data)) {
      strapi.log.info('Consultation request dropped: the honeypot field was filled.');
      ctx.status = 201;
      ctx.body = RECEIVED;
      return;
    }

    const result = validateConsultationRequest(data);
    if (!result.success) {
      const details = Object.entries(result.errors).map(([field, message]) => ({
        path: field === 'form' ? [] : [field],
        message,
        name: 'ValidationError',
      }));
      const summary = details.length === 1 ? '1 field needs attention' : `${details.length} fields need attention`;
      throw new errors.ValidationError(`Please check the form: ${summary}.`, { errors: details });
    }

    await store(strapi, result.data);
    ctx.status = 201;
    ctx.body = RECEIVED;
  },

  /**
   * The plain HTML form (routes/form.ts; the origin check and the rate limit have run). Valid: stored, then 303 to
   * the site's thank-you page. Invalid: 422 with the form again, what to fix first, the reader's values kept.
   */
  async createFromForm(ctx) {
    const site = ctx.state[FORM_SITE_STATE] as { origin: string };
    const input = consultationFromForm((ctx.request as { body?: unknown }).body);
    if (honeypotFilled(input)) {
      strapi.log.info('Consultation request dropped: the honeypot field was filled (form post).');
      ctx.redirect(thanksUrl(site.origin));
      ctx.status = 303;
      return;
    }
    const result = validateConsultationRequest(input);
    if (!result.success) {
      ctx.status = 422;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = formPage({ site: site.origin, values: input, errors: result.errors });
      return;
    }
    await store(strapi, result.data);
    ctx.redirect(thanksUrl(site.origin));
    ctx.status = 303;
  },

  /** GET on the public API (routes/private.ts): requests are personal data, read only in the admin. */
  async refuseRead() {
    throw new errors.ForbiddenError('Consultation requests are private: editors read them in the Strapi admin.');
  },
}));
