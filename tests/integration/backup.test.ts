// Backups: export from one database, import into an empty one (Postgres when available), same content; sealed
// with AES-256-GCM under a key read from a file; a restore verifies the whole backup before the database is
// touched (a flipped byte or a wrong key changes nothing) and takes a snapshot of the data it replaces first;
// an older backup encrypted by Strapi itself (aes-128-ecb) still restores, with a warning.
//
// Every Strapi this file starts is one the proof needs: the source CMS (edited, then read), each export and
// import the scripts run, and the restored CMS read once after each restore. The empty target is a database no
// CMS has started on (the restore's own snapshot export is its first start), and "the data is unchanged" after a
// refused restore is the source's database file, byte for byte, not a restart.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE, SITE_CONTENT_QUERY, type SiteContentResult } from '@agency/shared';
import { run } from '../../scripts/common/children.ts';
import { CMS_DIR, ROOT } from '../../scripts/common/paths.ts';
import { countRun } from '../../scripts/common/run-counts.ts';
import { decryptBackup } from '../../scripts/ops/backup-file.ts';
import { STRAPI_BIN, startCms, type RunningCms } from '../../scripts/stack/cms-runner.ts';
import { generatedSecrets } from '../../scripts/stack/env-file.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { TestCms, type GraphqlResponse } from '../support/cms.ts';
import { createTestDatabase, DATABASES, type TestDatabase } from '../support/databases.ts';

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
  let source: TestCms | undefined;
  /** The database restores go to: empty, no CMS started on it, with settings of its own (as a new install has). */
  let target: TestDatabase | undefined;
  let targetEnv: Record<string, string>;
  let before: SiteContentResult;
  let edited: SiteContentResult;

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
    rmSync(dir, { recursive: true, force: true });
    rmSync(keys, { recursive: true, force: true });
  });

  it(`restores an AES-256-GCM backup of SQLite content into an empty ${targetKind} database, after a snapshot`, async () => {
    source = await TestCms.boot();
    const { documentId } = await source.editor.findArticle('sales-vs-marketing');
    await source.editor.saveDraft(documentId, { title: 'Title worth backing up' });
    await source.editor.publish(documentId);
    before = await publishedContent(source.url);

    const backup = await timed('npm run backup (strapi export, sealed)', () =>
      ops(source!.env, 'backup.ts', ['--file', path.join(dir, 'nightly')]),
    );
    expect(backup.output).toContain(`Backup written: ${path.join(dir, 'nightly.tar.gz.gcm')}`);
    expect(backup.code).toBe(0);
    // Our format (magic and version), and nothing unencrypted left beside it.
    expect(readFileSync(path.join(dir, 'nightly.tar.gz.gcm')).subarray(0, 9).toString('latin1')).toBe('AGENCYBK\x01');
    expect(readdirSync(dir)).toEqual(['nightly.tar.gz.gcm']);

    target = await createTestDatabase(targetKind);
    targetEnv = {
      ...(process.env as Record<string, string>),
      ...generatedSecrets(),
      ...target.env,
      NODE_ENV: 'development',
      SEED_ON_START: 'false',
    };
    expect(await isEmpty(target), 'the target database is empty before the restore').toBe(true);

    const restore = await timed('npm run restore (verify, snapshot, strapi import)', () =>
      ops(targetEnv, 'restore.ts', ['--file', path.join(dir, 'nightly.tar.gz.gcm')]),
    );
    expect(restore.output).toContain('Restored');
    expect(restore.output).toMatch(/The data it replaced is in .*pre-restore-\d{8}T\d{6}\.tar\.gz\.gcm\./);
    expect(restore.code).toBe(0);
    expect(snapshots()).toHaveLength(1);

    const after = await targetContent();
    expect(after).toEqual(before);
    expect(titleOf(after)).toBe('Title worth backing up');
    // Five Strapi processes in one test (the source, export, the snapshot's export, import, the restored CMS); on
    // a 2-core machine other test runs load too, a restore alone has taken 10 minutes.
  }, 1_800_000);

  it('refuses a backup with one flipped byte, or a wrong key, before touching the data', async () => {
    const { documentId } = await source!.editor.findArticle('sales-vs-marketing');
    await source!.editor.saveDraft(documentId, { title: 'Edited after the backup' });
    await source!.editor.publish(documentId);
    edited = await publishedContent(source!.url);
    expect(titleOf(edited)).toBe('Edited after the backup');
    const bytes = readFileSync(path.join(dir, 'nightly.tar.gz.gcm'));
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(path.join(dir, 'tampered.tar.gz.gcm'), bytes);
    // Stopped, as a restore asks (npm run restore: "Stop npm start first"); its database as it is now.
    await source!.stop();
    const untouched = fingerprint(source!.database.file!);

    const tampered = await timed('a flipped byte refused', () =>
      ops(source!.env, 'restore.ts', ['--file', path.join(dir, 'tampered.tar.gz.gcm')]),
    );
    expect(tampered.code).toBe(1);
    expect(tampered.output).toContain(
      `Restore refused: ${path.join(dir, 'tampered.tar.gz.gcm')} was changed or damaged after it was written: its authentication tag does not match its contents. Nothing was restored and the database is unchanged`,
    );

    const wrongKey = await ops(source!.env, 'restore.ts', ['--file', path.join(dir, 'nightly.tar.gz.gcm')], wrongKeyFile);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.output).toContain('Restore refused: the key in BACKUP_KEY_FILE is not the one');

    // Refused before anything ran: not even the snapshot's export; and the database is byte for byte as it was.
    expect(snapshots()).toHaveLength(1);
    expect(fingerprint(source!.database.file!), "the source's database after two refused restores").toBe(untouched);
  }, 400_000);

  it('still restores an older backup encrypted by Strapi (aes-128-ecb), with a warning, after a snapshot', async () => {
    // Made as npm run backup made them before: Strapi's own encryption, its key on the command line.
    countRun('strapi-boot');
    const legacy = await run(process.execPath, [STRAPI_BIN, 'export', '--file', path.join(dir, 'legacy'), '--key', KEY], {
      cwd: CMS_DIR,
      env: source!.env,
    });
    expect(legacy.code, legacy.output).toBe(0);

    const restore = await timed('npm run restore of an older backup', () =>
      ops(targetEnv, 'restore.ts', ['--file', path.join(dir, 'legacy.tar.gz.enc')]),
    );
    expect(restore.output).toContain(
      'Warning: legacy.tar.gz.enc is an older backup, encrypted by Strapi with aes-128-ecb, which cannot prove that it is unchanged',
    );
    expect(restore.output).toContain('Restored');
    expect(restore.code).toBe(0);

    // The snapshot holds the data the restore replaced (the first backup's), sealed like any backup.
    const snapshot = /The data it replaced is in (\S+\.tar\.gz\.gcm)\./.exec(restore.output)![1]!;
    const opened = path.join(keys, 'snapshot.tar.gz');
    await decryptBackup(snapshot, opened, KEY);
    const tar = gunzipSync(readFileSync(opened)).toString('latin1');
    expect(tar).toContain('Title worth backing up');
    expect(tar).not.toContain('Edited after the backup');

    expect(await targetContent()).toEqual(edited);
    // Four Strapi processes (the legacy export, the snapshot's export, import, the restored CMS), as in the first.
  }, 1_800_000);

  it('refuses without a key file, and never overwrites an existing backup', async () => {
    const missingKey = path.join(keys, 'nowhere');
    const noKey = await ops(source!.env, 'backup.ts', ['--file', path.join(dir, 'other')], missingKey);
    expect(noKey.code).toBe(1);
    expect(noKey.output).toContain(`Backup refused: BACKUP_KEY_FILE: there is no key file at ${missingKey}.`);
    expect(existsSync(missingKey)).toBe(false);

    const again = await ops(source!.env, 'backup.ts', ['--file', path.join(dir, 'nightly')]);
    expect(again.code).toBe(1);
    expect(again.output).toContain('already exists');

    const missing = await ops(source!.env, 'restore.ts', ['--file', path.join(dir, 'nope.tar.gz.gcm')]);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('No backup at');

    writeFileSync(path.join(dir, 'notes.txt'), 'not a backup');
    const notBackup = await ops(source!.env, 'restore.ts', ['--file', path.join(dir, 'notes.txt')]);
    expect(notBackup.code).toBe(1);
    expect(notBackup.output).toContain('is not a backup made by npm run backup');
  });
});
