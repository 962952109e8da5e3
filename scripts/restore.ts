// `npm run restore -- --file backups/cms-….tar.gz.enc`: replaces the CMS's content with a backup.
// Stop `npm start` first: the running CMS would keep serving what it had cached.
import { parseArgs } from 'node:util';
import { ConfigError } from './lib/config.ts';
import { loadStackEnv } from './lib/stack-env.ts';
import { importBackup } from './lib/transfer.ts';

const { values } = parseArgs({ options: { file: { type: 'string' } } });
try {
  if (!values.file) throw new ConfigError('say which backup: npm run restore -- --file backups/cms-YYYYMMDDTHHMMSS.tar.gz.enc');
  const { env } = loadStackEnv({ create: false });
  await importBackup(values.file, env);
  console.log(`Restored ${values.file}. Start the stack (npm start) to serve it; the site rebuilds at start.`);
} catch (error) {
  console.error(error instanceof ConfigError ? `Restore refused: ${error.message}` : error instanceof Error ? error.message : String(error));
  process.exit(1);
}
