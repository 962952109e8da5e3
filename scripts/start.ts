// `npm start`: the whole local stack in one command.
//   1. the root .env (fresh secrets when missing)   2. the CMS build (cached)
//   3. Strapi on CMS_PORT (SQLite by default)        4. the static site, built and served on SITE_PORT
// Ctrl-C or SIGTERM stops every child process.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ensureCmsBuild, startCms, type RunningCms } from './lib/cms.ts';
import { httpUrl, port } from './lib/config.ts';
import { step } from './lib/log.ts';
import { ENV_FILE, WEB_DIR } from './lib/paths.ts';
import { assertPortFree } from './lib/ports.ts';
import { buildSiteInPlace } from './lib/site.ts';
import { loadStackEnv } from './lib/stack-env.ts';
import { createStaticServer, listen } from './lib/static-server.ts';

const started = performance.now();
let cms: RunningCms | undefined;
let server: ReturnType<typeof createStaticServer> | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    process.stdout.write('\nStopping…\n');
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await cms?.stop();
    process.stdout.write('Stopped.\n');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  const { env, created } = loadStackEnv({ create: true });
  console.log(created ? `Created ${ENV_FILE} with fresh secrets and a local admin login.` : `Using ${ENV_FILE}.`);

  const cmsPort = port(env, 'CMS_PORT', 1337);
  const sitePort = port(env, 'SITE_PORT', 4321);
  const siteUrl = httpUrl(env, 'SITE_URL', `http://127.0.0.1:${sitePort}`);
  await assertPortFree(cmsPort, 'CMS_PORT');
  await assertPortFree(sitePort, 'SITE_PORT');

  await step('CMS build', () => ensureCmsBuild(env), (r) => (r === 'reused' ? '(cached: inputs unchanged)' : ''));
  cms = await step('Start Strapi', () => startCms({ port: cmsPort, env }), (c) => `at ${c.url}`);
  const runningCms = cms;
  void runningCms.child.exited.then((code) => {
    if (!stopping) {
      console.error(`\nStrapi exited unexpectedly (code ${code}). Its last output:\n${runningCms.child.tail()}`);
      void shutdown(1);
    }
  });

  const outDir = path.resolve(env.SITE_OUT_DIR || path.join(WEB_DIR, 'dist'));
  mkdirSync(outDir, { recursive: true });
  const build = await step('Build the site', () => buildSiteInPlace({ cmsUrl: cms!.url, outDir, env: { ...env, SITE_URL: siteUrl } }), (b) =>
    b.ok ? '' : '(FAILED)',
  );
  if (!build.ok) {
    console.error(`\nThe site build failed; the CMS keeps running so you can fix the content.\n${build.output.trim().split('\n').slice(-25).join('\n')}\n`);
  }

  server = createStaticServer(() => outDir);
  await step('Serve the site', () => listen(server!, sitePort), () => `at http://127.0.0.1:${sitePort}`);

  const total = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`
Ready in ${total} s.
  Site          http://127.0.0.1:${sitePort}/
  Article       http://127.0.0.1:${sitePort}/articles/sales-vs-marketing/
  Strapi admin  ${cms.url}/admin
  Login         ${env.ADMIN_EMAIL ?? '(ADMIN_EMAIL in .env)'} — the password is ADMIN_PASSWORD in ${ENV_FILE}
  GraphQL       ${cms.url}/graphql

Press Ctrl-C to stop.`);
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}
