import { allowedOrigins } from '../src/http/cors';
import { settings } from '../src/settings';

export default () => [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  // Browsers may call the API only from the site (CORS_ORIGINS, default SITE_URL): the consultation form
  // posts from there. The admin panel is same-origin and needs no CORS. GraphQL has its own CORS handler,
  // configured with the same origins in config/plugins.ts.
  {
    name: 'strapi::cors',
    config: {
      origin: allowedOrigins(settings()),
      // The form reads Retry-After from a 429.
      expose: ['Retry-After'],
    },
  },
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
