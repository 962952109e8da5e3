// `npm start`: the whole local stack in one command.
//   1. the root .env (fresh secrets when missing)   2. the CMS build (cached)
//   3. the rebuild service on REBUILD_PORT           4. Strapi on CMS_PORT (SQLite by default), which calls it
//   5. the first site build, then the static site on SITE_PORT; every publish rebuilds it. A start reuses the
//      live build instead when this code made it from the CMS's content as it is now (build-fingerprint.ts)
// Without SMTP_HOST, a local mail catcher (mail-catcher.ts) receives the CMS's consultation mails first, on
// MAIL_SMTP_PORT, readable at MAIL_UI_PORT.
// Ctrl-C or SIGTERM stops every child process and frees the ports. Settings: stackSettings (./settings.ts);
// STACK_LOG_DIR keeps Strapi's and the preview server's output in files (./child-log.ts).
import { stopAllChildren } from '../common/children.ts';
import { closeServer, listen } from '../common/http.ts';
import { ENV_FILE } from '../common/paths.ts';
import { localPublisher } from '../rebuild/publishers.ts';
import { RebuildService } from '../rebuild/service.ts';
import { SiteStore } from '../rebuild/site-store.ts';
import { createStaticServer } from '../rebuild/static-server.ts';
import { codeFingerprint, contentFingerprint, readLiveRecord, recordLiveBuild, reuseDecision } from './build-fingerprint.ts';
import { childLog } from './child-log.ts';
import { ensureCmsBuild, startCms, type RunningCms } from './cms-runner.ts';
import { step } from './log.ts';
import { MailCatcher } from './mail-catcher.ts';
import { assertPortFree } from './ports.ts';
import { ensurePreviewBuild, startPreviewServer, type RunningPreview } from './preview-runner.ts';
import { stackSettings } from './settings.ts';
import { loadStackEnv } from './stack-env.ts';

const started = performance.now();
let cms: RunningCms | undefined;
let rebuild: RebuildService | undefined;
let preview: RunningPreview | undefined;
let site: ReturnType<typeof createStaticServer> | undefined;
let mail: MailCatcher | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    process.stdout.write('\nStopping…\n');
    if (site) await closeServer(site);
    await rebuild?.close();
    await preview?.stop();
    await cms?.stop();
    await mail?.stop();
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
  const messages = {
    created: `Created ${ENV_FILE} with fresh secrets and a local admin login.`,
    completed: `Added new settings to ${ENV_FILE}.`,
    unchanged: `Using ${ENV_FILE}.`,
  };
  console.log(messages[envFile]);

  const settings = stackSettings.read(fileEnv);
  const { CMS_PORT: cmsPort, SITE_PORT: sitePort, PREVIEW_PORT: previewPort, REBUILD_PORT: rebuildPort } = settings;
  const cmsUrl = `http://127.0.0.1:${cmsPort}`;
  const siteUrl = settings.SITE_URL ?? `http://127.0.0.1:${sitePort}`;
  // What the children read: the CMS and the site build (CMS_URL, SITE_URL), Strapi's webhook to the rebuild
  // service (cms/src/bootstrap/rebuild-webhook.ts) and the admin's Preview button (cms/config/admin.ts).
  const env: NodeJS.ProcessEnv = {
    ...fileEnv,
    // The CMS refuses to start without NODE_ENV (a server must say production); the local stack is development.
    NODE_ENV: fileEnv.NODE_ENV || 'development',
    CMS_URL: cmsUrl,
    SITE_URL: siteUrl,
    REBUILD_URL: settings.REBUILD_URL ?? `http://127.0.0.1:${rebuildPort}/hooks/strapi`,
    PREVIEW_URL: settings.PREVIEW_URL ?? `http://127.0.0.1:${previewPort}`,
  };

  await assertPortFree(cmsPort, 'CMS_PORT');
  await assertPortFree(sitePort, 'SITE_PORT');
  await assertPortFree(rebuildPort, 'REBUILD_PORT');
  await assertPortFree(previewPort, 'PREVIEW_PORT');

  // Consultation mails: through SMTP_HOST when set (the CMS reads SMTP_* itself); otherwise to a local catcher,
  // so an editor reads them in the browser and nothing leaves the machine.
  if (settings.SMTP_HOST === null) {
    const catcher = new MailCatcher({ smtpPort: settings.MAIL_SMTP_PORT, httpPort: settings.MAIL_UI_PORT });
    mail = catcher;
    await step(
      'Start the local mail catcher',
      () => catcher.start({ smtpPort: 'MAIL_SMTP_PORT', httpPort: 'MAIL_UI_PORT' }),
      () => `SMTP on 127.0.0.1:${catcher.smtpPort}, mail at ${catcher.httpUrl}/`,
    );
    Object.assign(env, {
      SMTP_HOST: catcher.host,
      SMTP_PORT: String(catcher.smtpPort),
      SMTP_SECURE: 'false',
      SMTP_USER: '',
      SMTP_PASS: '',
      LEADS_EMAIL_TO: env.LEADS_EMAIL_TO || settings.ADMIN_EMAIL || 'agency@localhost',
    });
  }

  await step(
    'CMS build',
    () => ensureCmsBuild(env),
    (r) => (r === 'reused' ? '(cached: inputs unchanged)' : ''),
  );

  const store = new SiteStore(settings.SITE_DIR);
  // The site is built for readers, as production builds it: the stack's NODE_ENV (development, for Strapi) would
  // reach Vite and ship React's development build, twice the JavaScript (scripts/rebuild/build-site.ts).
  const siteEnv = { ...env, NODE_ENV: 'production' };
  // Taken now: code changed while the stack runs makes the next start build.
  const code = codeFingerprint(siteEnv);
  rebuild = new RebuildService({
    token: settings.WEBHOOK_TOKEN,
    publisher: localPublisher({
      store,
      cmsUrl,
      env: siteEnv,
      record: {
        fingerprint: () => contentFingerprint(cmsUrl, env.CMS_TOKEN),
        live: (dir, content) => recordLiveBuild(settings.SITE_DIR, dir, { code, content }),
      },
    }),
    quietMs: settings.REBUILD_QUIET_MS,
    maxWaitMs: settings.REBUILD_MAX_WAIT_MS,
    // A failed build is retried in the background until one succeeds (or a publish supersedes the retry).
    retry: { baseMs: settings.REBUILD_RETRY_BASE_MS, maxMs: settings.REBUILD_RETRY_MAX_MS, maxAttempts: null },
  });
  const service = rebuild;
  await step(
    'Start the rebuild service',
    () => listen(service.server, rebuildPort, '127.0.0.1', { port: 'REBUILD_PORT' }),
    () => `at http://127.0.0.1:${rebuildPort}`,
  );

  cms = await step(
    'Start Strapi',
    () => startCms({ port: cmsPort, env, onLine: childLog(settings.STACK_LOG_DIR, 'cms') }),
    (c) => `at ${c.url}`,
  );
  const runningCms = cms;
  void runningCms.child.exited.then((code) => {
    if (!stopping) {
      console.error(`\nStrapi exited unexpectedly (code ${code}). Its last output:\n${runningCms.child.tail()}`);
      void shutdown(1);
    }
  });

  // The CMS's content now, against what the live build was made from. Unknown (the CMS did not answer): build,
  // and the build says what is wrong.
  const content = await contentFingerprint(cmsUrl, env.CMS_TOKEN).catch(() => '');
  const reuse = reuseDecision(store.liveDir(), readLiveRecord(settings.SITE_DIR), { code, content });
  if (reuse.reuse) {
    process.stdout.write(`  ✓ Site: reusing the build of ${new Date(reuse.liveAt).toLocaleString('sv-SE')}, content unchanged\n`);
  } else {
    await step(
      'Build the site',
      async () => {
        service.trigger('start');
        await service.idle();
        return service.history.at(-1);
      },
      (record) => (record?.result === 'succeeded' ? `(${reuse.why})` : '(FAILED)'),
    );
  }
  const first = service.history.at(-1);
  if (!reuse.reuse && first?.result !== 'succeeded') {
    console.error(
      `\nThe site build failed; Strapi keeps running so you can fix the content. The build is retried (see Rebuild status), and the next publish rebuilds too.\n${first?.error ?? ''}\n`,
    );
  }

  await step(
    'Preview server build',
    () => ensurePreviewBuild(env),
    (r) => (r === 'reused' ? '(cached: inputs unchanged)' : ''),
  );
  preview = await step(
    'Start the preview server',
    () => startPreviewServer(previewPort, env, { onLine: childLog(settings.STACK_LOG_DIR, 'preview') }),
    (p) => `at ${p.url}`,
  );

  site = createStaticServer(() => store.liveDir());
  const server = site;
  await step(
    'Serve the site',
    () => listen(server, sitePort, '127.0.0.1', { port: 'SITE_PORT' }),
    () => `at http://127.0.0.1:${sitePort}`,
  );

  const total = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`
Ready in ${total} s.
  Site            http://127.0.0.1:${sitePort}/
  Article         http://127.0.0.1:${sitePort}/articles/sales-vs-marketing/
  Strapi admin    ${cms.url}/admin
  Login           ${settings.ADMIN_EMAIL ?? '(ADMIN_EMAIL in .env)'} — the password is ADMIN_PASSWORD in ${ENV_FILE}
  GraphQL         ${cms.url}/graphql
  Rebuild status  http://127.0.0.1:${rebuildPort}/status
  Draft preview   ${preview.url}/preview/… (the admin's Preview button opens it)
  Mail            ${mail ? `${mail.httpUrl}/ (local catcher: consultation mails to ${env.LEADS_EMAIL_TO} and readers' confirmations)` : `sent through ${settings.SMTP_HOST}`}

Publish in the admin and the site rebuilds within seconds. Press Ctrl-C to stop.`);
} catch (error) {
  // Every failure here is worded for a person (a setting, a busy port, a failed build with its output).
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
}
