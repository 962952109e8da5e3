// Whether the operator set NODE_ENV, and to what. The CMS refuses to start without it (src/settings.ts): a
// server started without it used to run in development, with the GraphQL sandbox, introspection and the local
// admin account. But Strapi's core writes NODE_ENV=development into process.env as soon as it is loaded, before
// any of our code runs, so process.env cannot tell "unset" from "development". The process's initial
// environment can: on Linux, /proc/self/environ is what the process was started with, whatever it changed since.
import { readFileSync } from 'node:fs';

/** The process's initial environment as /proc/self/environ holds it (NUL-separated), or null off Linux. */
function initialEnvironment(): string | null {
  try {
    return readFileSync('/proc/self/environ', 'latin1');
  } catch {
    return null;
  }
}

/**
 * NODE_ENV as the operator gave it, undefined when they did not. `environ`: the initial environment (null where
 * it cannot be read: then process.env's value is all there is); `current`: process.env.NODE_ENV now; `argv`:
 * `strapi develop` is development by definition.
 */
export function launchNodeEnv(
  environ: string | null = initialEnvironment(),
  current: string | undefined = process.env.NODE_ENV,
  argv: readonly string[] = process.argv,
): string | undefined {
  if (environ === null) return current;
  const given = environ
    .split('\0')
    .find((entry) => entry.startsWith('NODE_ENV='))
    ?.slice('NODE_ENV='.length);
  if (given !== undefined && given.trim() !== '') return given;
  // Strapi only ever writes "development": any other value was set on purpose (by a script, before Strapi loaded).
  if (current !== undefined && current !== 'development') return current;
  if (argv.includes('develop')) return 'development';
  return undefined;
}
