// POST /api/consultation-requests/form: the site's consultation form without JavaScript, a plain HTML form posting
// application/x-www-form-urlencoded (strapi::body parses it, config/middlewares.ts). Public like the JSON route
// (auth: false: there is no token or session to check), and guarded in this order: the post must come from the
// site (form-origin), then the shared rate limit, which answers with a page here; then the controller
// (controllers/consultation-request.ts, createFromForm): 303 to the site's thank-you page, or the form again.
export default {
  routes: [
    {
      method: 'POST',
      path: '/consultation-requests/form',
      handler: 'api::consultation-request.consultation-request.createFromForm',
      config: {
        auth: false,
        // Middlewares of this API are named `api::<api folder>.<middleware file>` (see consultation-request.ts).
        middlewares: ['api::consultation-request.form-origin', { name: 'api::consultation-request.rate-limit', config: { page: true } }],
      },
    },
  ],
};
