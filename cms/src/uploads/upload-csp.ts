// The admin panel shows uploaded images (Media Library thumbnails, image fields) from wherever they are stored.
// Local uploads are same-origin, which Strapi's CSP allows; files in a bucket come from another origin, which its
// img-src and media-src must name, or every thumbnail is blocked. Strapi fills in its security defaults
// index by index (lodash defaultsDeep), so each list here starts with Strapi's own entries, then adds the bucket.
import { CSP_DEFAULTS } from '@strapi/utils';
import { uploadOrigin } from './upload-provider';

/** The `strapi::security` entry of config/middlewares.ts: Strapi's defaults, plus the bucket's origin when there is one. */
export function uploadsSecurity(s: Parameters<typeof uploadOrigin>[0]) {
  const origin = uploadOrigin(s);
  if (origin === null) return 'strapi::security';
  return {
    name: 'strapi::security',
    config: {
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'img-src': [...CSP_DEFAULTS['img-src'], origin],
          'media-src': [...CSP_DEFAULTS['media-src'], origin],
        },
      },
    },
  };
}
