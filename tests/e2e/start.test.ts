// `npm start` as a newcomer runs it: one command brings up Strapi and the site, prints where they are,
// a second start reuses the build and the database, and SIGTERM leaves nothing behind. While the first start
// runs, the production front door (./front-door.suite.ts: Caddy with the repository's Caddyfile) is checked in
// front of it: the stack starts with the public addresses Caddy serves it on, as production sets them, so its
// Strapi, preview server and site build are the ones Caddy needs; then an editor publishes in its admin and sees
// the change on its site (./admin-publish.suite.ts), a consultation request reaches the local mail catcher npm
// start runs without SMTP_HOST (moved here from tests/integration/leads-start.test.ts), the admin's draft preview
// works through the front door (./preview.suite.ts) and so does the consultation form in a browser
// (./consultation-form.suite.ts), both moved here from a file that booted a CMS and built a site of their own.
// One Caddy stands in front of the stack for all of them. No other CMS boot or full site build is paid for.
// @test-lane: npm-start
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UID } from '@agency/shared';
import { startChild, run, type Child } from '../../scripts/common/children.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { RUN_COUNTS_ENV, RUN_TEST_FILE_ENV } from '../../scripts/common/run-counts.ts';
import { sleep } from '../../scripts/common/sleep.ts';
import { caddyPorts } from '../../scripts/bench/caddy.ts';
import { ENV_FILE } from '../../scripts/common/paths.ts';
import { contentFingerprint, readLiveRecord } from '../../scripts/stack/build-fingerprint.ts';
import { CmsAdmin } from '../../scripts/stack/cms-admin.ts';
import { assertPortFree, freePort } from '../../scripts/stack/ports.ts';
import { loadStackEnv } from '../../scripts/stack/stack-env.ts';
import { mailbox } from '../support/smtp.ts';
import { adminPublishSuite, type PublishTarget } from './admin-publish.suite.ts';
import { consultationFormSuite, type FormTarget } from './consultation-form.suite.ts';
import { frontDoorEnv, frontDoorSuite, startFrontDoor, type FrontDoor } from './front-door.suite.ts';
import { previewSuite, type PreviewTarget } from './preview.suite.ts';

/** Settings npm start leaves at their defaults, set for the suites that check them. */
const PREVIEW_TTL_SECONDS = 600;
/** Room for every request the file sends from this machine's one address, and the form suite's flood on top. */
const RATE_LIMIT = 10;

/**
 * The site builds and updates counted for this file so far (scripts/common/run-counts.ts: every build appends a
 * line, in whichever process runs it), or null when the run counts nothing (RUN_COUNTS_FILE unset).
 */
function siteBuildsCounted(): number | null {
  const file = process.env[RUN_COUNTS_ENV];
  if (!file) return null;
  const test = process.env[RUN_TEST_FILE_ENV] ?? null;
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { kind: string; test: string | null })
    .filter((entry) => entry.test === test && (entry.kind === 'site-build' || entry.kind === 'site-update')).length;
}

/** A log file npm start writes (STACK_LOG_DIR), or '' before it has one. */
const readLog = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

const START = path.join(ROOT, 'scripts', 'stack', 'start.ts');

async function startStack(env: Record<string, string>): Promise<{ child: Child; output: () => string }> {
  let output = '';
  const child = startChild('npm start', process.execPath, [START], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    onLine: (line) => (output += `${line}\n`),
  });
  const deadline = Date.now() + 240_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (child.process.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start was not ready in time:\n${output}`);
    await sleep(250);
  }
  return { child, output: () => output };
}

/** The processes still running whose environment has `setting` (NAME=value): what a stack with that setting left. */
function processesWith(setting: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(setting)) found.push(Number(entry));
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return found;
}

async function terminate(child: Child): Promise<number | null> {
  child.process.kill('SIGTERM');
  return child.exited;
}

describe('npm start', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-start-'));
  /** The first start, running until the test after the front door's stops it (or afterAll, if that never ran). */
  let first: Awaited<ReturnType<typeof startStack>> | undefined;
  let env: Record<string, string>;
  /** Filled in once the first start is ready: what the front door suite stands in front of. */
  const frontDoor = {} as FrontDoor;
  const publishTarget = {} as PublishTarget;
  /** The CMS's content fingerprint when the first start was ready (scripts/stack/build-fingerprint.ts). */
  let contentAtStart = '';
  const previewTarget = {} as PreviewTarget;
  const formTarget = {} as FormTarget;
  afterAll(async () => {
    await frontDoor.caddy?.stop();
    if (first && first.child.process.exitCode === null) await terminate(first.child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts Strapi and the site, prints the URLs and the login', async () => {
    const ports = await caddyPorts();
    const cmsPort = await freePort();
    const sitePort = await freePort();
    const previewPort = await freePort();
    const publicUrls = frontDoorEnv(ports);
    env = {
      CMS_PORT: String(cmsPort),
      SITE_PORT: String(sitePort),
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: path.join(dir, 'data.db'),
      SITE_DIR: path.join(dir, 'site'),
      REBUILD_PORT: String(await freePort()),
      PREVIEW_PORT: String(previewPort),
      // npm start runs the local mail catcher (no SMTP_HOST): its own ports, so another stack's never clash.
      MAIL_SMTP_PORT: String(await freePort()),
      MAIL_UI_PORT: String(await freePort()),
      // The agency's mail only, so the mail test below can tell that no reader was sent a confirmation.
      LEADS_CONFIRM: 'false',
      // For the preview and form suites: a link lifetime they can tell from the default, a rate limit with room
      // for every request this file sends, and Strapi's and the preview server's output in files they can read.
      PREVIEW_LINK_TTL_SECONDS: String(PREVIEW_TTL_SECONDS),
      CONSULTATION_RATE_LIMIT: String(RATE_LIMIT),
      STACK_LOG_DIR: path.join(dir, 'logs'),
      // Behind the front door checked next (./front-door.suite.ts): the public addresses Caddy serves it on.
      ...publicUrls,
    };

    first = await startStack(env);
    const printed = first.output();
    expect(printed).toContain(`http://127.0.0.1:${sitePort}/articles/sales-vs-marketing/`);
    expect(printed).toContain(`http://127.0.0.1:${cmsPort}/admin`);
    expect(printed).toMatch(/Login\s+\S+@\S+ — the password is ADMIN_PASSWORD in .*\.env/);
    expect(printed).toMatch(/✓ Start Strapi at http:\/\/127\.0\.0\.1:\d+ \(\d+\.\d s\)/);

    const article = await fetch(`http://127.0.0.1:${sitePort}/articles/sales-vs-marketing/`);
    expect(article.status).toBe(200);
    expect(await article.text()).toContain('What’s the difference between sales and marketing?');
    expect((await fetch(`http://127.0.0.1:${sitePort}/nowhere/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${cmsPort}/admin`)).status).toBe(200);

    // The local admin account, read as npm start read it: the checkout's .env (which the first start may have
    // written), overridden by the real environment.
    const stackEnv = loadStackEnv({ create: false }).env;
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = stackEnv;
    if (!email || !password) throw new Error(`No ADMIN_EMAIL and ADMIN_PASSWORD in ${ENV_FILE} after npm start.`);
    const { PREVIEW_SECRET: secret, PREVIEW_TOKEN: token, WEBHOOK_TOKEN: webhookToken } = stackEnv;
    if (!secret || !token || !webhookToken)
      throw new Error(`No PREVIEW_SECRET, PREVIEW_TOKEN and WEBHOOK_TOKEN in ${ENV_FILE} after npm start.`);
    const admin = { email, password };
    const editor = new CmsAdmin(`http://127.0.0.1:${cmsPort}`, admin);
    const siteDir = env.SITE_DIR!;
    // The start's build is recorded as made from the CMS's content as it is (what a second start compares).
    contentAtStart = await contentFingerprint(`http://127.0.0.1:${cmsPort}`);
    expect(readLiveRecord(siteDir)).toMatchObject({
      build: path.basename(realpathSync(path.join(siteDir, 'current'))),
      content: contentAtStart,
    });
    // One Caddy in front of the stack for the whole file (stopped in afterAll).
    const caddy = await startFrontDoor({ ports, cmsPort, previewPort, siteDir });
    Object.assign(frontDoor, { ports, cmsPort, previewPort, sitePort, siteDir, admin, editor, caddy });
    const output = first.output;
    Object.assign(publishTarget, {
      cmsUrl: `http://127.0.0.1:${cmsPort}`,
      siteUrl: `http://127.0.0.1:${sitePort}`,
      rebuildUrl: `http://127.0.0.1:${env.REBUILD_PORT}`,
      admin,
      editor,
      output,
    });
    const logs = env.STACK_LOG_DIR!;
    Object.assign(previewTarget, {
      cmsUrl: `http://127.0.0.1:${cmsPort}`,
      publicCmsUrl: publicUrls.PUBLIC_CMS_URL,
      previewUrl: publicUrls.PREVIEW_URL,
      previewDirect: `http://127.0.0.1:${previewPort}`,
      secret,
      token,
      ttlSeconds: PREVIEW_TTL_SECONDS,
      admin,
      editor,
      rebuildUrl: `http://127.0.0.1:${env.REBUILD_PORT}`,
      webhookToken,
      siteDir,
      strapiLog: () => readLog(path.join(logs, 'cms.log')),
      previewLog: () => readLog(path.join(logs, 'preview.log')),
    } satisfies PreviewTarget);
    Object.assign(formTarget, {
      siteUrl: publicUrls.SITE_URL,
      publicCmsUrl: publicUrls.PUBLIC_CMS_URL,
      siteDir,
      editor,
      mailUrl: `http://127.0.0.1:${env.MAIL_UI_PORT}`,
      // npm start sends the agency's mail to the local admin when LEADS_EMAIL_TO is unset.
      agency: email,
      limit: RATE_LIMIT,
    } satisfies FormTarget);
  });

  frontDoorSuite(frontDoor);
  adminPublishSuite(publishTarget);

  it('records what each live build was made from: the publish changed the content fingerprint, and the record follows', async () => {
    if (!first) throw new Error('The first start above failed: there is no live build.');
    const now = await contentFingerprint(`http://127.0.0.1:${env.CMS_PORT}`);
    expect(now, 'an edited and published title left the content fingerprint as it was').not.toBe(contentAtStart);
    const live = path.basename(realpathSync(path.join(env.SITE_DIR!, 'current')));
    expect(readLiveRecord(env.SITE_DIR!)).toMatchObject({ build: live, content: now });
  });

  // LEADS_CONFIRM=false: the agency's mail only, read once the request is `sent` (no sleep).
  it('prints where the local mail catcher’s mail is read, and a consultation request is mailed to the local admin there', async () => {
    if (!first) throw new Error('The first start above failed: there is no mail catcher to read.');
    const output = first.output();
    const ui = `http://127.0.0.1:${env.MAIL_UI_PORT}`;
    expect(output).toMatch(new RegExp(`✓ Start the local mail catcher SMTP on 127\\.0\\.0\\.1:${env.MAIL_SMTP_PORT}, mail at ${ui}/`));
    const login = /Login\s+(\S+@\S+) — /.exec(output)?.[1];
    expect(login).toBe(frontDoor.admin.email);
    expect(output).toContain(`Mail            ${ui}/ (local catcher: consultation mails to ${login}`);

    const response = await fetch(`http://127.0.0.1:${env.CMS_PORT}/api/consultation-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { name: 'Start Reader', email: 'start.reader@example.com', consent: true } }),
    });
    expect(response.status).toBe(201);
    const box = mailbox(ui);
    const mail = await box.waitFor((m) => m.Subject === 'Consultation request from Start Reader', 30_000);
    expect(mail.To.map((to) => to.Address)).toEqual([login]);
    expect(mail.Text).toContain(`http://127.0.0.1:${env.CMS_PORT}/admin/content-manager/collection-types/`);
    // The worker writes `sent` after the request's last mail (a confirmation goes before it), so from then on the
    // mailbox holds everything it will get for this request.
    const sentBy = Date.now() + 30_000;
    for (;;) {
      const { results } = await frontDoor.editor.request(
        'GET',
        `/content-manager/collection-types/${UID.consultationRequest}?filters[name][$eq]=Start%20Reader`,
      );
      const status = (results as Array<{ notificationStatus: string }>)[0]?.notificationStatus;
      if (status === 'sent') break;
      if (Date.now() > sentBy) throw new Error(`The request was mailed but never marked sent (it is ${status ?? 'not found'}).`);
      await sleep(250);
    }
    // No confirmation to any reader (the front door's form test above sent a request too): every mail is the agency's.
    const mails = await box.list();
    expect(mails.filter((m) => m.Subject === 'Consultation request from Start Reader')).toHaveLength(1);
    expect(mails.flatMap((m) => m.To.map((to) => to.Address)).filter((address) => address !== login)).toEqual([]);
    expect(await (await fetch(`${ui}/`)).text()).toContain('Consultation request from Start Reader');
  });

  // After the mail test: the form's requests (and its flood) come from the same address, under the same limit.
  previewSuite(previewTarget);
  consultationFormSuite(formTarget);

  it('stops cleanly on SIGTERM, and a second start reuses everything, the live site build included', async () => {
    if (!first) throw new Error('The first start above failed: there is nothing to stop and start again.');
    const cmsPort = Number(env.CMS_PORT);
    const sitePort = Number(env.SITE_PORT);
    // Strapi (and the rest) run with the stack's settings: the interrupted start's check below looks for them.
    const children = processesWith(`DATABASE_FILENAME=${env.DATABASE_FILENAME}`).filter((pid) => pid !== first!.child.process.pid);
    expect(children.length, 'no child of npm start has its DATABASE_FILENAME').toBeGreaterThan(0);

    expect(await terminate(first.child)).toBe(0);
    expect(first.output()).toContain('Stopped.');
    await assertPortFree(cmsPort, 'CMS_PORT');
    await assertPortFree(sitePort, 'SITE_PORT');
    // The mail catcher's ports go with the rest.
    await assertPortFree(Number(env.MAIL_SMTP_PORT), 'MAIL_SMTP_PORT');
    await assertPortFree(Number(env.MAIL_UI_PORT), 'MAIL_UI_PORT');

    // The content the live build was made from is the CMS's still (the preview suite's drafts, the form's requests
    // and the CTA's unpublished change are not the site's): the second start builds nothing, and says so.
    const buildsBefore = siteBuildsCounted();
    const liveBefore = realpathSync(path.join(env.SITE_DIR!, 'current'));
    const second = await startStack(env);
    expect(second.output()).toContain('CMS build (cached: inputs unchanged)');
    expect(second.output()).not.toContain('Created');
    expect(second.output()).toMatch(/✓ Site: reusing the build of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, content unchanged/);
    expect(second.output()).not.toContain('Build the site');
    const status = (await (await fetch(`http://127.0.0.1:${env.REBUILD_PORT}/status`)).json()) as { builds: unknown[] };
    expect(status.builds).toEqual([]);
    if (buildsBefore !== null) expect(siteBuildsCounted(), 'site builds and updates counted during the second start').toBe(buildsBefore);
    expect(realpathSync(path.join(env.SITE_DIR!, 'current'))).toBe(liveBefore);
    expect((await fetch(`http://127.0.0.1:${sitePort}/articles/sales-vs-marketing/`)).status).toBe(200);
    expect(await terminate(second.child)).toBe(0);
    await assertPortFree(cmsPort, 'CMS_PORT');
  });

  it('stops everything it started when interrupted while Strapi is still starting', async () => {
    const cmsPort = await freePort();
    const database = path.join(dir, 'interrupted.db');
    let output = '';
    const child = startChild('npm start', process.execPath, [START], {
      cwd: ROOT,
      env: {
        ...process.env,
        CMS_PORT: String(cmsPort),
        SITE_PORT: String(await freePort()),
        REBUILD_PORT: String(await freePort()),
        PREVIEW_PORT: String(await freePort()),
        MAIL_SMTP_PORT: String(await freePort()),
        MAIL_UI_PORT: String(await freePort()),
        DATABASE_CLIENT: 'sqlite',
        DATABASE_FILENAME: database,
        SITE_DIR: path.join(dir, 'interrupted-site'),
      },
      onLine: (line) => (output += `${line}\n`),
    });
    while (!output.includes('• Start Strapi…')) {
      if (child.process.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      await sleep(50);
    }
    child.process.kill('SIGINT');
    expect(await child.exited).toBe(0);
    expect(output).toContain('Stopped.');
    // Strapi, stopped mid-boot, must not come up afterwards and hold the port: once npm start has exited, nothing
    // can start it any more, so no process of this stack (its children inherit the database setting) may be left.
    const left = processesWith(`DATABASE_FILENAME=${database}`);
    expect(left, `processes npm start left running: ${left.join(', ')}`).toEqual([]);
    await assertPortFree(cmsPort, 'CMS_PORT');
    expect(existsSync(path.join(ROOT, 'cms', '.build.lock'))).toBe(false);
  });

  it('refuses relay mode, which would never build the local site', async () => {
    const result = await run(process.execPath, [START], {
      cwd: ROOT,
      env: { ...process.env, REBUILD_MODE: 'github', CMS_PORT: String(await freePort()) },
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('REBUILD_MODE=github is for `npm run rebuild-service`');
  });

  it('rejects a bad port setting with a message that says what to fix, starting nothing', async () => {
    const result = await run(process.execPath, [START], { cwd: ROOT, env: { ...process.env, CMS_PORT: 'eighty' } });
    expect(result.code).toBe(1);
    expect(result.output).toContain('CMS_PORT must be a port number from 1 to 65535, not "eighty".');
  });

  it('says which port is taken instead of failing obscurely', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = await run(process.execPath, [START], {
        cwd: ROOT,
        env: { ...process.env, SITE_PORT: String(port), CMS_PORT: String(await freePort()) },
      });
      expect(result.code).toBe(1);
      expect(result.output).toContain(`Port ${port} (SITE_PORT) is already in use`);
    } finally {
      blocker.close();
    }
  });
});
