import type { Core } from '@strapi/strapi';
import { requireSecrets } from '../src/env-check';
import { previewSettings, previewUrl } from '../src/preview-url';

export default ({ env }: Core.Config.Shared.ConfigParams) => {
  const preview = previewSettings();
  return {
    auth: {
      secret: requireSecrets(env, 'ADMIN_JWT_SECRET'),
    },
    apiToken: {
      salt: requireSecrets(env, 'API_TOKEN_SALT'),
    },
    transfer: {
      token: {
        salt: requireSecrets(env, 'TRANSFER_TOKEN_SALT'),
      },
    },
    secrets: {
      encryptionKey: requireSecrets(env, 'ENCRYPTION_KEY'),
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
