import type { Core } from '@strapi/strapi';
import { requireSecrets } from '../src/env-check';

export default ({ env }: Core.Config.Shared.ConfigParams) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  app: {
    keys: requireSecrets(env, 'APP_KEYS', { list: true }),
  },
  // Strapi's own update notifier reaches for the network; these machines have none worth waiting for.
  cron: { enabled: false },
});
