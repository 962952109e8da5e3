// The settings of the operations tools, each declared once (docs/configuration.md lists the same; a test holds
// them together). Backups read the root .env overridden by the real environment (scripts/stack/stack-env.ts),
// so `npm run backup` works with what `npm start` generated.
import { defineSettings, text } from '@agency/shared/server';

/** Where `npm run backup` keeps its key unless BACKUP_KEY_FILE says otherwise: git- and docker-ignored (`.env.*`). */
export const DEFAULT_BACKUP_KEY_FILE = '.env.backup-key';

/** `npm run backup` and `npm run restore` (./backup.ts, ./restore.ts, through ./transfer.ts). */
export const backupSettings = defineSettings('backup and restore', {
  BACKUP_KEY_FILE: text(
    DEFAULT_BACKUP_KEY_FILE,
    'The file holding the backup key (one line, ≥ 16 characters; relative to the repository root). Never on a command line or in the CMS’s environment.',
  ),
});

/** Chromium for `npm run audit` (./audit.ts) and the browser tests (tests/support/browser.ts). */
export const chromiumSettings = defineSettings('Chromium (audit and browser tests)', {
  CHROMIUM_PATH: text(
    '/usr/bin/chromium',
    'The Chromium binary the Lighthouse audit and the browser tests launch (Debian’s package by default).',
  ),
});
