// `npm run restore -- --file backups/cms-….tar.gz.enc`: replaces the CMS's content with a backup.
// Stop `npm start` first: the running CMS would keep serving what it had cached.
// Settings: backupSettings (./settings.ts), from the root .env overridden by the environment.
import { parseArgs } from 'node:util';
import { ConfigError, isConfigProblem } from '../common/errors.ts';
import { loadStackEnv } from '../stack/stack-env.ts';
import { importBackup } from './transfer.ts';

const { values } = parseArgs({ options: { file: { type: 'string' } } });
try {
  if (!values.file) throw new ConfigError('say which backup: npm run restore -- --file backups/cms-YYYYMMDDTHHMMSS.tar.gz.enc');
  const { env } = loadStackEnv({ create: false });
  await importBackup(values.file, env);
  console.log(`Restored ${values.file}. Start the stack (npm start) to serve it; the site rebuilds at start.`);
} catch (error) {
  // A setting or flag to fix is a refusal; a failed export or import carries Strapi's own output.
  console.error(isConfigProblem(error) ? `Restore refused: ${error.message}` : error instanceof Error ? error.message : String(error));
  process.exit(1);
}
