// `npm run serve-site`: the static site on its own, serving the live build in SITE_DIR (SITE_DIR/current,
// switched atomically by the rebuild service in local mode). Until the first build is live it answers 503.
// Reads the process environment only (not .env): its variables are serveSiteSettings (./settings.ts).
// SIGINT/SIGTERM close the server and exit 0; a bad setting prints what to fix and exits 1.
import path from 'node:path';
import { explain } from '../common/errors.ts';
import { closeServer, listen } from '../common/http.ts';
import { serveSiteSettings } from './settings.ts';
import { SiteStore } from './site-store.ts';
import { createStaticServer } from './static-server.ts';

let server: ReturnType<typeof createStaticServer> | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (server) await closeServer(server);
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  const settings = serveSiteSettings.read();
  const store = new SiteStore(settings.SITE_DIR);
  server = createStaticServer(() => store.liveDir());
  const host = settings.SITE_HOST;
  await listen(server, settings.SITE_PORT, host, { port: 'SITE_PORT', host: 'SITE_HOST' });
  const live = store.liveDir();
  console.log(
    `[site] serving ${store.current} on http://${host.includes(':') ? `[${host}]` : host}:${settings.SITE_PORT}/ ${live ? `(live build: ${path.basename(live)})` : '(no build live yet: 503 until the first build)'}`,
  );
} catch (error) {
  console.error(`[site] ${explain(error)}`);
  await shutdown(1);
}
