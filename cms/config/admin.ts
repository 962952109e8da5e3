import { previewUrl } from '../src/preview-url';
import { settings } from '../src/settings';

export default () => {
  const s = settings();
  const preview =
    s.PREVIEW_URL && s.PREVIEW_SECRET ? { url: s.PREVIEW_URL, secret: s.PREVIEW_SECRET, ttlSeconds: s.PREVIEW_LINK_TTL_SECONDS } : null;
  return {
    auth: {
      secret: s.ADMIN_JWT_SECRET,
    },
    apiToken: {
      salt: s.API_TOKEN_SALT,
    },
    transfer: {
      token: {
        salt: s.TRANSFER_TOKEN_SALT,
      },
    },
    secrets: {
      encryptionKey: s.ENCRYPTION_KEY,
    },
    flags: {
      nps: false,
      promoteEE: false,
    },
    // Telemetry would try to reach the network on every boot.
    telemetryDisabled: true,
    // The admin's Preview button opens the site's preview server (web/src/preview) beside the form.
    preview: {
      enabled: preview !== null,
      config: {
        allowedOrigins: preview ? [preview.url] : [],
        handler: (uid: string, params: { documentId?: string; status?: string | null }) =>
          preview ? previewUrl(strapi, preview, uid, params) : null,
      },
    },
  };
};
