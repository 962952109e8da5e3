// The environment the local stack runs with: the root .env (created with fresh secrets when missing),
// overridden by anything set in the real environment.
import { ensureEnvFile, readEnvFile } from './env-file.ts';
import { ENV_FILE } from '../common/paths.ts';

export function loadStackEnv(options: { create: boolean }): { env: NodeJS.ProcessEnv; envFile: ReturnType<typeof ensureEnvFile> } {
  const envFile = options.create ? ensureEnvFile(ENV_FILE) : 'unchanged';
  return { env: { ...readEnvFile(ENV_FILE), ...process.env }, envFile };
}
