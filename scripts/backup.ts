// `npm run backup [-- --file backups/name]`: an encrypted backup of the CMS's content, files and configuration.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from './lib/config.ts';
import { ROOT } from './lib/paths.ts';
import { loadStackEnv } from './lib/stack-env.ts';
import { exportBackup } from './lib/transfer.ts';

const { values } = parseArgs({ options: { file: { type: 'string' } } });
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
const file = values.file ?? path.join(ROOT, 'backups', `cms-${stamp}`);
try {
  const { env } = loadStackEnv({ create: false });
  const written = await exportBackup(file, env);
  console.log(`Backup written: ${written}\nRestore it with: npm run restore -- --file ${path.relative(process.cwd(), written)}`);
} catch (error) {
  console.error(error instanceof ConfigError ? `Backup refused: ${error.message}` : error instanceof Error ? error.message : String(error));
  process.exit(1);
}
