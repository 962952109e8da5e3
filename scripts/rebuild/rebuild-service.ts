// `npm run rebuild-service`: the rebuild service on its own (production, a container, or the GitHub relay).
//   REBUILD_MODE=local   builds the site from CMS_URL into SITE_DIR on every publish (and once at start);
//                        `npm run serve-site` serves SITE_DIR from another process. A failed build is retried
//                        with backoff until one succeeds or a new event supersedes the retry.
//   REBUILD_MODE=github  relays each coalesced batch of publishes to GitHub's repository_dispatch API, so
//                        .github/workflows/site.yml builds and deploys (once at start too, source "start": a
//                        publish made while the relay was down is not lost); failed dispatches retry with backoff.
// Reads the process environment only (not .env): its variables are rebuildServiceSettings (./settings.ts).
// SIGINT/SIGTERM close the server, stop a running site build (its Astro process is killed, its directory
// discarded, the live site untouched) and exit 0; a bad setting prints what to fix and exits 1.
import { redactUrl } from '@agency/shared/server';
import { stopAllChildren } from '../common/children.ts';
import { explain } from '../common/errors.ts';
import { listen } from '../common/http.ts';
import { DISPATCH_EVENT_TYPE, publisherFor } from './publishers.ts';
import { REBUILD_RETRY_ATTEMPTS, rebuildServiceSettings } from './settings.ts';
import { RebuildService } from './service.ts';
import { SiteStore } from './site-store.ts';

let service: RebuildService | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    const closing = service?.close();
    // A running Astro build is killed; its build then fails, is discarded, and no retry is planned.
    await stopAllChildren();
    await closing;
    await service?.idle();
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  const settings = rebuildServiceSettings.read();
  const local = settings.REBUILD_MODE === 'local';
  // Relay mode never touches SITE_DIR: no store (and no directory created) unless we build locally.
  const store = local ? new SiteStore(settings.SITE_DIR) : null;
  service = new RebuildService({
    token: settings.WEBHOOK_TOKEN,
    publisher: publisherFor(settings, { store }),
    quietMs: settings.REBUILD_QUIET_MS,
    maxWaitMs: settings.REBUILD_MAX_WAIT_MS,
    // A failed build (the CMS restarting, a full disk) or dispatch (GitHub down, 5xx, rate limit) is retried:
    // 2 s, 4 s, 8 s … capped at REBUILD_RETRY_MAX_MS. A build until one succeeds (or a new event supersedes
    // the retry): a publish is never lost. A dispatch at most REBUILD_RETRY_ATTEMPTS times.
    retry: {
      baseMs: settings.REBUILD_RETRY_BASE_MS,
      maxMs: settings.REBUILD_RETRY_MAX_MS,
      maxAttempts: local ? null : REBUILD_RETRY_ATTEMPTS,
    },
    log: (line) => console.log(line),
  });
  const host = settings.REBUILD_HOST;
  await listen(service.server, settings.REBUILD_PORT, host, { port: 'REBUILD_PORT', host: 'REBUILD_HOST' });

  const where = `http://${host.includes(':') ? `[${host}]` : host}:${settings.REBUILD_PORT}`;
  const target = local
    ? `builds from ${redactUrl(settings.CMS_URL)} into ${settings.SITE_DIR}`
    : `dispatches "${DISPATCH_EVENT_TYPE}" to ${settings.GITHUB_REPOSITORY} via ${redactUrl(settings.GITHUB_API_URL)} (retries: ${REBUILD_RETRY_ATTEMPTS} attempts from ${settings.REBUILD_RETRY_BASE_MS} ms)`;
  const retries = local
    ? `; a failed build retries from ${settings.REBUILD_RETRY_BASE_MS} ms up to ${settings.REBUILD_RETRY_MAX_MS} ms apart`
    : '';
  console.log(
    `[rebuild] ${settings.REBUILD_MODE} mode on ${where}: POST /hooks/strapi ${target}; quiet ${settings.REBUILD_QUIET_MS} ms, max wait ${settings.REBUILD_MAX_WAIT_MS} ms${retries}; status at ${where}/status`,
  );

  // Local: the first build. Relay: one dispatch, so what was published while the relay was down is deployed.
  service.trigger('start');
} catch (error) {
  console.error(`[rebuild] ${explain(error)}`);
  await shutdown(1);
}
