// `npm start`: the whole local stack in one command.
//   1. the root .env (fresh secrets when missing)   2. the CMS build (cached)
//   3. the rebuild service on REBUILD_PORT           4. Strapi on CMS_PORT (SQLite by default), which calls it
//   5. the first site build, then the static site on SITE_PORT; every publish rebuilds it
// Ctrl-C or SIGTERM stops every child process and frees the ports.
import { stopAllChildren } from './lib/children.ts';
import { ensureCmsBuild, startCms, type RunningCms } from './lib/cms.ts';
import { ConfigError, httpUrl, port } from './lib/config.ts';
import { step } from './lib/log.ts';
import { ENV_FILE } from './lib/paths.ts';
import { assertPortFree } from './lib/ports.ts';
import { ensurePreviewBuild, startPreviewServer, type RunningPreview } from './lib/preview.ts';
import { publisherFor, rebuildConfig } from './lib/rebuild-config.ts';
import { RebuildService } from './lib/rebuild-service.ts';
import { SiteStore } from './lib/site-store.ts';
import { loadStackEnv } from './lib/stack-env.ts';
import { closeServer, createStaticServer, listen } from './lib/static-server.ts';

const started = performance.now();
let cms: RunningCms | undefined;
let rebuild: RebuildService | undefined;
let preview: RunningPreview | undefined;
let site: ReturnType<typeof createStaticServer> | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    process.stdout.write('\nStopping…\n');
    if (site) await closeServer(site);
    await rebuild?.close();
    await preview?.stop();
    await cms?.stop();
    // Whatever is still starting or building (Strapi before it answered, a site or admin build).
    await stopAllChildren();
    process.stdout.write('Stopped.\n');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  const { env: fileEnv, envFile } = loadStackEnv({ create: true });
  const messages = { created: `Created ${ENV_FILE} with fresh secrets and a local admin login.`, completed: `Added new settings to ${ENV_FILE}.`, unchanged: `Using ${ENV_FILE}.` };
  console.log(messages[envFile]);

  const cmsPort = port(fileEnv, 'CMS_PORT', 1337);
  const sitePort = port(fileEnv, 'SITE_PORT', 4321);
  const cmsUrl = `http://127.0.0.1:${cmsPort}`;
  const siteUrl = httpUrl(fileEnv, 'SITE_URL', `http://127.0.0.1:${sitePort}`);
  const env: NodeJS.ProcessEnv = { ...fileEnv, CMS_URL: cmsUrl, SITE_URL: siteUrl };
  const config = rebuildConfig(env);
  // Relay mode sends builds to GitHub: the local site would never be built. It is for the standalone
  // service (npm run rebuild-service); npm start always builds here.
  if (config.mode !== 'local') {
    throw new ConfigError('REBUILD_MODE=github is for `npm run rebuild-service` (relaying to CI); npm start builds the site locally. Unset REBUILD_MODE for npm start.');
  }
  const previewPort = port(fileEnv, 'PREVIEW_PORT', 4323);
  // Strapi calls the rebuild service on every publish (cms/src/bootstrap/rebuild-webhook.ts), and points
  // the admin's Preview button at the preview server (cms/config/admin.ts).
  env.REBUILD_URL ||= `http://127.0.0.1:${config.port}/hooks/strapi`;
  env.PREVIEW_URL ||= `http://127.0.0.1:${previewPort}`;

  await assertPortFree(cmsPort, 'CMS_PORT');
  await assertPortFree(sitePort, 'SITE_PORT');
  await assertPortFree(config.port, 'REBUILD_PORT');
  await assertPortFree(previewPort, 'PREVIEW_PORT');

  await step('CMS build', () => ensureCmsBuild(env), (r) => (r === 'reused' ? '(cached: inputs unchanged)' : ''));

  const store = new SiteStore(config.siteDir);
  rebuild = new RebuildService({ token: config.token, publisher: publisherFor(config, env, store), quietMs: config.quietMs, maxWaitMs: config.maxWaitMs });
  const service = rebuild;
  await step('Start the rebuild service', () => listen(service.server, config.port), () => `at http://127.0.0.1:${config.port}`);

  cms = await step('Start Strapi', () => startCms({ port: cmsPort, env }), (c) => `at ${c.url}`);
  const runningCms = cms;
  void runningCms.child.exited.then((code) => {
    if (!stopping) {
      console.error(`\nStrapi exited unexpectedly (code ${code}). Its last output:\n${runningCms.child.tail()}`);
      void shutdown(1);
    }
  });

  await step(
    'Build the site',
    async () => {
      service.trigger('start');
      await service.idle();
      return service.history.at(-1);
    },
    (record) => (record?.result === 'succeeded' ? '' : '(FAILED)'),
  );
  const first = service.history.at(-1);
  if (first?.result !== 'succeeded') {
    console.error(`\nThe site build failed; Strapi keeps running so you can fix the content, and the next publish rebuilds.\n${first?.error ?? ''}\n`);
  }

  await step('Preview server build', () => ensurePreviewBuild(env), (r) => (r === 'reused' ? '(cached: inputs unchanged)' : ''));
  preview = await step('Start the preview server', () => startPreviewServer(previewPort, env), (p) => `at ${p.url}`);

  site = createStaticServer(() => store.liveDir());
  const server = site;
  await step('Serve the site', () => listen(server, sitePort), () => `at http://127.0.0.1:${sitePort}`);

  const total = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`
Ready in ${total} s.
  Site            http://127.0.0.1:${sitePort}/
  Article         http://127.0.0.1:${sitePort}/articles/sales-vs-marketing/
  Strapi admin    ${cms.url}/admin
  Login           ${env.ADMIN_EMAIL ?? '(ADMIN_EMAIL in .env)'} — the password is ADMIN_PASSWORD in ${ENV_FILE}
  GraphQL         ${cms.url}/graphql
  Rebuild status  http://127.0.0.1:${config.port}/status
  Draft preview   ${preview.url}/preview/… (the admin's Preview button opens it)

Publish in the admin and the site rebuilds within seconds. Press Ctrl-C to stop.`);
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}
