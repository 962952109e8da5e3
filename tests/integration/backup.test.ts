// Backups: export from one database, import into an empty one (Postgres when available), same content; sealed
// with AES-256-GCM under a key read from a file; a restore verifies the whole backup before the database is
// touched (a flipped byte or a wrong key changes nothing) and takes a snapshot of the data it replaces first;
// an older backup encrypted by Strapi itself (aes-128-ecb) still restores, with a warning.
//
// Every Strapi this file starts is one the proof needs (5, was 7): the source CMS (edited through the admin, then
// read), the backup's export, each restore (its snapshot's export and its import share one load of Strapi:
// scripts/ops/restore-worker.ts), and the restored CMS read once over GraphQL. The older (aes-128-ecb) backup is
// the same export encrypted by Strapi's own cipher code, in this process: that format was never more than
// Strapi's `export --key` applied to the same .tar.gz. After the second restore the target's database is read
// directly. The empty target is a database no CMS has started on (the restore's own load of Strapi is its first
// start); "the data is unchanged" after a refused restore is the source's database file, byte for byte, and
// "refused before anything ran" is the run counter: no Strapi started.
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
import { afterAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE, SITE_CONTENT_QUERY, type SiteContentResult } from '@agency/shared';
import { run } from '../../scripts/common/children.ts';
import { CMS_DIR, ROOT } from '../../scripts/common/paths.ts';
import { RUN_COUNTS_ENV } from '../../scripts/common/run-counts.ts';
import { decryptBackup } from '../../scripts/ops/backup-file.ts';
import { cmsBuildIsCurrent, startCms, type RunningCms } from '../../scripts/stack/cms-runner.ts';
import { generatedSecrets } from '../../scripts/stack/env-file.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { TestCms, type GraphqlResponse } from '../support/cms.ts';
import { createTestDatabase, DATABASES, type TestDatabase } from '../support/databases.ts';
import { ownPublicDir, type PublicDir } from '../support/public-dir.ts';

const KEY = 'a-backup-key-for-the-test-0123456789';
const script = (name: string) => path.join(ROOT, 'scripts', 'ops', name);

/** The site's content as the public GraphQL API serves it from the CMS at `url`. */
async function publishedContent(url: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: SITE_CONTENT_QUERY, variables: { pageSize: PAGE_SIZE } }),
  });
  const body = (await response.json()) as GraphqlResponse<SiteContentResult>;
  expect(body.errors).toBeUndefined();
  return body.data!;
}

const titleOf = (content: SiteContentResult) => (content.articles_connection.nodes[0] as { title: string }).title;

/** Runs `step`, printing how long it took (the report's figures). */
async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await step();
  } finally {
    console.log(`[backup] ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Whether a database holds anything at all: an SQLite file that exists, or a Postgres table. */
async function isEmpty(database: TestDatabase): Promise<boolean> {
  if (database.kind === 'sqlite') return !existsSync(database.file!);
  const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema = 'public'`);
    return rows[0].tables === 0;
  } finally {
    await client.end();
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

/** Sets an article's title in every row of it (draft and published), directly in the database: no CMS started. */
async function setTitleInDatabase(database: TestDatabase, slug: string, title: string): Promise<void> {
  if (database.kind === 'sqlite') {
    const db = new Database(database.file!);
    try {
      expect(db.prepare('UPDATE articles SET title = ? WHERE slug = ?').run(title, slug).changes).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
  await client.connect();
  try {
    expect((await client.query('UPDATE articles SET title = $1 WHERE slug = $2', [title, slug])).rowCount).toBeGreaterThan(0);
  } finally {
    await client.end();
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

describe('npm run backup / npm run restore', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-backup-'));
  const keys = mkdtempSync(path.join(tmpdir(), 'agency-backup-keys-'));
  const keyFile = path.join(keys, 'backup-key');
  const wrongKeyFile = path.join(keys, 'wrong-key');
  writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
  writeFileSync(wrongKeyFile, 'not-the-key-0123456789\n', { mode: 0o600 });
  const targetKind = DATABASES.includes('postgres') ? 'postgres' : 'sqlite';
  const snapshots = () => readdirSync(dir).filter((name) => name.startsWith('pre-restore-'));
  const ops = (env: Record<string, string>, name: string, args: string[], keyPath = keyFile) =>
    run(process.execPath, [script(name), ...args], { cwd: ROOT, env: { ...env, BACKUP_KEY_FILE: keyPath } });
  /** `ops`, counting the Strapis it started (a refusal must start none). */
  const countedOps = (env: Record<string, string>, name: string, args: string[], keyPath = keyFile) =>
    countingStarts((counts) => ops({ ...env, ...counts }, name, args, keyPath));
  let source: TestCms | undefined;
  /** The database restores go to: empty, no CMS started on it, with settings of its own (as a new install has). */
  let target: TestDatabase | undefined;
  let targetEnv: Record<string, string>;
  let targetPublic: PublicDir | undefined;
  let before: SiteContentResult;
  /** The source's article rows when it was backed up: what a restore of that backup must bring back. */
  let backedUp: ArticleRow[];

  /** Starts a CMS on the target, reads what it publishes, and stops it. */
  async function targetContent(): Promise<SiteContentResult> {
    let cms: RunningCms | undefined;
    try {
      cms = await startCms({ port: await freePort(), env: targetEnv });
      return await publishedContent(cms.url);
    } finally {
      await cms?.stop();
    }
  }

  afterAll(async () => {
    await source?.destroy();
    await target?.drop();
    targetPublic?.remove();
    rmSync(dir, { recursive: true, force: true });
    rmSync(keys, { recursive: true, force: true });
  });

  it(`restores an AES-256-GCM backup of SQLite content into an empty ${targetKind} database, after a snapshot`, async () => {
    source = await TestCms.boot();
    const { documentId } = await source.editor.findArticle('sales-vs-marketing');
    await source.editor.saveDraft(documentId, { title: 'Title worth backing up' });
    await source.editor.publish(documentId);
    before = await publishedContent(source.url);

    // strapi export loads the CMS as built (cms/dist), as strapi start does: it no longer compiles and rewrites it.
    const built = path.join(CMS_DIR, 'dist', 'src', 'index.js');
    expect(cmsBuildIsCurrent(), 'cms/dist is the build of the current sources (npm run build:cms before vitest)').toBe(true);
    const builtAt = statSync(built).mtimeMs;
    const backup = await timed('npm run backup (strapi export, sealed)', () =>
      countedOps(source!.env, 'backup.ts', ['--file', path.join(dir, 'nightly')]),
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
    backedUp = await articleRows(source.database);

    target = await createTestDatabase(targetKind);
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
    expect(await isEmpty(target), 'the target database is empty before the restore').toBe(true);

    const restore = await timed('npm run restore (verify, snapshot, strapi import)', () =>
      countedOps(targetEnv, 'restore.ts', ['--file', path.join(dir, 'nightly.tar.gz.gcm')]),
    );
    expect(restore.result.output).toContain('Restored');
    expect(restore.result.output).toMatch(/The data it replaced is in .*pre-restore-\d{8}T\d{6}\.tar\.gz\.gcm\./);
    expect(restore.result.code).toBe(0);
    expect(restore.starts, "a restore loads Strapi once, for the snapshot's export and the import").toBe(1);
    expect(snapshots()).toHaveLength(1);

    // The restored CMS serves, over GraphQL, what the source served.
    const after = await timed('the restored CMS read over GraphQL', () => targetContent());
    expect(after).toEqual(before);
    expect(titleOf(after)).toBe('Title worth backing up');
    // Three Strapi processes besides the source (export, the restore, the restored CMS); on a 2-core machine other
    // test runs load too, a restore alone has taken minutes.
  }, 1_800_000);

  it('refuses a backup with one flipped byte, or a wrong key, before touching the data', async () => {
    const { documentId } = await source!.editor.findArticle('sales-vs-marketing');
    await source!.editor.saveDraft(documentId, { title: 'Edited after the backup' });
    await source!.editor.publish(documentId);
    expect(titleOf(await publishedContent(source!.url))).toBe('Edited after the backup');
    const bytes = readFileSync(path.join(dir, 'nightly.tar.gz.gcm'));
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(path.join(dir, 'tampered.tar.gz.gcm'), bytes);
    // Stopped, as a restore asks (npm run restore: "Stop npm start first"); its database as it is now.
    await source!.stop();
    const untouched = fingerprint(source!.database.file!);

    const tampered = await timed('a flipped byte refused', () =>
      countedOps(source!.env, 'restore.ts', ['--file', path.join(dir, 'tampered.tar.gz.gcm')]),
    );
    expect(tampered.result.code).toBe(1);
    expect(tampered.result.output).toContain(
      `Restore refused: ${path.join(dir, 'tampered.tar.gz.gcm')} was changed or damaged after it was written: its authentication tag does not match its contents. Nothing was restored and the database is unchanged`,
    );

    const wrongKey = await countedOps(source!.env, 'restore.ts', ['--file', path.join(dir, 'nightly.tar.gz.gcm')], wrongKeyFile);
    expect(wrongKey.result.code).toBe(1);
    expect(wrongKey.result.output).toContain('Restore refused: the key in BACKUP_KEY_FILE is not the one');

    // Refused before anything ran: no Strapi started (not even the snapshot's export, so no snapshot); and the
    // database is byte for byte as it was.
    expect(tampered.starts + wrongKey.starts, 'Strapis started by two refused restores').toBe(0);
    expect(snapshots()).toHaveLength(1);
    expect(fingerprint(source!.database.file!), "the source's database after two refused restores").toBe(untouched);
  }, 400_000);

  it('still restores an older backup encrypted by Strapi (aes-128-ecb), with a warning, after a snapshot', async () => {
    // Made as npm run backup made them before: Strapi's own encryption (its code, here) over the same export.
    const plain = path.join(keys, 'nightly.tar.gz');
    await decryptBackup(path.join(dir, 'nightly.tar.gz.gcm'), plain, KEY);
    await strapiLegacyEncrypt(plain, path.join(dir, 'legacy.tar.gz.enc'), KEY);
    rmSync(plain);
    // The restored target changed since (as if edited there), so the snapshot has something to tell apart.
    await setTitleInDatabase(target!, 'sales-vs-marketing', 'Edited after the restore');

    const restore = await timed('npm run restore of an older backup', () =>
      countedOps(targetEnv, 'restore.ts', ['--file', path.join(dir, 'legacy.tar.gz.enc')]),
    );
    expect(restore.result.output).toContain(
      'Warning: legacy.tar.gz.enc is an older backup, encrypted by Strapi with aes-128-ecb, which cannot prove that it is unchanged',
    );
    expect(restore.result.output).toContain('Restored');
    expect(restore.result.code).toBe(0);
    expect(restore.starts, "the snapshot's export and the import, in one load of Strapi").toBe(1);

    // The snapshot holds the data the restore replaced (the target's edit), sealed like any backup.
    const snapshot = /The data it replaced is in (\S+\.tar\.gz\.gcm)\./.exec(restore.result.output)![1]!;
    const opened = path.join(keys, 'snapshot.tar.gz');
    await decryptBackup(snapshot, opened, KEY);
    const tar = gunzipSync(readFileSync(opened)).toString('latin1');
    expect(tar).toContain('Edited after the restore');
    expect(tar).not.toContain('Title worth backing up');

    // The older backup's content is back: every article row (drafts and published) as the source had it when
    // backed up, read from the target's database (the GraphQL proof of a restored CMS is the first test's).
    const restored = await articleRows(target!);
    expect(restored).toEqual(backedUp);
    expect(restored.filter((row) => row.slug === 'sales-vs-marketing').map((row) => row.title)).toEqual([
      'Title worth backing up',
      'Title worth backing up',
    ]);
    // One Strapi process (the snapshot's export and the import): the legacy file needs no export of its own.
  }, 1_800_000);

  it('refuses without a key file, never overwrites an existing backup, and refuses a restore whose snapshot cannot be written', async () => {
    const missingKey = path.join(keys, 'nowhere');
    const noKey = await countedOps(source!.env, 'backup.ts', ['--file', path.join(dir, 'other')], missingKey);
    expect(noKey.result.code).toBe(1);
    expect(noKey.result.output).toContain(`Backup refused: BACKUP_KEY_FILE: there is no key file at ${missingKey}.`);
    expect(existsSync(missingKey)).toBe(false);

    const again = await countedOps(source!.env, 'backup.ts', ['--file', path.join(dir, 'nightly')]);
    expect(again.result.code).toBe(1);
    expect(again.result.output).toContain('already exists');

    const missing = await countedOps(source!.env, 'restore.ts', ['--file', path.join(dir, 'nope.tar.gz.gcm')]);
    expect(missing.result.code).toBe(1);
    expect(missing.result.output).toContain('No backup at');

    writeFileSync(path.join(dir, 'notes.txt'), 'not a backup');
    const notBackup = await countedOps(source!.env, 'restore.ts', ['--file', path.join(dir, 'notes.txt')]);
    expect(notBackup.result.code).toBe(1);
    expect(notBackup.result.output).toContain('is not a backup made by npm run backup');

    // A snapshot that could not be written (its directory is under a file): refused before the backup is even
    // decrypted, rather than after a load of Strapi and an export.
    const nowhere = path.join(dir, 'notes.txt', 'snapshots');
    const noSnapshot = await countedOps(source!.env, 'restore.ts', [
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
