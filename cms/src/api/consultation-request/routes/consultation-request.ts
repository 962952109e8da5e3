import { factories } from '@strapi/strapi';
import { UID } from '@agency/shared';

// The public may only send a request (POST /api/consultation-requests); reading them is for editors, in the
// admin. The rate limit runs before the controller, after the Public role's permission check.
export default factories.createCoreRouter(UID.consultationRequest, {
  only: ['create'],
  config: {
    // A middleware's name, not a content type's UID: Strapi names a middleware of an API
    // `api::<api folder>.<middleware file>` (middlewares/rate-limit.ts), so this stays spelled out.
    create: { middlewares: ['api::consultation-request.rate-limit'] },
  },
});
