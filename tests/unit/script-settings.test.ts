// Each program's settings, read from a plain object: defaults, one error naming every bad variable (secrets
// never shown), and the rules between settings. The programs themselves are run in the integration tests.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SettingsError } from '@agency/shared/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE_DIR } from '../../scripts/common/paths.ts';
import { readBackupKey } from '../../scripts/ops/backup-key.ts';
import { backupSettings, chromiumSettings } from '../../scripts/ops/settings.ts';
import { rebuildServiceSettings, serveSiteSettings } from '../../scripts/rebuild/settings.ts';
import { stackSettings } from '../../scripts/stack/settings.ts';
import { SCRIPT_SETTINGS } from '../support/settings.ts';

const TOKEN = 'a-webhook-token-0123456789';

function problemsOf(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return [...(error as SettingsError).problems];
  }
  throw new Error('expected a SettingsError');
}

describe('the rebuild service’s settings', () => {
  it('has defaults for everything but the webhook token', () => {
    expect(rebuildServiceSettings.read({ WEBHOOK_TOKEN: TOKEN })).toEqual({
      WEBHOOK_TOKEN: TOKEN,
      REBUILD_MODE: 'local',
      REBUILD_HOST: '127.0.0.1',
      REBUILD_PORT: 4322,
      REBUILD_QUIET_MS: 400,
      REBUILD_MAX_WAIT_MS: 2000,
      REBUILD_RETRY_BASE_MS: 2000,
      REBUILD_RETRY_MAX_MS: 60_000,
      REBUILD_TIMEOUT_MS: null,
      CMS_URL: 'http://127.0.0.1:1337',
      SITE_DIR: DEFAULT_SITE_DIR,
      GITHUB_REPOSITORY: null,
      GITHUB_TOKEN: null,
      GITHUB_API_URL: 'https://api.github.com',
    });
  });

  it('names every bad variable at once, and never shows a secret', () => {
    const problems = problemsOf(() =>
      rebuildServiceSettings.read({
        WEBHOOK_TOKEN: 'short-secret',
        REBUILD_PORT: 'eighty',
        REBUILD_QUIET_MS: '-5',
        CMS_URL: 'http://user:pw@cms.example',
      }),
    );
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/^WEBHOOK_TOKEN must be a secret of at least 16 characters/m);
    expect(problems.join('\n')).toContain('REBUILD_PORT must be a port number from 1 to 65535, not "eighty".');
    expect(problems.join('\n')).toMatch(/^REBUILD_QUIET_MS must be a whole number of milliseconds/m);
    expect(problems.join('\n')).toMatch(/^CMS_URL must not contain credentials/m);
    expect(problems.join('\n')).not.toContain('short-secret');
    expect(problems.join('\n')).not.toContain('pw@');
  });

  it('needs a repository and a token in relay mode, and a maximum wait no shorter than the quiet window', () => {
    const problems = problemsOf(() =>
      rebuildServiceSettings.read({ WEBHOOK_TOKEN: TOKEN, REBUILD_MODE: 'github', REBUILD_QUIET_MS: '500', REBUILD_MAX_WAIT_MS: '100' }),
    );
    expect(problems).toEqual([
      'REBUILD_MAX_WAIT_MS must not be smaller than REBUILD_QUIET_MS.',
      'REBUILD_MODE=github needs GITHUB_REPOSITORY, the repository as owner/name.',
      'REBUILD_MODE=github needs GITHUB_TOKEN (a token allowed to create repository dispatch events).',
    ]);
    // Retries never wait less at the cap than at the start.
    expect(
      problemsOf(() => rebuildServiceSettings.read({ WEBHOOK_TOKEN: TOKEN, REBUILD_RETRY_BASE_MS: '5000', REBUILD_RETRY_MAX_MS: '1000' })),
    ).toEqual(['REBUILD_RETRY_MAX_MS must not be smaller than REBUILD_RETRY_BASE_MS.']);
    expect(problemsOf(() => rebuildServiceSettings.read({ WEBHOOK_TOKEN: TOKEN, GITHUB_REPOSITORY: 'https://github.com/a/b' }))[0]).toMatch(
      /^GITHUB_REPOSITORY must be the repository as owner\/name/,
    );
    // A bad variable and a missing relay setting are named in the same message.
    expect(
      problemsOf(() =>
        rebuildServiceSettings.read({ WEBHOOK_TOKEN: TOKEN, REBUILD_MODE: 'github', REBUILD_PORT: 'x', GITHUB_TOKEN: 'ghp_x' }),
      ),
    ).toEqual([
      'REBUILD_PORT must be a port number from 1 to 65535, not "x".',
      'REBUILD_MODE=github needs GITHUB_REPOSITORY, the repository as owner/name.',
    ]);
    const relay = rebuildServiceSettings.read({
      WEBHOOK_TOKEN: TOKEN,
      REBUILD_MODE: 'github',
      GITHUB_REPOSITORY: 'agency/site',
      GITHUB_TOKEN: 'ghp_x',
    });
    expect(relay).toMatchObject({ REBUILD_MODE: 'github', GITHUB_REPOSITORY: 'agency/site', GITHUB_TOKEN: 'ghp_x' });
  });

  it('resolves SITE_DIR to an absolute path', () => {
    expect(rebuildServiceSettings.read({ WEBHOOK_TOKEN: TOKEN, SITE_DIR: 'some/site' }).SITE_DIR).toBe(path.resolve('some/site'));
  });
});

describe('the static site server’s settings', () => {
  it('defaults to 127.0.0.1:4321 and the checkout’s site store', () => {
    expect(serveSiteSettings.read({})).toEqual({ SITE_HOST: '127.0.0.1', SITE_PORT: 4321, SITE_DIR: DEFAULT_SITE_DIR });
    expect(problemsOf(() => serveSiteSettings.read({ SITE_PORT: 'x' }))).toEqual([
      'SITE_PORT must be a port number from 1 to 65535, not "x".',
    ]);
  });
});

describe('npm start’s settings', () => {
  it('reads its ports and the rebuild service’s subset, with npm start’s wording for relay mode', () => {
    expect(stackSettings.read({ WEBHOOK_TOKEN: TOKEN })).toMatchObject({
      CMS_PORT: 1337,
      SITE_PORT: 4321,
      PREVIEW_PORT: 4323,
      REBUILD_PORT: 4322,
      SITE_URL: null,
    });
    expect(problemsOf(() => stackSettings.read({ WEBHOOK_TOKEN: TOKEN, REBUILD_MODE: 'github' }))).toEqual([
      'REBUILD_MODE=github is for `npm run rebuild-service` (relaying to CI); npm start builds the site locally. Unset REBUILD_MODE for npm start.',
    ]);
    expect(problemsOf(() => stackSettings.read({ WEBHOOK_TOKEN: TOKEN, CMS_PORT: 'eighty' }))).toEqual([
      'CMS_PORT must be a port number from 1 to 65535, not "eighty".',
    ]);
  });
});

describe('the ops tools’ settings', () => {
  it('reads the backup key from a file, never creating one at a path it was given', () => {
    expect(backupSettings.read({}).BACKUP_KEY_FILE).toBe('.env.backup-key');
    const dir = mkdtempSync(path.join(tmpdir(), 'agency-backup-key-'));
    try {
      const file = path.join(dir, 'backup-key');
      expect(() => readBackupKey({ BACKUP_KEY_FILE: file }, { create: true })).toThrow(
        `BACKUP_KEY_FILE: there is no key file at ${file}. Point BACKUP_KEY_FILE at the file holding the key backups are made with`,
      );
      expect(existsSync(file)).toBe(false);
      writeFileSync(file, 'too-short\n', { mode: 0o600 });
      expect(() => readBackupKey({ BACKUP_KEY_FILE: file }, { create: false })).toThrow(
        /must hold one key of at least 16 characters without spaces, alone on one line \(its content is not shown\)\.$/,
      );
      writeFileSync(file, `${'k'.repeat(32)}\n`);
      expect(readBackupKey({ BACKUP_KEY_FILE: file }, { create: false })).toEqual({ file, secret: 'k'.repeat(32), created: false });
      chmodSync(file, 0o644);
      expect(readBackupKey({ BACKUP_KEY_FILE: file }, { create: false }).warning).toBe(
        `Warning: ${file} can be read by every user of this machine (mode 644); chmod 600 it, or 400 owned by the user that runs backups.`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds Chromium at Debian’s path unless CHROMIUM_PATH says otherwise', () => {
    expect(chromiumSettings.read({}).CHROMIUM_PATH).toBe('/usr/bin/chromium');
    expect(chromiumSettings.read({ CHROMIUM_PATH: '/opt/chromium' }).CHROMIUM_PATH).toBe('/opt/chromium');
  });
});

describe('every program’s settings', () => {
  it('describe each variable, and name every secret as one', () => {
    for (const definition of SCRIPT_SETTINGS) {
      for (const [name, setting] of Object.entries(definition.spec)) {
        expect(setting.description.length, `${definition.program}: ${name}`).toBeGreaterThan(10);
        // A `…_FILE` variable is where a secret is kept (a path, fine to show), not the secret.
        if (/TOKEN|KEY|SECRET|PASSWORD/.test(name) && !name.endsWith('_FILE'))
          expect(setting.secret, `${definition.program}: ${name}`).toBe(true);
      }
    }
  });
});
