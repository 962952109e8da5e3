// The production stack really running: docker-compose.yml's images built here (local stand-ins for the official
// base images, tests/compose/local-images.ts), `compose up` with an env file from scripts/ops/production-env.ts,
// every healthcheck passing, and then, through Caddy's published HTTPS port only (`tls internal`, verified against
// Caddy's own CA): the seeded article compressed with the production headers, the first admin's login, a publish
// live within seconds, a signed preview link, a killed CMS brought back by its restart policy, and a backup taken
// from the containers restored into a fresh stack, whose content and uploads then survive `down` and `up`. The
// env file and secrets come from scripts/ops/production-env.sh run where only Docker and the repository exist,
// and least privilege is checked from inside the containers: who reaches whom, capabilities, users, secrets.
// Three `up`s prove it all: the first stack; the fresh one the backup is restored into; and that one again after
// `down`, which is both the restore's restart and the volumes' proof (one lifecycle fewer than a `down`/`up` of
// the first stack and then a restart after the restore). Each step's seconds are printed, and again at the end.
// Run with `npm run test:compose` (docs/deployment.md is the same steps by hand).
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UID } from '@agency/shared';
import { sleep } from '../../scripts/common/sleep.ts';
import { readEnvFile } from '../../scripts/stack/env-file.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { backupKeyFileFor, COMPOSE_SECRETS } from '../../scripts/ops/production-env.ts';
import { sampleArticle } from '../support/cms.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { ComposeStack, imageSizes } from './compose-stack.ts';
import { FrontDoor } from './front-door-client.ts';
import { buildStackImages } from './images.ts';
import { buildLocalImages } from './local-images.ts';

const SERVICES = ['postgres', 'cms', 'rebuild', 'preview', 'caddy', 'mailpit'];
const HOSTS = { site: 'www.agency.localhost', cms: 'cms.agency.localhost', preview: 'preview.agency.localhost' };
const SITE = `https://${HOSTS.site}`;
const CMS = `https://${HOSTS.cms}`;
const PREVIEW = `https://${HOSTS.preview}`;
const ARTICLES = `/content-manager/collection-types/${UID.article}`;
const log = (line: string) => console.log(`[compose ${new Date().toISOString().slice(11, 19)}] ${line}`);

describe('docker-compose.yml running for real', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-compose-'));
  const envFile = path.join(dir, '.env.production');
  const figures: Record<string, unknown> = {};
  let env: Record<string, string>;
  /** The secrets production-env wrote, by variable name (ADMIN_PASSWORD, APP_KEYS, …). */
  let secrets: Record<string, string>;
  let stack: ComposeStack;
  let door: FrontDoor;
  let httpPort: number;
  let token: string;
  const stacks: ComposeStack[] = [];
  /** Seconds per step, printed as each ends and together at the end: where the test's time goes. */
  const steps: Record<string, number> = {};
  /** The uploaded image's address and the bytes the CMS serves for it (checked again after the restore). */
  let upload: { url: string; bytes: Buffer };

  /** Runs one step of the test, recording and printing its seconds. */
  async function step<T>(name: string, work: () => T | Promise<T>): Promise<T> {
    const started = Date.now();
    const result = await work();
    steps[name] = Math.round((Date.now() - started) / 100) / 10;
    log(`step "${name}": ${steps[name]} s`);
    return result;
  }

  /** Polls `url` through Caddy until `ok` holds; returns the seconds it took. */
  async function until(url: string, ok: (status: number, text: string) => boolean, timeoutMs = 300_000): Promise<number> {
    const started = Date.now();
    let last = '';
    while (Date.now() - started < timeoutMs) {
      const answer = await door.request(url, { headers: { 'accept-encoding': 'identity' } }).catch((error: Error) => ({
        status: 0,
        text: () => error.message,
      }));
      const text = answer.text();
      if (ok(answer.status, text)) return (Date.now() - started) / 1000;
      last = `HTTP ${answer.status} ${text.slice(0, 200)}`;
      await sleep(1000);
    }
    throw new Error(`${url} not as expected after ${timeoutMs / 1000} s; last answer: ${last}`);
  }

  async function login(): Promise<string> {
    const answer = await door.json(`${CMS}/admin/login`, {
      method: 'POST',
      body: { email: env.ADMIN_EMAIL, password: secrets.ADMIN_PASSWORD },
    });
    expect(answer.data?.token, 'the admin login answers with a token').toBeTruthy();
    return answer.data.token as string;
  }

  /** Boots `stack` and waits for its healthchecks; reads Caddy's CA for the front door. */
  async function up(target: ComposeStack): Promise<void> {
    await target.compose(['up', '-d'], { onLine: log });
    await target.waitHealthy(SERVICES);
    // Caddy makes its CA when it first issues the internal certificates, just after it starts.
    let ca = '';
    for (let attempt = 0; !ca.includes('BEGIN CERTIFICATE') && attempt < 30; attempt++) {
      if (attempt > 0) await sleep(1000);
      ca = await target.compose(['exec', '-T', 'caddy', 'cat', '/data/caddy/pki/authorities/local/root.crt']).catch(() => '');
    }
    door = new FrontDoor(Number(env.PUBLISH_HTTPS!.split(':').pop()), ca);
  }

  beforeAll(async () => {
    // COMPOSE_TEST_BUILD=no re-runs the test on the images already built (a working tree that others keep editing
    // would otherwise rebuild the CMS image); CI leaves it unset and builds (or finds built: the stand-ins by
    // their inputs' hash, the rest by Docker's cache).
    const build = process.env.COMPOSE_TEST_BUILD !== 'no';
    if (!build) log('COMPOSE_TEST_BUILD=no: the images already built are used');
    else figures.standIns = await step('local base images (stand-ins)', () => buildLocalImages());
    httpPort = await freePort();
    // The operator's first step, as docs/deployment.md gives it, where only Docker and the repository exist: a copy
    // of the repository's files (no node_modules, no build) and a PATH holding docker and nothing else (no node).
    const checkout = path.join(dir, 'checkout');
    mkdirSync(checkout);
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT });
    execFileSync('tar', ['--null', '-T', '-', '-cf', path.join(dir, 'checkout.tar')], { cwd: ROOT, input: files });
    execFileSync('tar', ['-xf', path.join(dir, 'checkout.tar'), '-C', checkout]);
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['docker', 'id', 'dirname'])
      symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
    const generated = spawnSync(
      '/bin/sh',
      [
        'scripts/ops/production-env.sh',
        ...['--site', SITE, '--cms', CMS, '--preview', PREVIEW, '--admin-email', 'admin@example.com', '--tls', 'internal'],
        ...['--publish-http', `127.0.0.1:${httpPort}`, '--publish-https', `127.0.0.1:${await freePort()}`],
        ...['--mailpit', `127.0.0.1:${await freePort()}`],
      ],
      { cwd: checkout, env: { PATH: bin, NODE_IMAGE: 'agency-local/node:24-bookworm-slim' }, encoding: 'utf8' },
    );
    log(`production-env.sh: ${generated.stdout}${generated.stderr}`.trim());
    expect(generated.status, generated.stderr).toBe(0);
    writeFileSync(envFile, readFileSync(path.join(checkout, '.env.production')));
    writeFileSync(backupKeyFileFor(envFile), readFileSync(backupKeyFileFor(path.join(checkout, '.env.production'))));
    env = readEnvFile(envFile);
    expect(env.SECRETS_DIR).toBe(path.join(checkout, 'secrets'));
    secrets = Object.fromEntries(
      Object.entries(COMPOSE_SECRETS).map(([file, name]) => [name, readFileSync(path.join(env.SECRETS_DIR!, file), 'utf8')]),
    );
    stack = new ComposeStack('agency-test', envFile);
    stacks.push(stack);
    // A stack left by an interrupted run would hold the ports and the volumes: start clean.
    await stack.compose(['down', '-v', '--remove-orphans']);
    if (build) await step('CMS and web images', () => buildStackImages(stack, log));
    await step('up: first boot (migrations, seed, first admin) to every service healthy', () => up(stack));
  }, 3_600_000);

  afterAll(async () => {
    for (const target of stacks) await target.compose(['down', '-v', '--remove-orphans']).catch((error: Error) => log(error.message));
    figures.images = await imageSizes([
      'agency/cms',
      'agency/web',
      'agency-local/node:24-bookworm-slim',
      'agency-local/postgres:15-bookworm',
      'agency-local/caddy:2',
      'agency-local/mailpit',
    ]);
    log(`figures: ${JSON.stringify(figures)}`);
    log(`steps (s): ${JSON.stringify(steps)}`);
  }, 300_000);

  it('serves the seeded article through Caddy, compressed, with the production headers, and HTTP → HTTPS', async () => {
    // The rebuild service builds once at start; the seed ran at the CMS's first boot.
    figures.firstBuildSeconds = await until(`${SITE}/articles/sales-vs-marketing/`, (status) => status === 200);
    for (const encoding of ['br', 'gzip']) {
      const answer = await door.request(`${SITE}/articles/sales-vs-marketing/`, { headers: { 'accept-encoding': encoding } });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBe(encoding);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.text()).toMatch(/<\/html>\s*$/);
    }
    const redirect = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port: httpPort, path: '/articles/sales-vs-marketing/', headers: { host: HOSTS.site } }, (response) => {
          response.resume();
          resolve(response);
        })
        .on('error', reject),
    );
    expect(redirect.statusCode).toBe(308);
    expect(redirect.headers.location).toBe(`${SITE}/articles/sales-vs-marketing/`);
  });

  it('has the first admin from the secrets, who logs in through the CMS host; a wrong password is refused', async () => {
    token = await login();
    const wrong = await door.request(`${CMS}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: env.ADMIN_EMAIL, password: `${secrets.ADMIN_PASSWORD}x` }),
    });
    expect(wrong.status).toBe(400);
  });

  /**
   * Whether `service`'s container reaches `host`:`port` over TCP ("open"), else why not (ENOTFOUND or EAI_AGAIN when
   * the name does not resolve on any network the container is on, ECONNREFUSED…). Node where the image has it;
   * Caddy's image has wget (the healthcheck's), Postgres's bash.
   */
  async function reach(service: string, host: string, port: number): Promise<string> {
    const probe: Record<string, string[]> = {
      // /_health: the CMS answers it without a redirect (its / redirects to the public address, unknown in here).
      caddy: ['sh', '-c', `wget -T 20 -t 1 -O /dev/null http://${host}:${port}/_health 2>&1; echo "exit $?"`],
      postgres: ['bash', '-c', `(exec 3<>/dev/tcp/${host}/${port}) 2>&1 && echo open || true`],
    };
    const node = [
      'node',
      '-e',
      `const s=require('net').connect(${port},'${host}');s.on('connect',()=>{console.log('open');process.exit(0)});` +
        `s.on('error',e=>{console.log(e.code);process.exit(0)});setTimeout(()=>{console.log('timeout');process.exit(0)},20000)`,
    ];
    const output = await stack.compose(['exec', '-T', service, ...(probe[service] ?? node)]);
    // wget connects and then fails on a non-HTTP answer or an error status: connected all the same.
    // (Debian's wget says "failed: Name or service not known", busybox's "bad address".)
    if (service === 'caddy') return /bad address|failed:|can't connect|Connection refused|timed out/i.test(output) ? output : 'open';
    return /^open$/m.test(output) ? 'open' : output;
  }

  it('lets each service reach only what it needs, tested from inside the containers', async () => {
    // from → [host, port, reachable]
    const matrix: Record<string, Array<[string, number, boolean]>> = {
      caddy: [
        ['cms', 1337, true],
        ['preview', 4323, true],
        ['postgres', 5432, false],
        ['rebuild', 4322, false],
      ],
      preview: [
        ['cms', 1337, true],
        ['postgres', 5432, false],
        ['rebuild', 4322, false],
      ],
      rebuild: [
        ['cms', 1337, true],
        ['postgres', 5432, false],
        ['preview', 4323, false],
        ['caddy', 443, false],
      ],
      cms: [
        ['postgres', 5432, true],
        ['rebuild', 4322, true],
      ],
      postgres: [
        ['rebuild', 4322, false],
        ['preview', 4323, false],
        ['caddy', 443, false],
      ],
      mailpit: [['postgres', 5432, false]],
    };
    // All at once: a name no network of the container knows can take Docker's DNS several seconds to give up on.
    const probes = Object.entries(matrix).flatMap(([from, targets]) =>
      targets.map(async ([host, port, reachable]) => {
        const answer = await reach(from, host, port);
        log(`${from} → ${host}:${port}: ${answer.replace(/\s+/g, ' ').trim()}`);
        return (answer === 'open') === reachable
          ? null
          : `${from} → ${host}:${port} ${reachable ? 'should be open' : 'should be shut'}: ${answer}`;
      }),
    );
    expect((await Promise.all(probes)).filter(Boolean)).toEqual([]);
  });

  it('runs every service as a non-root user with no capability and no way to gain one; secrets in files only', async () => {
    const values = Object.values(secrets).filter((value) => value.length >= 8);
    for (const service of SERVICES) {
      const status = await stack.compose(['exec', '-T', service, 'cat', '/proc/1/status']);
      const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim();
      expect(field('Uid')?.split(/\s+/)[0], `${service} runs as a non-root user`).not.toBe('0');
      expect(field('NoNewPrivs'), `${service} no-new-privileges`).toBe('1');
      for (const set of ['CapEff', 'CapPrm', 'CapBnd']) expect(field(set), `${service} ${set}`).toBe('0000000000000000');
      // No secret value in the container's environment (docker inspect), only the files' paths.
      const environment = await stack.inspect(await stack.container(service), '{{json .Config.Env}}');
      for (const value of values) expect(environment.includes(value), `${service}'s environment holds a secret`).toBe(false);
    }
    // Caddy, unprivileged, still serves 80 and 443 (the tests above went through them).
    const cmsEnvironment = await stack.inspect(await stack.container('cms'), '{{json .Config.Env}}');
    expect(cmsEnvironment).toContain('ADMIN_PASSWORD_FILE=/run/secrets/admin_password');
  });

  it('puts an article published through the admin API live within seconds', async () => {
    const article = sampleArticle('live-through-compose', 'Live through compose');
    const created = await door.json(`${CMS}${ARTICLES}`, { method: 'POST', token, body: article });
    const started = Date.now();
    await door.json(`${CMS}${ARTICLES}/${created.data.documentId}/actions/publish`, { method: 'POST', token, body: article });
    await until(`${SITE}/articles/live-through-compose/`, (status, text) => status === 200 && text.includes('Live through compose'));
    figures.publishToLiveSeconds = (Date.now() - started) / 1000;
    log(`publish → live through Caddy: ${figures.publishToLiveSeconds} s`);
    expect(figures.publishToLiveSeconds).toBeLessThan(120);
  });

  it('opens a draft through a signed preview link from the admin, and refuses the link once tampered with', async () => {
    const { documentId } = (await door.json(`${CMS}${ARTICLES}?filters[slug][$eq]=live-through-compose`, { token })).results[0];
    const form = (await door.json(`${CMS}${ARTICLES}/${documentId}`, { token })).data;
    await door.json(`${CMS}${ARTICLES}/${documentId}`, {
      method: 'PUT',
      token,
      body: { ...sampleArticle(form.slug, 'A draft only editors see') },
    });
    const link = (await door.json(`${CMS}/content-manager/preview/url/${UID.article}?documentId=${documentId}&status=draft`, { token }))
      .data.url;
    expect(new URL(link).origin).toBe(PREVIEW);
    const draft = await door.request(link);
    expect(draft.status).toBe(200);
    expect(draft.text()).toContain('A draft only editors see');
    const tampered = new URL(link);
    tampered.searchParams.set('status', 'published');
    expect((await door.request(tampered.href)).status).toBeGreaterThanOrEqual(400);
    // The site still shows the published version.
    expect(
      (await door.request(`${SITE}/articles/live-through-compose/`, { headers: { 'accept-encoding': 'identity' } })).text(),
    ).not.toContain('A draft only editors see');
  });

  it('delivers a consultation request posted through Caddy to the mail catcher (Mailpit’s API)', async () => {
    const posted = await door.request(`${CMS}/api/consultation-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE },
      body: JSON.stringify({
        data: {
          name: 'Ada Compose',
          email: 'ada@example.com',
          phone: '+44 20 7946 0000',
          preferredTime: 'Weekday mornings',
          message: 'Booked through the production stack.',
          consent: true,
        },
      }),
    });
    expect(posted.status, posted.text()).toBeLessThan(300);
    const mailbox = `http://${env.MAILPIT_PUBLISH}/api/v1/messages`;
    const started = Date.now();
    let subjects: string[] = [];
    while (Date.now() - started < 60_000) {
      const list = (await (await fetch(mailbox)).json()) as { messages: Array<{ Subject: string; To: Array<{ Address: string }> }> };
      subjects = list.messages
        .filter((message) => message.To.some((to) => to.Address === env.ADMIN_EMAIL))
        .map((message) => message.Subject);
      if (subjects.length > 0) break;
      await sleep(1000);
    }
    expect(subjects).toContain('Consultation request from Ada Compose');
  });

  it('accepts an image uploaded through the CMS host and serves it back', async () => {
    const boundary = `----agency${Date.now()}`;
    // A 1×1 PNG: an image, as editors upload.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="kept.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const uploaded = await door.request(`${CMS}/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(uploaded.status, uploaded.text()).toBe(201);
    const url: string = JSON.parse(uploaded.text())[0].url;
    // Strapi re-encodes an uploaded image (its size optimisation): the bytes it serves are what must survive.
    const bytes = (await door.request(`${CMS}${url}`)).body;
    expect(bytes.subarray(0, 8).equals(png.subarray(0, 8)), 'a PNG is served back').toBe(true);
    upload = { url, bytes };
  });

  it('brings a killed CMS back (restart policy), and a publish made meanwhile reaches the site', async () => {
    const before = await stack.restartCount('cms');
    const article = sampleArticle('published-while-cms-died', 'Published while the CMS died');
    const created = await door.json(`${CMS}${ARTICLES}`, { method: 'POST', token, body: article });
    await door.json(`${CMS}${ARTICLES}/${created.data.documentId}/actions/publish`, { method: 'POST', token, body: article });
    // SIGKILL from the host, as the OOM killer would: the rebuild it just triggered is left without a CMS.
    process.kill(await stack.hostPid('cms'), 'SIGKILL');
    const killed = Date.now();
    // Docker's restart first (its count goes up), then the healthcheck on the new process: waiting on health alone
    // could see the killed container's last "healthy" before Docker noticed the death.
    await stack.waitRestarted('cms', before);
    await stack.waitHealthy(['cms']);
    expect(await stack.restartCount('cms')).toBe(before + 1);
    figures.cmsBackSeconds = (Date.now() - killed) / 1000;
    await until(
      `${SITE}/articles/published-while-cms-died/`,
      (status, text) => status === 200 && text.includes('Published while the CMS died'),
    );
    figures.killToLiveSeconds = (Date.now() - killed) / 1000;
  });

  it('restores a backup taken from the containers into a fresh stack, whose content and uploads survive `down` and `up` (volumes)', async () => {
    // The running CMS holds no backup key: only the one-off backup and restore containers get the key file,
    // mounted read-only, as docs/deployment.md does it. Their user is `node` (uid 1000): it must read the key
    // and write the backups directory.
    expect(await stack.compose(['exec', '-T', 'cms', 'printenv'])).not.toMatch(/BACKUP/);
    const keyFile = backupKeyFileFor(envFile);
    chownSync(keyFile, 1000, 1000);
    const backups = mkdtempSync(path.join(tmpdir(), 'agency-backup-'));
    chownSync(backups, 1000, 1000);
    const oneOff = (script: string, ...args: string[]) => [
      'run',
      '-T',
      '--rm',
      '--no-deps',
      '-v',
      `${keyFile}:/run/secrets/backup-key:ro`,
      '-e',
      'BACKUP_KEY_FILE=/run/secrets/backup-key',
      '-v',
      `${backups}:/backups`,
      'cms',
      'node',
      `../scripts/ops/${script}`,
      ...args,
    ];
    await step('backup', () => stack.compose(oneOff('backup.ts', '--file', '/backups/cms'), { onLine: log }));
    expect(existsSync(path.join(backups, 'cms.tar.gz.gcm'))).toBe(true);
    await step('down -v (the first stack)', () => stack.compose(['down', '-v'], { onLine: log }));

    // A fresh install with the same env file and key file (the backup key must match) and empty volumes; its first
    // boot makes the first admin from the password file (admin users are not part of a backup).
    const fresh = new ComposeStack('agency-test-restore', envFile);
    stacks.push(fresh);
    await fresh.compose(['down', '-v', '--remove-orphans']);
    await step('up: a fresh stack (first boot) to every service healthy', () => up(fresh));
    await fresh.compose(['stop', 'cms'], { onLine: log });
    await step('restore', () => fresh.compose(oneOff('restore.ts', '--file', '/backups/cms.tar.gz.gcm'), { onLine: log }));
    // The restore took a snapshot of the fresh install's data first, beside the backup.
    expect(readdirSync(backups).filter((name) => name.startsWith('pre-restore-'))).toHaveLength(1);

    // The restart after the restore is a whole `down` and `up`: the rebuild service builds the restored content at
    // its start (as `up -d && restart rebuild` in docs/deployment.md would), and every volume must keep what it
    // holds. The first admin exists now: the operator empties the first password's secret file, and the CMS
    // starts without it.
    writeFileSync(path.join(env.SECRETS_DIR!, 'admin_password'), '');
    await step('down (keeping the volumes)', () => fresh.compose(['down'], { onLine: log }));
    await step('up: the restored stack again (volumes kept) to every service healthy', () => up(fresh));
    token = await login();
    // The uploaded image came back with the restore, and stayed in the uploads volume across `down` and `up`.
    expect((await door.request(`${CMS}${upload.url}`)).body.equals(upload.bytes), 'the uploaded image survives').toBe(true);
    await step('restored content live on the site', async () => {
      await until(`${SITE}/articles/live-through-compose/`, (status, text) => status === 200 && text.includes('Live through compose'));
      await until(
        `${SITE}/articles/published-while-cms-died/`,
        (status, text) => status === 200 && text.includes('Published while the CMS died'),
      );
    });
    // Two `up`s, a backup and a restore: on a loaded 2-core machine a first boot alone has taken 6 minutes.
  }, 1_800_000);
});
