import { factories } from '@strapi/strapi';

// The public may only send a request (POST /api/consultation-requests); reading them is for editors, in the
// admin. The rate limit runs before the controller, after the Public role's permission check.
export default factories.createCoreRouter('api::consultation-request.consultation-request', {
  only: ['create'],
  config: {
    create: { middlewares: ['api::consultation-request.rate-limit'] },
  },
});
