// The environment the local stack runs with: the root .env (created with fresh secrets when missing),
// overridden by anything set in the real environment. The local stack is development unless either says
// otherwise: the CMS refuses to start without NODE_ENV (cms/src/launch-env.ts), and `npm run backup` or `restore`
// on a developer's machine start it.
import { ensureEnvFile, readEnvFile } from './env-file.ts';
import { ENV_FILE } from '../common/paths.ts';

export function loadStackEnv(options: { create: boolean }): { env: NodeJS.ProcessEnv; envFile: ReturnType<typeof ensureEnvFile> } {
  const envFile = options.create ? ensureEnvFile(ENV_FILE) : 'unchanged';
  return { env: { NODE_ENV: 'development', ...readEnvFile(ENV_FILE), ...process.env }, envFile };
}
