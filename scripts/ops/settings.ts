// The settings of the operations tools, each declared once (docs/configuration.md lists the same; a test holds
// them together). Backups read the root .env overridden by the real environment (scripts/stack/stack-env.ts),
// so `npm run backup` works with what `npm start` generated.
import { defineSettings, secret, text } from '@agency/shared/server';

/** `npm run backup` and `npm run restore` (./backup.ts, ./restore.ts, through ./transfer.ts). */
export const backupSettings = defineSettings('backup and restore', {
  BACKUP_ENCRYPTION_KEY: secret(
    { minLength: 16, required: true, hint: 'npm start generates one into .env; keep it: a backup cannot be restored without it' },
    'Encrypts and decrypts backups (`npm run backup` / `npm run restore`).',
  ),
});

/** Chromium for `npm run audit` (./audit.ts) and the browser tests (tests/support/browser.ts). */
export const chromiumSettings = defineSettings('Chromium (audit and browser tests)', {
  CHROMIUM_PATH: text(
    '/usr/bin/chromium',
    'The Chromium binary the Lighthouse audit and the browser tests launch (Debian’s package by default).',
  ),
});
