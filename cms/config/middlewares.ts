import { allowedOrigins } from '../src/http/cors';
import { settings } from '../src/settings';
import { uploadsSecurity } from '../src/uploads/upload-csp';

export default () => [
  'strapi::logger',
  'strapi::errors',
  // Strapi's CSP; with uploads in a bucket, the admin may also load images and media from the bucket's origin.
  uploadsSecurity(settings()),
  // Browsers may call the API only from the site (CORS_ORIGINS, default SITE_URL): the consultation form
  // posts from there. The admin panel is same-origin and needs no CORS. GraphQL has its own CORS handler,
  // configured with the same origins in config/plugins.ts.
  {
    name: 'strapi::cors',
    config: {
      origin: allowedOrigins(settings()),
      // The form reads Retry-After from a 429.
      expose: ['Retry-After'],
      // Strapi's default is true; nothing a browser sends to the API needs cookies or HTTP auth.
      credentials: false,
    },
  },
  'strapi::poweredBy',
  'strapi::query',
  // Small bodies only on the content API, multipart only on the admin's upload routes, an upload's body read only
  // for an admin and at most UPLOAD_MAX_BYTES, upload temp files always removed (src/middlewares/body-limits.ts);
  // then Strapi's parser, with its limits spelled out (formidable's own would be 200 MB).
  'global::body-limits',
  {
    name: 'strapi::body',
    config: {
      jsonLimit: '1mb',
      formLimit: '100kb',
      textLimit: '100kb',
      multipart: true,
      formidable: { maxFileSize: settings().UPLOAD_MAX_BYTES },
    },
  },
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
