// The backup key lives in a file (BACKUP_KEY_FILE), never on a command line (where `ps` shows it) nor in the
// CMS's environment (where anything running in the CMS reads it): in production only the one-off backup or
// restore container has it mounted. Locally `npm run backup` creates the default file at its first run.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../common/errors.ts';
import { ROOT } from '../common/paths.ts';
import { backupSettings, DEFAULT_BACKUP_KEY_FILE } from './settings.ts';

const MIN_LENGTH = 16;

export type BackupKey = { file: string; secret: string; created: boolean; warning?: string };

/** A fresh key file's content: 32 random bytes, base64url, one line. */
function newBackupKey(): string {
  return `${randomBytes(32).toString('base64url')}\n`;
}

/**
 * Reads the key from BACKUP_KEY_FILE (relative paths are from the repository root). `create`: when the variable is
 * unset and the default file is missing, a new key is written there (a first local backup); an explicit path is
 * never created, so a mistyped one is refused instead of silently making backups with a new key.
 */
export function readBackupKey(env: NodeJS.ProcessEnv, options: { create: boolean }): BackupKey {
  const setting = backupSettings.read(env).BACKUP_KEY_FILE;
  const file = path.resolve(ROOT, setting);
  let created = false;
  if (!existsSync(file)) {
    if (!(options.create && setting === DEFAULT_BACKUP_KEY_FILE))
      throw new ConfigError(
        `BACKUP_KEY_FILE: there is no key file at ${file}. Point BACKUP_KEY_FILE at the file holding the key backups are made with` +
          ' (for a backup made before the key file, put its BACKUP_ENCRYPTION_KEY into the file, alone on one line).',
      );
    writeFileSync(file, newBackupKey(), { mode: 0o600, flag: 'wx' });
    created = true;
  }
  if (!statSync(file).isFile()) throw new ConfigError(`BACKUP_KEY_FILE: ${file} is not a file.`);
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_LENGTH || /\s/.test(secret))
    throw new ConfigError(
      `BACKUP_KEY_FILE: ${file} must hold one key of at least ${MIN_LENGTH} characters without spaces, alone on one line (its content is not shown).`,
    );
  // Readable by others on this machine: worth saying, not refusing (a container may need it readable by its user).
  const mode = statSync(file).mode & 0o777;
  const warning =
    process.platform !== 'win32' && mode & 0o004
      ? `Warning: ${file} can be read by every user of this machine (mode ${mode.toString(8)}); chmod 600 it, or 400 owned by the user that runs backups.`
      : undefined;
  return { file, secret, created, warning };
}
