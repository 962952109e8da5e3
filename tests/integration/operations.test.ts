// What an operator does with the production CMS, followed on ONE CMS started exactly as docker-compose.yml
// configures it (its environment and its secret files, tests/support/production-cms.ts), from its first start on an
// empty database: the first admin, its rebuild webhook, the seed, then a backup of its content and two restores.
// Six loads of Strapi, each one the proof needs (first-admin, compose and backup tests started nine before they
// shared this CMS): the first start, two restarts, the backup's export and the two restores.
//
// The first admin. The CMS is closed by default: in production nobody becomes the admin by being first. Without
// ADMIN_EMAIL / ADMIN_PASSWORD there is no admin and /admin/register-admin stays shut in every spelling Strapi's
// router would take; restarted as compose configures it (ADMIN_EMAIL, the admin_password secret file), the first
// admin is created and logs in, and the production CMS serves content with its limits and its rebuild webhook
// (every secret a file, none a value); restarted with the admin_password file emptied (what the compose file tells
// the operator to do) it still starts. The restarts also follow the rebuild webhook (from
// webhook-registration.test.ts, which reads it on the shared CMS): registered at the first start, still one and
// updated in place when the settings change, removed when REBUILD_URL is unset. Refusals are rules proved by unit
// tests: ADMIN_EMAIL without ADMIN_PASSWORD while no admin exists (cms/test/first-admin.test.ts), a weak
// ADMIN_PASSWORD (cms/test/settings.test.ts); security.test.ts boots the one real refused start.
// It is also the run's one first start whose seed a test follows (from seed.test.ts, which reads the seed on the
// shared CMSes, all copies of another first start): the first start seeded exactly the client's content and
// nothing more, the restart neither undoes an editor's published change nor brings back an article they deleted
// (the seed runs on the first start only), and `npm run seed` restores what is missing.
//
// Backups: export from this CMS, import into an empty database, same content; sealed with AES-256-GCM under a key
// read from a file; a restore verifies the whole backup before the database is touched (a flipped byte or a wrong
// key changes nothing) and takes a snapshot of the data it replaces first; an older backup encrypted by Strapi
// itself (aes-128-ecb) still restores, with a warning. The first restore goes into an empty SQLite database no CMS
// has started on (the restore's own load of Strapi is its first start; read back row by row), the second, of the
// older backup, into this CMS's own database (stopped, as a restore asks), and the restart after it is the restored
// CMS read over GraphQL: it serves what the CMS served when it was backed up. The older backup is the same export
// encrypted by Strapi's own cipher code, in this process: that format was never more than Strapi's
// `export --key` applied to the same .tar.gz. "The data is unchanged" after a refused restore is the target's
// database file, byte for byte, and "refused before anything ran" is the run counter: no Strapi started.
// One production database, Postgres when the run has it (what production runs on), SQLite otherwise.
// @test-lane: own
import { createHash, type Cipheriv } from 'node:crypto';
import {
  appendFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArticleSchema,
  AuthorSchema,
  ConsultationCtaSchema,
  PAGE_SIZE,
  SITE_CONTENT_QUERY,
  SiteSettingsSchema,
  TopicSchema,
  UID,
  parseEntry,
  type SiteContentResult,
} from '@agency/shared';
import { run } from '../../scripts/common/children.ts';
import { CMS_DIR, ROOT } from '../../scripts/common/paths.ts';
import { countRun, RUN_COUNTS_ENV } from '../../scripts/common/run-counts.ts';
import { decryptBackup } from '../../scripts/ops/backup-file.ts';
import { COMPOSE_SECRETS } from '../../scripts/ops/production-env.ts';
import { CmsAdmin, withoutSystemFields } from '../../scripts/stack/cms-admin.ts';
import { cmsBuildIsCurrent } from '../../scripts/stack/cms-runner.ts';
import { generatedSecrets } from '../../scripts/stack/env-file.ts';
import { sampleArticle, TestCms, type GraphqlResponse } from '../support/cms.ts';
import { createTestDatabase, DATABASES, type TestDatabase } from '../support/databases.ts';
import { asKitParagraphs, kitParagraphs } from '../support/kit.ts';
import { productionEnv, type ProductionEnv } from '../support/production-cms.ts';
import { ownPublicDir, type PublicDir } from '../support/public-dir.ts';

const EMAIL = 'ops@example.com';
const PASSWORD = 'Wq7-first-Boss-Zk3x';
const HOOK_URL = 'http://127.0.0.1:4999/hooks/strapi';
const NEW_HOOK_URL = 'http://127.0.0.1:5000/hooks/strapi';
const KEY = 'a-backup-key-for-the-test-0123456789';
/** The article the first admin writes after deleting the seeded one: the content the backup carries. */
const BACKED_UP = 'worth-backing-up';

const json = { 'content-type': 'application/json' };
/** A test that starts Strapi (a restart, `npm run seed`, a backup, a restore) gets a hook's time limit (vitest.config.ts): boots are slow on a busy machine. */
const STARTS_STRAPI = 300_000;
/** A restore on a 2-core machine that other test runs load too has taken minutes. */
const RESTORES = 1_800_000;

const database = DATABASES.includes('postgres') ? 'postgres' : 'sqlite';
const script = (name: string) => path.join(ROOT, 'scripts', 'ops', name);

async function siteContent(cms: TestCms) {
  const response = await cms.graphql<SiteContentResult>(SITE_CONTENT_QUERY, { pageSize: PAGE_SIZE });
  expect(response.errors).toBeUndefined();
  return response.data!;
}

/** The site's content as the public GraphQL API serves it from the CMS at `url`. */
async function publishedContent(url: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ query: SITE_CONTENT_QUERY, variables: { pageSize: PAGE_SIZE } }),
  });
  const body = (await response.json()) as GraphqlResponse<SiteContentResult>;
  expect(body.errors).toBeUndefined();
  return body.data!;
}

const titleOf = (content: SiteContentResult) => (content.articles_connection.nodes[0] as { title: string }).title;
const slugsOf = (content: SiteContentResult) => content.articles_connection.nodes.map((node) => (node as { slug: string }).slug);

async function login(cms: TestCms, email: string, password: string) {
  return cms.rest('/admin/login', { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
}

/** The rebuild webhooks the admin lists (as the first admin, `editor`). */
async function rebuildWebhooks(editor: CmsAdmin) {
  const list = await editor.request('GET', '/admin/webhooks');
  return (list.data as Array<{ name: string; url: string; headers: Record<string, string> }>).filter((hook) =>
    /^Site rebuild/.test(hook.name),
  );
}

/** Runs `step`, printing how long it took (the report's figures). */
async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await step();
  } finally {
    console.log(`[operations] ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Every file of an SQLite database (the file, and a journal if there is one), hashed: equal means untouched. */
function fingerprint(file: string): string {
  const hash = createHash('sha256');
  const dir = path.dirname(file);
  for (const name of readdirSync(dir).sort()) {
    if (!name.startsWith(path.basename(file))) continue;
    hash.update(`${name}\0`);
    hash.update(readFileSync(path.join(dir, name)));
  }
  return hash.digest('hex');
}

/**
 * Encrypts a plain export (.tar.gz) into `target` exactly as `strapi export --key` did for the backups made before
 * our format: Strapi's own cipher code (@strapi/data-transfer, the CMS's copy), over the compressed archive.
 */
async function strapiLegacyEncrypt(plain: string, target: string, key: string): Promise<void> {
  const { utils } = createRequire(path.join(CMS_DIR, 'package.json'))('@strapi/data-transfer') as {
    utils: { encryption: { createEncryptionCipher: (key: string, algorithm?: string) => Cipheriv } };
  };
  await pipeline(createReadStream(plain), utils.encryption.createEncryptionCipher(key, 'aes-128-ecb'), createWriteStream(target));
}

type ArticleRow = { documentId: string; slug: string; title: string; intro: string; published: boolean };

/** Every article row (drafts and published versions) in a database, read directly: no CMS started. */
async function articleRows(database: TestDatabase): Promise<ArticleRow[]> {
  const sql =
    'SELECT document_id AS "documentId", slug, title, intro, published_at IS NOT NULL AS published FROM articles ' +
    'ORDER BY document_id, published_at IS NOT NULL';
  let rows: ArticleRow[];
  if (database.kind === 'sqlite') {
    const db = new Database(database.file!, { readonly: true });
    try {
      rows = db.prepare(sql).all() as ArticleRow[];
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await client.connect();
    try {
      rows = (await client.query<ArticleRow>(sql)).rows;
    } finally {
      await client.end();
    }
  }
  return rows.map((row) => ({ ...row, published: Boolean(row.published) }));
}

/** Sets an article's title in every row of it (draft and published), directly in an SQLite database: no CMS started. */
function setTitleInDatabase(file: string, slug: string, title: string): void {
  const db = new Database(file);
  try {
    expect(db.prepare('UPDATE articles SET title = ? WHERE slug = ?').run(title, slug).changes).toBeGreaterThan(0);
  } finally {
    db.close();
  }
}

/**
 * Runs `step` with its own run-count file, so the Strapi starts the scripts it runs make are counted for it alone
 * (scripts/common/run-counts.ts: each `strapi export`, and each restore, appends a line). The lines are then added to
 * the run's file, so the time report still shows them. Returns the step's result and how many Strapis it started.
 */
async function countingStarts<T>(step: (counts: Record<string, string>) => Promise<T>): Promise<{ result: T; starts: number }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'agency-backup-counts-')), 'counts.jsonl');
  try {
    const result = await step({ [RUN_COUNTS_ENV]: file });
    const lines = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const run = process.env[RUN_COUNTS_ENV];
    if (run && lines) appendFileSync(run, lines);
    return { result, starts: lines.split('\n').filter((line) => line.includes('"strapi-boot"')).length };
  } finally {
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

describe(`the production CMS from its first start, as compose configures it, backed up and restored (${database})`, () => {
  let cms: TestCms;
  /** Its database, named to the CMS by host, port and name as compose names it (Postgres), or its SQLite file. */
  let own: TestDatabase;
  let production: ProductionEnv;
  /**
   * The first admin in the admin API (cms.editor knows only the variables: the password is in a file here). One
   * client, signed in once: Strapi limits admin logins per address, and its token outlives the restarts.
   */
  let editor: CmsAdmin;
  /** The secrets compose would mount as files (by variable name). */
  const secrets: Record<string, string> = {
    ...generatedSecrets(),
    DATABASE_PASSWORD: 'db-password-0123456789',
    ADMIN_EMAIL: EMAIL,
    ADMIN_PASSWORD: PASSWORD,
    WEBHOOK_TOKEN: 'prod-token-0123456789',
  };

  const dir = mkdtempSync(path.join(tmpdir(), 'agency-backup-'));
  const keys = mkdtempSync(path.join(tmpdir(), 'agency-backup-keys-'));
  const keyFile = path.join(keys, 'backup-key');
  const wrongKeyFile = path.join(keys, 'wrong-key');
  writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
  writeFileSync(wrongKeyFile, 'not-the-key-0123456789\n', { mode: 0o600 });
  const snapshots = () => readdirSync(dir).filter((name) => name.startsWith('pre-restore-'));
  const ops = (env: Record<string, string>, name: string, args: string[], keyPath = keyFile) =>
    run(process.execPath, [script(name), ...args], { cwd: ROOT, env: { ...env, BACKUP_KEY_FILE: keyPath } });
  /** `ops`, counting the Strapis it started (a refusal must start none). */
  const countedOps = (env: Record<string, string>, name: string, args: string[], keyPath = keyFile) =>
    countingStarts((counts) => ops({ ...env, ...counts }, name, args, keyPath));
  /** The empty database the first restore goes to (no CMS started on it), with settings of its own (as a new install has). */
  let target: TestDatabase | undefined;
  let targetEnv: Record<string, string>;
  let targetPublic: PublicDir | undefined;
  /** What the CMS published when it was backed up, and its article rows then: what a restore must bring back. */
  let before: SiteContentResult;
  let backedUp: ArticleRow[];

  beforeAll(async () => {
    own = await createTestDatabase(database);
    // Before the first admin is set: no ADMIN_EMAIL, an empty admin_password file.
    production = await productionEnv({ ...secrets, ADMIN_PASSWORD: '' }, own);
    cms = await TestCms.boot({
      database,
      fresh: true,
      env: { ...production.env, ADMIN_EMAIL: '', REBUILD_URL: HOOK_URL },
    });
  });
  afterAll(async () => {
    await cms?.destroy();
    await own?.drop();
    production?.remove();
    await target?.drop();
    targetPublic?.remove();
    rmSync(dir, { recursive: true, force: true });
    rmSync(keys, { recursive: true, force: true });
  });

  it('without ADMIN_EMAIL / ADMIN_PASSWORD has no admin, and keeps /admin/register-admin shut, however it is written: 403 saying how the first admin is made', async () => {
    expect((await cms.rest('/admin/init')).body.data.hasAdmin).toBe(false);
    // Strapi's router takes the first four for the route itself (case, a trailing slash); the guard takes more.
    for (const path of [
      '/admin/register-admin',
      '/admin/register-admin/',
      '/ADMIN/register-admin',
      '/Admin/Register-Admin/',
      '/admin//register-admin',
      '/%61dmin/register-admin',
    ]) {
      const register = await cms.rest(path, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'first@example.com', password: 'Fr3shGuess0fMine', firstname: 'First', lastname: 'Comer' }),
      });
      expect(register.status, path).toBe(403);
      expect(register.body.error.message).toMatch(/Registration is closed in production.*ADMIN_EMAIL and ADMIN_PASSWORD/);
    }
    expect((await cms.rest('/admin/init')).body.data.hasAdmin).toBe(false);
  });

  it(
    'creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, who can log in; nobody can register one',
    async () => {
      // The first start registered the rebuild webhook (read in its log: the admin API needs an admin).
      expect(
        cms.output.filter((line) => line.includes(`Rebuild webhook → ${HOOK_URL}`)),
        "the first start's log",
      ).toHaveLength(1);
      // Now exactly as compose configures it: ADMIN_EMAIL from the env file, the password in its secret file.
      cms.env.ADMIN_EMAIL = EMAIL;
      production.writeSecret('ADMIN_PASSWORD', PASSWORD);
      // The operator moves the rebuild service at the same time (the webhook test below), with a new token file.
      cms.env.REBUILD_URL = NEW_HOOK_URL;
      production.writeSecret('WEBHOOK_TOKEN', 'second-token-0123456789');
      await cms.restart();
      expect((await cms.rest('/admin/init')).body.data.hasAdmin).toBe(true);
      const signedIn = await login(cms, EMAIL, PASSWORD);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.data.user.email).toBe(EMAIL);
      expect(typeof signedIn.body.data.token).toBe('string');

      const register = await cms.rest('/admin/register-admin', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'first@example.com', password: 'Fr3shGuess0fMine', firstname: 'First', lastname: 'Comer' }),
      });
      expect(register.status).toBe(403);
      expect(register.body.error.message).toMatch(/first admin is created at boot from ADMIN_EMAIL and ADMIN_PASSWORD/);
    },
    STARTS_STRAPI,
  );

  it(`starts in production mode on ${database} with real secrets: published content, no introspection, its rebuild webhook`, async () => {
    // Every secret reaches the CMS as a file's path (NAME_FILE), none as a value.
    for (const name of Object.values(COMPOSE_SECRETS)) expect(Object.values(cms.env), name).not.toContain(secrets[name]);
    expect(cms.env.NODE_ENV).toBe('production');
    const articles = await cms.graphql<{ articles: Array<{ slug: string }> }>('{ articles { slug } }');
    expect(articles.data?.articles.map((a) => a.slug)).toEqual(['sales-vs-marketing']);
    expect((await cms.graphql('{ __schema { queryType { name } } }')).errors?.[0]?.message).toMatch(/introspection/i);

    // Registration is shut in production: the first admin was created at boot from ADMIN_EMAIL and the
    // admin_password secret file, and logs in with it (TestCms's own client knows only variables, blank here).
    const register = await cms.rest('/admin/register-admin', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'ops@example.com', password: 'Operat0rPassword!', firstname: 'Ops', lastname: 'Person' }),
    });
    expect(register.status).toBe(403);
    editor = new CmsAdmin(cms.url, { email: secrets.ADMIN_EMAIL!, password: secrets.ADMIN_PASSWORD! });
    expect((await rebuildWebhooks(editor)).map((hook) => hook.url)).toEqual([cms.env.REBUILD_URL]);
  });

  it('turns off GraphQL introspection and the sandbox landing page', async () => {
    const introspection = await cms.graphql('{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection is not allowed/i);

    const page = await fetch(`${cms.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await page.text()).not.toMatch(/<html/i);
  });

  it('still serves published content', async () => {
    const response = await cms.graphql<{ articles: Array<{ slug: string }> }>('{ articles { slug } }');
    expect(response.data?.articles.map((a) => a.slug)).toEqual(['sales-vs-marketing']);
  });

  it('seeded exactly the client’s content at its first start: the article, the agency as its author, three topics', async () => {
    const data = await siteContent(cms);
    expect(data.articles_connection.pageInfo.total).toBe(1);
    const article = parseEntry(ArticleSchema, data.articles_connection.nodes[0], 'seeded article');
    expect(article.slug).toBe('sales-vs-marketing');
    expect(asKitParagraphs(article, parseEntry(ConsultationCtaSchema, data.consultationCta, 'seeded CTA'))).toEqual(kitParagraphs());
    expect(data.authors_connection.nodes.map((raw) => parseEntry(AuthorSchema, raw, 'an author').slug)).toEqual(['branding-agency']);
    expect(data.topics_connection.pageInfo.total).toBe(3);
    expect(data.topics_connection.nodes.map((raw) => parseEntry(TopicSchema, raw, 'a topic').name)).toEqual([
      'Marketing',
      'Sales',
      'Strategy',
    ]);
    const authors = await cms.rest('/api/authors?populate=articles');
    expect(authors.status).toBe(200);
    expect(
      authors.body.data.map((a: { slug: string; articles: Array<{ slug: string }> }) => [a.slug, a.articles.map((x) => x.slug)]),
    ).toEqual([['branding-agency', ['sales-vs-marketing']]]);
  });

  it('registers the rebuild webhook in production mode too, with a localhost URL (the admin would refuse one), once across boots, updated in place when its settings change', async () => {
    // Registered at the first boot (its log, above), then booted again with another URL and token: still exactly
    // one, with the new settings.
    const hooks = await rebuildWebhooks(editor);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ url: NEW_HOOK_URL, headers: { Authorization: 'Bearer second-token-0123456789' } });
  });

  it('lets the first admin publish a change to the seeded Global and delete the seeded article (for the restart below)', async () => {
    // As in the admin panel.
    const global = `/content-manager/single-types/${UID.global}`;
    const draft = withoutSystemFields((await editor.request('GET', global)).data as Record<string, unknown>);
    await editor.request('POST', `${global}/actions/publish`, { ...draft, siteName: 'An editor’s site name' });
    await editor.deleteArticle((await editor.findArticle('sales-vs-marketing')).documentId);
    const data = await siteContent(cms);
    expect(parseEntry(SiteSettingsSchema, data.global, 'global').siteName).toBe('An editor’s site name');
    expect(data.articles_connection.pageInfo.total).toBe(0);
  });

  it(
    `restores an AES-256-GCM backup of ${database === 'postgres' ? 'Postgres' : 'SQLite'} content into an empty SQLite database, after a snapshot`,
    async () => {
      // Content worth a backup, written through the admin: an article of the first admin's, published.
      const documentId = await editor.createArticle(sampleArticle(BACKED_UP, 'A title'), { publish: true });
      await editor.saveDraft(documentId, { title: 'Title worth backing up' });
      await editor.publish(documentId);
      before = await publishedContent(cms.url);
      expect(slugsOf(before)).toEqual([BACKED_UP]);

      // strapi export loads the CMS as built (cms/dist), as strapi start does: it no longer compiles and rewrites it.
      const built = path.join(CMS_DIR, 'dist', 'src', 'index.js');
      expect(cmsBuildIsCurrent(), 'cms/dist is the build of the current sources (npm run build:cms before vitest)').toBe(true);
      const builtAt = statSync(built).mtimeMs;
      // With the CMS's own environment, as compose's one-off backup container has it.
      const backup = await timed('npm run backup (strapi export, sealed)', () =>
        countedOps(cms.env, 'backup.ts', ['--file', path.join(dir, 'nightly')]),
      );
      expect(backup.result.output).toContain(`Backup written: ${path.join(dir, 'nightly.tar.gz.gcm')}`);
      expect(backup.result.code).toBe(0);
      expect(backup.starts, 'npm run backup starts one Strapi: its export').toBe(1);
      expect(statSync(built).mtimeMs, 'cms/dist after npm run backup (compiled again: the export type-checked and emitted the CMS)').toBe(
        builtAt,
      );
      // Our format (magic and version), and nothing unencrypted left beside it.
      expect(readFileSync(path.join(dir, 'nightly.tar.gz.gcm')).subarray(0, 9).toString('latin1')).toBe('AGENCYBK\x01');
      expect(readdirSync(dir)).toEqual(['nightly.tar.gz.gcm']);
      backedUp = await articleRows(own);
      expect(backedUp.map((row) => [row.slug, row.title, row.published])).toEqual([
        [BACKED_UP, 'Title worth backing up', false],
        [BACKED_UP, 'Title worth backing up', true],
      ]);

      target = await createTestDatabase('sqlite');
      targetPublic = ownPublicDir();
      targetEnv = {
        ...(process.env as Record<string, string>),
        ...generatedSecrets(),
        ...target.env,
        // A restore empties the uploads/ it imports into: the target's own, never the checkout's (other files run beside).
        ...targetPublic.env,
        NODE_ENV: 'development',
        SEED_ON_START: 'false',
      };
      expect(existsSync(target.file!), 'the target database is empty (no file) before the restore').toBe(false);

      const restore = await timed('npm run restore (verify, snapshot, strapi import)', () =>
        countedOps(targetEnv, 'restore.ts', ['--file', path.join(dir, 'nightly.tar.gz.gcm')]),
      );
      expect(restore.result.output).toContain('Restored');
      expect(restore.result.output).toMatch(/The data it replaced is in .*pre-restore-\d{8}T\d{6}\.tar\.gz\.gcm\./);
      expect(restore.result.code).toBe(0);
      expect(restore.starts, "a restore loads Strapi once, for the snapshot's export and the import").toBe(1);
      expect(snapshots()).toHaveLength(1);

      // Every article row (drafts and published) as the CMS had it when backed up, read from the target's database
      // (a CMS started on a restored database and read over GraphQL: the restart after the second restore, below).
      expect(await articleRows(target)).toEqual(backedUp);
    },
    RESTORES,
  );

  it('refuses a backup with one flipped byte, or a wrong key, before touching the data', async () => {
    // The restored target changed since (as if edited there), so a restore that ran anyway would show.
    setTitleInDatabase(target!.file!, BACKED_UP, 'Edited after the restore');
    const bytes = readFileSync(path.join(dir, 'nightly.tar.gz.gcm'));
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(path.join(dir, 'tampered.tar.gz.gcm'), bytes);
    // No CMS runs on the target (npm run restore: "Stop npm start first"); its database as it is now.
    const untouched = fingerprint(target!.file!);

    const tampered = await timed('a flipped byte refused', () =>
      countedOps(targetEnv, 'restore.ts', ['--file', path.join(dir, 'tampered.tar.gz.gcm')]),
    );
    expect(tampered.result.code).toBe(1);
    expect(tampered.result.output).toContain(
      `Restore refused: ${path.join(dir, 'tampered.tar.gz.gcm')} was changed or damaged after it was written: its authentication tag does not match its contents. Nothing was restored and the database is unchanged`,
    );

    const wrongKey = await countedOps(targetEnv, 'restore.ts', ['--file', path.join(dir, 'nightly.tar.gz.gcm')], wrongKeyFile);
    expect(wrongKey.result.code).toBe(1);
    expect(wrongKey.result.output).toContain('Restore refused: the key in BACKUP_KEY_FILE is not the one');

    // Refused before anything ran: no Strapi started (not even the snapshot's export, so no snapshot); and the
    // database is byte for byte as it was.
    expect(tampered.starts + wrongKey.starts, 'Strapis started by two refused restores').toBe(0);
    expect(snapshots()).toHaveLength(1);
    expect(fingerprint(target!.file!), "the target's database after two refused restores").toBe(untouched);
  }, 400_000);

  it(
    'still restores an older backup encrypted by Strapi (aes-128-ecb), with a warning, after a snapshot',
    async () => {
      // Made as npm run backup made them before: Strapi's own encryption (its code, here) over the same export.
      const plain = path.join(keys, 'nightly.tar.gz');
      await decryptBackup(path.join(dir, 'nightly.tar.gz.gcm'), plain, KEY);
      await strapiLegacyEncrypt(plain, path.join(dir, 'legacy.tar.gz.enc'), KEY);
      rmSync(plain);
      // The CMS's content changed since it was backed up (edited in the admin), so the snapshot has something to
      // tell apart; then it is stopped, as a restore asks (npm run restore: "Stop npm start first").
      const { documentId } = await editor.findArticle(BACKED_UP);
      await editor.saveDraft(documentId, { title: 'Edited after the backup' });
      await editor.publish(documentId);
      expect(titleOf(await publishedContent(cms.url))).toBe('Edited after the backup');
      await cms.stop();

      // Into the CMS's own database, with its own (compose's) environment.
      const restore = await timed('npm run restore of an older backup', () =>
        countedOps(cms.env, 'restore.ts', ['--file', path.join(dir, 'legacy.tar.gz.enc')]),
      );
      expect(restore.result.output).toContain(
        'Warning: legacy.tar.gz.enc is an older backup, encrypted by Strapi with aes-128-ecb, which cannot prove that it is unchanged',
      );
      expect(restore.result.output).toContain('Restored');
      expect(restore.result.code).toBe(0);
      expect(restore.starts, "the snapshot's export and the import, in one load of Strapi").toBe(1);

      // The snapshot holds the data the restore replaced (the admin's edit), sealed like any backup.
      const snapshot = /The data it replaced is in (\S+\.tar\.gz\.gcm)\./.exec(restore.result.output)![1]!;
      const opened = path.join(keys, 'snapshot.tar.gz');
      await decryptBackup(snapshot, opened, KEY);
      const tar = gunzipSync(readFileSync(opened)).toString('latin1');
      expect(tar).toContain('Edited after the backup');
      expect(tar).not.toContain('Title worth backing up');

      // The older backup's content is back: every article row (drafts and published) as the CMS had it when
      // backed up, read from its database (and served over GraphQL after the restart below).
      const restored = await articleRows(own);
      expect(restored).toEqual(backedUp);
      expect(restored.map((row) => row.title)).toEqual(['Title worth backing up', 'Title worth backing up']);
      // One Strapi process (the snapshot's export and the import): the legacy file needs no export of its own.
    },
    RESTORES,
  );

  it(
    'needs ADMIN_PASSWORD only until the first admin exists: restarted without it, the CMS starts and the admin logs in',
    async () => {
      // The operator empties the admin_password secret file once the admin exists (as docker-compose.yml says), and
      // stops rebuilding the site on publish (the last test).
      production.writeSecret('ADMIN_PASSWORD', '');
      delete cms.env.REBUILD_URL;
      await cms.restart();
      const signedIn = await login(cms, EMAIL, PASSWORD);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.data.token).toBeTruthy();
    },
    STARTS_STRAPI,
  );

  it('serves over GraphQL, restarted on its restored database, what it served when it was backed up', async () => {
    const after = await publishedContent(cms.url);
    expect(after).toEqual(before);
    expect(titleOf(after)).toBe('Title worth backing up');
  });

  it('keeps the editor’s published change across the restart, and does not bring back the deleted article', async () => {
    const data = await siteContent(cms);
    expect(parseEntry(SiteSettingsSchema, data.global, 'global').siteName).toBe('An editor’s site name');
    // The seeded article stays deleted: only the first admin's own.
    expect(slugsOf(data)).toEqual([BACKED_UP]);
  });

  it(
    '`npm run seed` restores what is missing, and keeps what is there',
    async () => {
      // The seed loads Strapi as a start does (createStrapi().load()), beside the running CMS: it counts as the
      // boot it costs. cms/scripts/seed.mts cannot count itself (the CMS image has no scripts/common).
      countRun('strapi-boot');
      const seeded = await run(process.execPath, [path.join(CMS_DIR, 'scripts', 'seed.mts')], { cwd: CMS_DIR, env: cms.env });
      expect(seeded.output).toContain('created article "sales-vs-marketing"');
      expect(seeded.output).toContain(
        'kept author "branding-agency", topic "sales", topic "marketing", topic "strategy", consultation CTA, global settings',
      );
      expect(seeded.code, seeded.output).toBe(0);

      const data = await siteContent(cms);
      const node = data.articles_connection.nodes.find((raw) => (raw as { slug: string }).slug === 'sales-vs-marketing');
      const restored = parseEntry(ArticleSchema, node, 'restored article');
      // Linked again to the author and topics that were kept.
      expect(restored.author?.slug).toBe('branding-agency');
      expect(restored.topics.map((topic) => topic.slug)).toEqual(['marketing', 'sales', 'strategy']);
      expect(asKitParagraphs(restored, parseEntry(ConsultationCtaSchema, data.consultationCta, 'CTA'))).toEqual(kitParagraphs());
      // What was there stays as the editor left it.
      expect(parseEntry(SiteSettingsSchema, data.global, 'global').siteName).toBe('An editor’s site name');
      expect(slugsOf(data).sort()).toEqual([BACKED_UP, 'sales-vs-marketing'].sort());
    },
    STARTS_STRAPI,
  );

  it('removes the rebuild webhook when REBUILD_URL is unset (the restart above)', async () => {
    expect(await rebuildWebhooks(editor)).toHaveLength(0);
  });

  it('refuses without a key file, never overwrites an existing backup, and refuses a restore whose snapshot cannot be written', async () => {
    const missingKey = path.join(keys, 'nowhere');
    const noKey = await countedOps(cms.env, 'backup.ts', ['--file', path.join(dir, 'other')], missingKey);
    expect(noKey.result.code).toBe(1);
    expect(noKey.result.output).toContain(`Backup refused: BACKUP_KEY_FILE: there is no key file at ${missingKey}.`);
    expect(existsSync(missingKey)).toBe(false);

    const again = await countedOps(cms.env, 'backup.ts', ['--file', path.join(dir, 'nightly')]);
    expect(again.result.code).toBe(1);
    expect(again.result.output).toContain('already exists');

    const missing = await countedOps(targetEnv, 'restore.ts', ['--file', path.join(dir, 'nope.tar.gz.gcm')]);
    expect(missing.result.code).toBe(1);
    expect(missing.result.output).toContain('No backup at');

    writeFileSync(path.join(dir, 'notes.txt'), 'not a backup');
    const notBackup = await countedOps(targetEnv, 'restore.ts', ['--file', path.join(dir, 'notes.txt')]);
    expect(notBackup.result.code).toBe(1);
    expect(notBackup.result.output).toContain('is not a backup made by npm run backup');

    // A snapshot that could not be written (its directory is under a file): refused before the backup is even
    // decrypted, rather than after a load of Strapi and an export.
    const nowhere = path.join(dir, 'notes.txt', 'snapshots');
    const noSnapshot = await countedOps(targetEnv, 'restore.ts', [
      '--file',
      path.join(dir, 'nightly.tar.gz.gcm'),
      '--snapshot-dir',
      nowhere,
    ]);
    expect(noSnapshot.result.code).toBe(1);
    expect(noSnapshot.result.output).toContain(
      `Restore refused: the snapshot of the current data cannot be written into ${nowhere} (ENOTDIR): make it writable, or choose another with --snapshot-dir. Nothing was restored.`,
    );

    // Each refused before Strapi started.
    expect(noKey.starts + again.starts + missing.starts + notBackup.starts + noSnapshot.starts, 'Strapis started by five refusals').toBe(0);
  });
});
