// `npm run rebuild-service`: the rebuild service on its own (production, a container, or the GitHub relay).
//   REBUILD_MODE=local   builds the site from CMS_URL into SITE_DIR on every publish (and once at start);
//                        `npm run serve-site` serves SITE_DIR from another process.
//   REBUILD_MODE=github  relays each coalesced batch of publishes to GitHub's repository_dispatch API, so
//                        .github/workflows/site.yml builds and deploys; failed dispatches retry with backoff.
// Reads the process environment only (not .env): README → Configuration lists every variable.
// SIGINT/SIGTERM close the server and exit 0; a bad setting prints what to fix and exits 1.
import { ConfigError } from './lib/config.ts';
import { DISPATCH_EVENT_TYPE } from './lib/publishers.ts';
import { publisherFor, rebuildConfig } from './lib/rebuild-config.ts';
import { RebuildService } from './lib/rebuild-service.ts';
import { SiteStore } from './lib/site-store.ts';
import { listen } from './lib/static-server.ts';

const RETRY_MAX_MS = 60_000;
const RETRY_ATTEMPTS = 6;

function retryBase(env: NodeJS.ProcessEnv): number {
  const raw = env.REBUILD_RETRY_BASE_MS;
  if (raw === undefined || raw === '') return 2000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > RETRY_MAX_MS) {
    throw new ConfigError(`REBUILD_RETRY_BASE_MS must be a number of milliseconds (1–${RETRY_MAX_MS}), not "${raw}".`);
  }
  return value;
}

/** A URL for the log, without any credentials someone put in it. */
function shown(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString().replace(/\/+$/, '');
}

let service: RebuildService | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await service?.close();
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

function fail(message: string): Promise<never> {
  console.error(`[rebuild] ${message}`);
  return shutdown(1);
}

try {
  const env = process.env;
  const config = rebuildConfig(env);
  const host = env.REBUILD_HOST?.trim() || '127.0.0.1';
  const retryBaseMs = retryBase(env);
  // Relay mode never touches SITE_DIR: no store (and no directory created) unless we build locally.
  const store = config.mode === 'local' ? new SiteStore(config.siteDir) : undefined;
  const publisher = publisherFor(config, env, store as SiteStore);

  service = new RebuildService({
    token: config.token,
    publisher,
    quietMs: config.quietMs,
    maxWaitMs: config.maxWaitMs,
    // A dispatch that fails (GitHub down, 5xx, rate limit) is retried: 2 s, 4 s, 8 s … capped at 60 s.
    // A local build that fails waits for the next publish instead: retrying would fail the same way.
    retry: config.mode === 'github' ? { baseMs: retryBaseMs, maxMs: RETRY_MAX_MS, maxAttempts: RETRY_ATTEMPTS } : null,
    log: (line) => console.log(line),
  });

  try {
    await listen(service.server, config.port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`Port ${config.port} (REBUILD_PORT) is already in use on ${host}. Stop what uses it, or set REBUILD_PORT to another port.`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw new ConfigError(`REBUILD_HOST "${host}" is not an address of this machine (${code}).`);
    if (code === 'EACCES') throw new ConfigError(`Not allowed to listen on port ${config.port} (REBUILD_PORT); use a port above 1023.`);
    throw error;
  }

  const where = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
  const target =
    config.mode === 'github'
      ? `dispatches "${DISPATCH_EVENT_TYPE}" to ${env.GITHUB_REPOSITORY?.trim()} via ${shown(env.GITHUB_API_URL || 'https://api.github.com')} (retries: ${RETRY_ATTEMPTS} attempts from ${retryBaseMs} ms)`
      : `builds from ${shown(config.cmsUrl)} into ${config.siteDir}`;
  console.log(
    `[rebuild] ${config.mode} mode on ${where}: POST /hooks/strapi ${target}; quiet ${config.quietMs} ms, max wait ${config.maxWaitMs} ms; status at ${where}/status`,
  );

  if (config.mode === 'local') service.trigger('start');
} catch (error) {
  await fail(error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
}
