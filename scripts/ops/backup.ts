// `npm run backup [-- --file backups/name]`: an encrypted, authenticated backup of the CMS's content, files and
// configuration (./transfer.ts). Settings: backupSettings (./settings.ts), from the root .env overridden by the
// environment; the key is read from BACKUP_KEY_FILE.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isConfigProblem } from '../common/errors.ts';
import { ROOT } from '../common/paths.ts';
import { loadStackEnv } from '../stack/stack-env.ts';
import { exportBackup } from './transfer.ts';

const { values } = parseArgs({ options: { file: { type: 'string' } } });
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
const file = values.file ?? path.join(ROOT, 'backups', `cms-${stamp}`);
try {
  const { env } = loadStackEnv({ create: false });
  const written = await exportBackup(file, env, (line) => console.log(line));
  console.log(`Backup written: ${written}\nRestore it with: npm run restore -- --file ${path.relative(process.cwd(), written)}`);
} catch (error) {
  // A setting or flag to fix is a refusal; a failed export or import carries Strapi's own output.
  console.error(isConfigProblem(error) ? `Backup refused: ${error.message}` : error instanceof Error ? error.message : String(error));
  process.exit(1);
}
