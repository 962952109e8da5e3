// Backups with Strapi's data transfer (`strapi export` / `strapi import`): content, uploaded files and
// configuration (core store, webhooks), gzip-compressed and encrypted with BACKUP_ENCRYPTION_KEY.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { run } from '../common/children.ts';
import { ConfigError } from '../common/errors.ts';
import { CMS_DIR } from '../common/paths.ts';
import { STRAPI_BIN } from '../stack/cms-runner.ts';
import { backupSettings } from './settings.ts';

const BACKUP_EXTENSION = '.tar.gz.enc';

const backupKey = (env: NodeJS.ProcessEnv) => backupSettings.read(env).BACKUP_ENCRYPTION_KEY;

/** Writes an encrypted backup to `file` (a path ending in .tar.gz.enc, or a base name). Returns the file. */
export async function exportBackup(file: string, env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<string> {
  const key = backupKey(env);
  const base = path.resolve(file.endsWith(BACKUP_EXTENSION) ? file.slice(0, -BACKUP_EXTENSION.length) : file);
  mkdirSync(path.dirname(base), { recursive: true });
  const target = `${base}${BACKUP_EXTENSION}`;
  if (existsSync(target)) throw new ConfigError(`${target} already exists: choose another --file (a backup is never overwritten).`);
  const result = await run(process.execPath, [STRAPI_BIN, 'export', '--file', base, '--key', key], { cwd: CMS_DIR, env, onLine });
  if (result.code !== 0 || !existsSync(target))
    throw new Error(`The export failed (strapi export exited ${result.code}):\n${result.output.slice(-3000)}`);
  return target;
}

/** Replaces the database's content with the backup in `file`. Destructive: the CLI asks first, unless `force`. */
export async function importBackup(file: string, env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<void> {
  const key = backupKey(env);
  const source = path.resolve(file);
  if (!existsSync(source)) throw new ConfigError(`No backup at ${source}.`);
  if (!source.endsWith(BACKUP_EXTENSION))
    throw new ConfigError(`${source} is not an encrypted backup (*${BACKUP_EXTENSION}) made by npm run backup.`);
  const result = await run(process.execPath, [STRAPI_BIN, 'import', '--file', source, '--key', key, '--force'], {
    cwd: CMS_DIR,
    env,
    onLine,
  });
  if (result.code !== 0) {
    const hint = /Key is incorrect|bad decrypt|wrong final block/i.test(result.output)
      ? ' The BACKUP_ENCRYPTION_KEY does not match the one the backup was made with.'
      : '';
    throw new Error(`The restore failed (strapi import exited ${result.code}).${hint}\n${result.output.slice(-3000)}`);
  }
}
