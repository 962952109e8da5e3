import { settings } from '../src/settings';

export default () => {
  const { HOST, PORT, PUBLIC_URL, PUBLIC_DIR, APP_KEYS, TRUSTED_PROXY_HOPS } = settings();
  return {
    host: HOST,
    port: PORT,
    url: PUBLIC_URL ?? '',
    app: { keys: APP_KEYS },
    // Where local uploads live (PUBLIC_DIR/uploads). Each test CMS gets its own, so a restore into one (which
    // empties uploads/) never takes another's files away.
    dirs: { public: PUBLIC_DIR },
    // Behind TRUSTED_PROXY_HOPS reverse proxies, the client's address (ctx.request.ip: the form's rate limit,
    // the logs) is the one the outermost proxy appended to X-Forwarded-For; entries a client wrote itself come
    // before it and are ignored. With 0, X-Forwarded-For is not read at all.
    proxy: { koa: TRUSTED_PROXY_HOPS > 0, maxIpsCount: TRUSTED_PROXY_HOPS },
    // Strapi's own update notifier reaches for the network; these machines have none worth waiting for.
    cron: { enabled: false },
  };
};
