// How a program here fails: a problem the person running it can fix (a setting, a flag, a busy port) is
// printed as its message alone; anything else is a bug, printed with its stack trace.
import { SettingsError } from '@agency/shared/server';
import { ConfigError } from './config-error.ts';

export { ConfigError };

/** Whether the person running the program caused it and can fix it: a bad setting, flag or port. */
export function isConfigProblem(error: unknown): error is ConfigError | SettingsError {
  return error instanceof ConfigError || error instanceof SettingsError;
}

/** The text to print for a failure: the message for a configuration problem, the stack trace for a bug. */
export function explain(error: unknown): string {
  if (isConfigProblem(error)) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
