// `npm run serve-site`: the static site on its own, serving the live build in SITE_DIR (SITE_DIR/current,
// switched atomically by the rebuild service in local mode). Until the first build is live it answers 503.
// Reads the process environment only (not .env). SIGINT/SIGTERM close the server and exit 0.
import path from 'node:path';
import { ConfigError, port } from './lib/config.ts';
import { siteDir } from './lib/paths.ts';
import { SiteStore } from './lib/site-store.ts';
import { closeServer, createStaticServer, listen } from './lib/static-server.ts';

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
  const env = process.env;
  const host = env.SITE_HOST?.trim() || '127.0.0.1';
  const sitePort = port(env, 'SITE_PORT', 4321);
  // The same default as the rebuild service (scripts/lib/rebuild-config.ts), so the two find each other.
  const store = new SiteStore(siteDir(env));
  server = createStaticServer(() => store.liveDir());
  try {
    await listen(server, sitePort, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`Port ${sitePort} (SITE_PORT) is already in use on ${host}. Stop what uses it, or set SITE_PORT to another port.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw new ConfigError(`SITE_HOST "${host}" is not an address of this machine (${code}).`);
    if (code === 'EACCES') throw new ConfigError(`Not allowed to listen on port ${sitePort} (SITE_PORT); use a port above 1023.`);
    throw error;
  }
  const live = store.liveDir();
  console.log(
    `[site] serving ${store.current} on http://${host.includes(':') ? `[${host}]` : host}:${sitePort}/ ${live ? `(live build: ${path.basename(live)})` : '(no build live yet: 503 until the first build)'}`,
  );
} catch (error) {
  console.error(`[site] ${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await shutdown(1);
}
