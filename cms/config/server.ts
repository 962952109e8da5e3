import { settings } from '../src/settings';

export default () => {
  const { HOST, PORT, PUBLIC_URL, APP_KEYS } = settings();
  return {
    host: HOST,
    port: PORT,
    url: PUBLIC_URL ?? '',
    app: { keys: APP_KEYS },
    // Strapi's own update notifier reaches for the network; these machines have none worth waiting for.
    cron: { enabled: false },
  };
};
