import type { Core } from '@strapi/strapi';
import { requireSecrets } from '../src/env-check';

export default ({ env }: Core.Config.Shared.ConfigParams) => ({
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
});
