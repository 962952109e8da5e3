// Backups with Strapi's data transfer (`strapi export` / `strapi import`): content, uploaded files and
// configuration (core store, webhooks). Strapi exports without encryption into a private temporary directory;
// our own code seals the export with AES-256-GCM (./backup-file.ts) under the key in BACKUP_KEY_FILE
// (./backup-key.ts), so the key never appears on a command line. A restore decrypts and verifies the whole
// backup first, then takes a snapshot of the current data, and only then lets Strapi replace it: both in one load
// of Strapi (./restore-worker.ts), which waits while the snapshot is sealed here.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../common/children.ts';
import { ConfigError } from '../common/errors.ts';
import { CMS_DIR } from '../common/paths.ts';
import { countRun } from '../common/run-counts.ts';
import { cmsBuildIsCurrent, STRAPI_BIN } from '../stack/cms-runner.ts';
import { backupFormatOf, decryptBackup, decryptLegacy, encryptBackup } from './backup-file.ts';
import { readBackupKey } from './backup-key.ts';
import type { ParentMessage, WorkerMessage } from './restore-worker.ts';

const BACKUP_EXTENSION = '.tar.gz.gcm';
const LEGACY_EXTENSION = '.tar.gz.enc';

type Report = (line: string) => void;

/** A directory only this user can read, for the unencrypted export; removed by the caller. */
const privateTempDir = () => mkdtempSync(path.join(tmpdir(), 'agency-backup-'));

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');

/**
 * `strapi export` and `strapi import` type-check and emit the whole CMS again before loading it (@strapi/core's
 * compileStrapi: some 1,200 files, ~10 s of CPU, and it rewrites cms/dist under any CMS running from it). Loaded
 * first (`node --import`), this module makes that step hand back the build in cms/dist as it is, as `strapi start`
 * runs it. Used only while that build is of the current sources; otherwise Strapi compiles as it always did.
 */
const USE_THE_BUILD = `data:text/javascript,${encodeURIComponent(
  [
    "import { createRequire } from 'node:module';",
    `const fromStrapi = createRequire(${JSON.stringify(STRAPI_BIN)});`,
    "const { resolveOutDir } = fromStrapi('@strapi/typescript-utils');",
    "fromStrapi('@strapi/core').compileStrapi = async ({ appDir = process.cwd() } = {}) => ({ appDir, distDir: (await resolveOutDir(appDir)) ?? appDir });",
  ].join('\n'),
)}`;

/** Strapi's CLI with the CMS's environment; its output is kept for the error message when it fails. */
const strapi = (args: string[], env: NodeJS.ProcessEnv) => {
  countRun('strapi-boot');
  const useTheBuild = cmsBuildIsCurrent() ? ['--import', USE_THE_BUILD] : [];
  return run(process.execPath, [...useTheBuild, STRAPI_BIN, ...args], { cwd: CMS_DIR, env });
};

/** Seals the plain export `plain` into `target`, under a temporary name renamed at the end: a backup with its final name is always whole. */
async function seal(plain: string, target: string, secret: string): Promise<void> {
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.partial`);
  rmSync(partial, { force: true });
  try {
    await encryptBackup(plain, partial, secret);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, target);
}

async function sealedExport(target: string, secret: string, env: NodeJS.ProcessEnv): Promise<void> {
  const work = privateTempDir();
  try {
    const base = path.join(work, 'export');
    const result = await strapi(['export', '--no-encrypt', '--file', base], env);
    if (result.code !== 0 || !existsSync(`${base}.tar.gz`))
      throw new Error(`The export failed (strapi export exited ${result.code}):\n${result.output.slice(-3000)}`);
    await seal(`${base}.tar.gz`, target, secret);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const RESTORE_WORKER = path.join(import.meta.dirname, 'restore-worker.ts');

/**
 * The restore's Strapi side, in one load (./restore-worker.ts): it exports the current data into `work`, then
 * waits while `sealSnapshot` seals that export, and imports `plain` only once it is sealed. When the snapshot
 * cannot be taken or sealed, the worker is stopped before it imports anything. Each failure says which step failed.
 */
async function snapshotThenImport(
  plain: string,
  work: string,
  env: NodeJS.ProcessEnv,
  sealSnapshot: (plainSnapshot: string) => Promise<void>,
): Promise<void> {
  countRun('strapi-boot');
  const compile = cmsBuildIsCurrent() ? [] : ['--compile'];
  const child = spawn(process.execPath, [RESTORE_WORKER, path.join(work, 'snapshot'), plain, ...compile], {
    cwd: CMS_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let sealed = false;
  let sealFailure: unknown;
  child.on('message', (message: WorkerMessage) => {
    if (message.step !== 'snapshot-taken') return;
    sealSnapshot(message.file).then(
      () => {
        sealed = true;
        child.send({ step: 'import' } satisfies ParentMessage);
      },
      (error: unknown) => {
        // Nothing may be imported without a snapshot: the worker is waiting, and is stopped there.
        sealFailure = error;
        child.kill('SIGKILL');
      },
    );
  });
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', resolve);
    child.once('error', (error) => {
      output += String(error);
      resolve(null);
    });
  });
  if (!sealed)
    throw new SnapshotFailed(
      sealFailure instanceof Error
        ? sealFailure.message
        : `The export failed (the snapshot's export exited ${code}):\n${output.slice(-3000)}`,
      { cause: sealFailure },
    );
  if (code !== 0) throw new ImportFailed(code, output.slice(-3000));
}

/** The snapshot of the current data could not be taken or sealed: nothing was imported. */
class SnapshotFailed extends Error {}

/** The import failed after the snapshot was sealed: `output` is the worker's (Strapi's) last words. */
class ImportFailed extends Error {
  readonly code: number | null;
  readonly output: string;
  constructor(code: number | null, output: string) {
    super(`the import exited ${code}`);
    this.code = code;
    this.output = output;
  }
}

/**
 * `dir`, made if missing, once a file could be written into it: a restore that could not keep its snapshot is
 * refused here, before the backup is decrypted and before Strapi loads (a probe file, since root passes any
 * permission check but a read-only disk's).
 */
function writableSnapshotDir(dir: string): string {
  const probe = path.join(dir, `.snapshot-probe-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '', { flag: 'wx' });
    rmSync(probe);
  } catch (error) {
    throw new ConfigError(
      `the snapshot of the current data cannot be written into ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)}): ` +
        'make it writable, or choose another with --snapshot-dir. Nothing was restored.',
    );
  }
  return dir;
}

/**
 * Writes an encrypted backup to `file` (a path ending in .tar.gz.gcm, or a base name). Returns the file.
 * `notice`: what the operator should know (a key file just created, a key file others can read).
 */
export async function exportBackup(file: string, env: NodeJS.ProcessEnv, notice?: Report): Promise<string> {
  const key = readBackupKey(env, { create: true });
  if (key.created)
    notice?.(`A new backup key was written to ${key.file}: keep a copy outside this machine, no backup restores without it.`);
  if (key.warning) notice?.(key.warning);
  const base = path.resolve(file.endsWith(BACKUP_EXTENSION) ? file.slice(0, -BACKUP_EXTENSION.length) : file);
  mkdirSync(path.dirname(base), { recursive: true });
  const target = `${base}${BACKUP_EXTENSION}`;
  if (existsSync(target)) throw new ConfigError(`${target} already exists: choose another --file (a backup is never overwritten).`);
  await sealedExport(target, key.secret, env);
  return target;
}

export type RestoreOptions = {
  /** Where the snapshot of the data being replaced goes: the backup's own directory unless said. */
  snapshotDir?: string;
  /** The steps and warnings the operator should see (an older backup's format, the snapshot). */
  notice?: Report;
};

/**
 * Replaces the database's content with the backup in `file`, after verifying all of it and taking a snapshot of
 * what is there now. Returns the snapshot's path. A wrong key or a damaged backup throws before anything changed.
 */
export async function importBackup(file: string, env: NodeJS.ProcessEnv, options: RestoreOptions = {}): Promise<{ snapshot: string }> {
  const { notice } = options;
  const source = path.resolve(file);
  if (!existsSync(source)) throw new ConfigError(`No backup at ${source}.`);
  const key = readBackupKey(env, { create: false });
  if (key.warning) notice?.(key.warning);
  const format = await backupFormatOf(source);
  if (format === null)
    throw new ConfigError(`${source} is not a backup made by npm run backup (*${BACKUP_EXTENSION}, or an older *${LEGACY_EXTENSION}).`);
  const snapshotDir = writableSnapshotDir(path.resolve(options.snapshotDir ?? path.dirname(source)));
  const work = privateTempDir();
  try {
    // 1. Decrypt and verify everything before the database is touched.
    const plain = path.join(work, 'restore.tar.gz');
    if (format === 'aes-256-gcm') await decryptBackup(source, plain, key.secret);
    else {
      notice?.(
        `Warning: ${path.basename(source)} is an older backup, encrypted by Strapi with aes-128-ecb, which cannot prove that it is ` +
          'unchanged since it was written (only accidental damage is detected). Restore it only if it has been in safe hands; ' +
          'then make a new backup (npm run backup), which is authenticated.',
      );
      await decryptLegacy(source, plain, key.secret);
    }
    // 2. A snapshot of the current data, so a wrong restore can be undone.
    const snapshot = path.join(snapshotDir, `pre-restore-${stamp()}${BACKUP_EXTENSION}`);
    if (existsSync(snapshot)) throw new ConfigError(`${snapshot} already exists: wait a second and try again.`);
    notice?.(`Taking a snapshot of the current data first: ${snapshot}`);
    // 3. Only once the snapshot is sealed: Strapi replaces the data (as `strapi import --force`: nobody is there to
    // answer its question). One load of Strapi for both steps.
    try {
      await snapshotThenImport(plain, work, env, (plainSnapshot) => seal(plainSnapshot, snapshot, key.secret));
    } catch (error) {
      if (error instanceof SnapshotFailed)
        throw new Error(
          `Nothing was restored: the snapshot of the current data could not be taken (${snapshotDir} must be writable; --snapshot-dir chooses another).\n` +
            error.message,
          { cause: error },
        );
      if (error instanceof ImportFailed)
        throw new Error(
          `The restore failed (the import exited ${error.code}). The data as it was before is in ${snapshot}: ` +
            `npm run restore -- --file ${snapshot}\n${error.output}`,
          { cause: error },
        );
      throw error;
    }
    return { snapshot };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
