// POST /api/consultation-requests, the only public route (routes/consultation-request.ts). The body is checked
// with the same schema as the site's form (@agency/shared); the answer never echoes what was stored.
import { factories } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID, honeypotFilled, validateConsultationRequest } from '@agency/shared';

/** The same answer for a stored request and a dropped bot submission, so a bot learns nothing. */
const RECEIVED = { data: { ok: true }, meta: {} };

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

    // Only the validated fields are stored; the status is always `new`, whatever the client sent. (The field is
    // `requestStatus`: Strapi's admin reserves `status` for draft/published.) An empty optional field is left
    // out (stored as null).
    const { phone, preferredTime, message, ...required } = result.data;
    await strapi.documents(UID.consultationRequest).create({
      data: {
        ...required,
        phone: phone ?? undefined,
        preferredTime: preferredTime ?? undefined,
        message: message ?? undefined,
        requestStatus: 'new',
      },
    });
    ctx.status = 201;
    ctx.body = RECEIVED;
  },

  /** GET on the public API (routes/private.ts): requests are personal data, read only in the admin. */
  async refuseRead() {
    throw new errors.ForbiddenError('Consultation requests are private: editors read them in the Strapi admin.');
  },
}));
