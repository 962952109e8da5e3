// `npm run restore -- --file backups/cms-….tar.gz.gcm [--snapshot-dir DIR]`: replaces the CMS's content with a
// backup, once the whole backup is verified and a snapshot of the current data is taken (./transfer.ts).
// Stop `npm start` first: the running CMS would keep serving what it had cached.
// Settings: backupSettings (./settings.ts), from the root .env overridden by the environment.
import { parseArgs } from 'node:util';
import { ConfigError, isConfigProblem } from '../common/errors.ts';
import { loadStackEnv } from '../stack/stack-env.ts';
import { BackupIntegrityError } from './backup-file.ts';
import { importBackup } from './transfer.ts';

const { values } = parseArgs({ options: { file: { type: 'string' }, 'snapshot-dir': { type: 'string' } } });
try {
  if (!values.file) throw new ConfigError('say which backup: npm run restore -- --file backups/cms-YYYYMMDDTHHMMSS.tar.gz.gcm');
  const { env } = loadStackEnv({ create: false });
  const { snapshot } = await importBackup(values.file, env, {
    snapshotDir: values['snapshot-dir'],
    notice: (line) => console.log(line),
  });
  console.log(`Restored ${values.file}. The data it replaced is in ${snapshot}.`);
  console.log('Start the stack (npm start) to serve it; the site rebuilds at start.');
} catch (error) {
  // A setting or flag to fix, or a backup that fails its check, is a refusal: nothing was changed.
  const refused = isConfigProblem(error) || error instanceof BackupIntegrityError;
  console.error(refused ? `Restore refused: ${(error as Error).message}` : error instanceof Error ? error.message : String(error));
  process.exit(1);
}
