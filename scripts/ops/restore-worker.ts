// The Strapi side of `npm run restore` (./transfer.ts starts it in cms/ with the CMS's environment): ONE load of
// the CMS for both of a restore's transfers, where `strapi export` then `strapi import` loaded it twice. It exports
// the current data (the snapshot, unencrypted, into the restore's private directory), tells the parent, waits
// while the parent seals the snapshot, and imports the verified backup only when told to. The backup key stays in
// the parent: nothing running in the CMS ever has it. The transfers are set up as Strapi's CLI sets them up
// (@strapi/strapi's commands/export and commands/import: the same providers, strategies and its own diff check,
// with `--force`), on one Strapi instance that neither transfer destroys.
//
// Usage (by ./transfer.ts only): node restore-worker.ts SNAPSHOT_BASE BACKUP_TAR_GZ [--compile]
//   SNAPSHOT_BASE: where the snapshot goes, without extension (Strapi adds .tar.gz)
//   --compile: cms/dist is not the build of the current sources, so Strapi compiles first (as its CLI would)
import { createRequire } from 'node:module';
import path from 'node:path';

/** What the worker and ./transfer.ts say to each other over the IPC channel. */
export type WorkerMessage = { step: 'snapshot-taken'; file: string };
export type ParentMessage = { step: 'import' };

type Strapi = { load: () => Promise<Strapi>; destroy: () => Promise<void>; log: { level: string } };
type Engine = {
  transfer: () => Promise<unknown>;
  onSchemaDiff: (handler: unknown) => void;
  diagnostics: { onDiagnostic: (listener: unknown) => void };
};
type Providers = Record<string, (options: unknown) => unknown>;
type DataTransfer = {
  engine: {
    createTransferEngine: (source: unknown, destination: unknown, options: unknown) => Engine;
    DEFAULT_VERSION_STRATEGY: string;
    DEFAULT_SCHEMA_STRATEGY: string;
  };
  file: { providers: Providers };
  strapi: { providers: Providers & { DEFAULT_CONFLICT_STRATEGY: string } };
};
/** The CLI's own helpers (@strapi/strapi/dist/src/cli/utils/data-transfer.js): the same filters, restore scope and diff check. */
type CliTransfer = {
  buildTransferTransforms: (options: object) => unknown;
  parseRestoreFromOptions: (options: object, strapi: Strapi) => unknown;
  getDiffHandler: (engine: Engine, options: { force: boolean; action: string }) => unknown;
  formatDiagnostic: (operation: string, verbose?: boolean) => unknown;
};

const [snapshotBase, backup, ...flags] = process.argv.slice(2);
if (!snapshotBase || !backup || !process.send) {
  console.error('restore-worker.ts is started by scripts/ops/transfer.ts (npm run restore), with an IPC channel.');
  process.exit(2);
}
const cmsDir = process.cwd();
const fromCms = createRequire(path.join(cmsDir, 'package.json'));
const { compileStrapi, createStrapi } = fromCms('@strapi/strapi') as {
  compileStrapi: () => Promise<{ appDir: string; distDir: string }>;
  createStrapi: (options: { appDir: string; distDir: string }) => Strapi;
};
const transfer = fromCms('@strapi/data-transfer') as DataTransfer;
const cli = fromCms(
  path.join(path.dirname(fromCms.resolve('@strapi/strapi/package.json')), 'dist', 'src', 'cli', 'utils', 'data-transfer.js'),
) as CliTransfer;
/** No --exclude, --only or content-type filters: everything, as `strapi export` and `strapi import` take it. */
const ALL = {};

/**
 * The parent's next message (the go-ahead to import; the parent kills the worker instead to stop it). A parent that
 * went away (stopped with Ctrl-C) cannot have sealed the snapshot: then nothing is imported.
 */
const nextMessage = () =>
  new Promise<ParentMessage>((resolve, reject) => {
    process.once('message', (message) => resolve(message as ParentMessage));
    process.once('disconnect', () => reject(new Error('The restore stopped before the snapshot was sealed: nothing was imported.')));
  });

const context = flags.includes('--compile') ? await compileStrapi() : { appDir: cmsDir, distDir: path.join(cmsDir, 'dist') };
const strapi = createStrapi(context);
strapi.log.level = 'error';
await strapi.load();
try {
  // 1. The snapshot: as `strapi export --no-encrypt --file SNAPSHOT_BASE`.
  const exporting = transfer.engine.createTransferEngine(
    transfer.strapi.providers.createLocalStrapiSourceProvider!({ getStrapi: async () => strapi, autoDestroy: false }),
    transfer.file.providers.createLocalFileDestinationProvider!({
      file: { path: snapshotBase },
      encryption: { enabled: false },
      compression: { enabled: true },
    }),
    { versionStrategy: 'ignore', schemaStrategy: 'ignore', transforms: cli.buildTransferTransforms(ALL) },
  );
  exporting.diagnostics.onDiagnostic(cli.formatDiagnostic('export'));
  await exporting.transfer();
  console.log('Snapshot exported; waiting for it to be sealed.');
  const go = nextMessage();
  process.send({ step: 'snapshot-taken', file: `${snapshotBase}.tar.gz` } satisfies WorkerMessage);
  if ((await go).step !== 'import') throw new Error('restore-worker.ts: the parent did not say to import.');

  // 2. The import: as `strapi import --file BACKUP --force` (the restore strategy, its scope, the schema check).
  const importing = transfer.engine.createTransferEngine(
    transfer.file.providers.createLocalFileSourceProvider!({
      file: { path: backup },
      compression: { enabled: true },
      encryption: { enabled: false },
    }),
    transfer.strapi.providers.createLocalStrapiDestinationProvider!({
      getStrapi: async () => strapi,
      autoDestroy: false,
      strategy: transfer.strapi.providers.DEFAULT_CONFLICT_STRATEGY,
      restore: cli.parseRestoreFromOptions(ALL, strapi),
    }),
    {
      versionStrategy: transfer.engine.DEFAULT_VERSION_STRATEGY,
      schemaStrategy: transfer.engine.DEFAULT_SCHEMA_STRATEGY,
      transforms: cli.buildTransferTransforms(ALL),
    },
  );
  importing.diagnostics.onDiagnostic(cli.formatDiagnostic('import'));
  importing.onSchemaDiff(cli.getDiffHandler(importing, { force: true, action: 'import' }));
  await importing.transfer();
  console.log('Import finished.');
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  await strapi.destroy();
}
// Strapi's timers (cron, the outbox) would keep the process alive after destroy, as they do for its CLI.
process.exit(process.exitCode ?? 0);
