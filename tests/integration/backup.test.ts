// Backups: export from one database, import into an empty one (Postgres when available), same content.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE, SITE_CONTENT_QUERY, type SiteContentResult } from '@agency/shared';
import { run } from '../../scripts/common/children.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { TestCms } from '../support/cms.ts';
import { DATABASES } from '../support/databases.ts';

const KEY = 'a-backup-key-for-the-test-0123456789';
const script = (name: string) => path.join(ROOT, 'scripts', 'ops', name);

async function publishedContent(cms: TestCms) {
  const response = await cms.graphql<SiteContentResult>(SITE_CONTENT_QUERY, { pageSize: PAGE_SIZE });
  expect(response.errors).toBeUndefined();
  return response.data!;
}

describe('npm run backup / npm run restore', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-backup-'));
  const target = DATABASES.includes('postgres') ? 'postgres' : 'sqlite';
  let source: TestCms | undefined;
  let empty: TestCms | undefined;
  afterAll(async () => {
    await source?.destroy();
    await empty?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`restores an encrypted backup of SQLite content into an empty ${target} database`, async () => {
    source = await TestCms.boot();
    const { documentId } = await source.editor.findArticle('sales-vs-marketing');
    await source.editor.saveDraft(documentId, { title: 'Title worth backing up' });
    await source.editor.publish(documentId);
    const before = await publishedContent(source);

    const backup = await run(process.execPath, [script('backup.ts'), '--file', path.join(dir, 'nightly')], {
      cwd: ROOT,
      env: { ...source.env, BACKUP_ENCRYPTION_KEY: KEY },
    });
    expect(backup.output).toContain(`Backup written: ${path.join(dir, 'nightly.tar.gz.enc')}`);
    expect(backup.code).toBe(0);

    empty = await TestCms.boot({ database: target, env: { SEED_ON_START: 'false' } });
    expect((await publishedContent(empty)).articles_connection.pageInfo.total).toBe(0);
    await empty.stop();

    const wrongKey = await run(process.execPath, [script('restore.ts'), '--file', path.join(dir, 'nightly.tar.gz.enc')], {
      cwd: ROOT,
      env: { ...empty.env, BACKUP_ENCRYPTION_KEY: 'not-the-key-0123456789' },
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.output).toContain('The BACKUP_ENCRYPTION_KEY does not match the one the backup was made with.');

    const restore = await run(process.execPath, [script('restore.ts'), '--file', path.join(dir, 'nightly.tar.gz.enc')], {
      cwd: ROOT,
      env: { ...empty.env, BACKUP_ENCRYPTION_KEY: KEY },
    });
    expect(restore.output).toContain('Restored');
    expect(restore.code).toBe(0);

    await empty.start();
    const after = await publishedContent(empty);
    expect(after).toEqual(before);
    expect((after.articles_connection.nodes[0] as { title: string }).title).toBe('Title worth backing up');
    // Six Strapi boots in one test (two CMSs, export, two imports, the restart): more than the project's default.
  }, 300_000);

  it('refuses without a key, and never overwrites an existing backup', async () => {
    const noKey = await run(process.execPath, [script('backup.ts'), '--file', path.join(dir, 'other')], {
      cwd: ROOT,
      env: { ...source!.env, BACKUP_ENCRYPTION_KEY: '' },
    });
    expect(noKey.code).toBe(1);
    expect(noKey.output).toContain('Backup refused: BACKUP_ENCRYPTION_KEY must be a secret of at least 16 characters');
    expect(noKey.output).toContain('it is not set.');

    const again = await run(process.execPath, [script('backup.ts'), '--file', path.join(dir, 'nightly')], {
      cwd: ROOT,
      env: { ...source!.env, BACKUP_ENCRYPTION_KEY: KEY },
    });
    expect(again.code).toBe(1);
    expect(again.output).toContain('already exists');

    const missing = await run(process.execPath, [script('restore.ts'), '--file', path.join(dir, 'nope.tar.gz.enc')], {
      cwd: ROOT,
      env: { ...source!.env, BACKUP_ENCRYPTION_KEY: KEY },
    });
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('No backup at');
  });
});
