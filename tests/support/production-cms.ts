// The CMS's production environment exactly as docker-compose.yml writes it, for a CMS started here: the `cms`
// service's variables (interpolated as compose would from the values a test gives) and its secrets as files, as
// compose mounts them (/run/secrets/<name> becomes a file of a fresh folder). Only the addresses change: the
// local database instead of the compose network's, loopback instead of 0.0.0.0. One helper for the two tests that
// read it: compose.test.ts (refused with placeholder secrets) and operations.test.ts (the production CMS it
// follows from its first start, backed up and restored).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../scripts/common/paths.ts';
import { COMPOSE_SECRETS } from '../../scripts/ops/production-env.ts';
import type { TestDatabase } from './databases.ts';

type SecretFile = keyof typeof COMPOSE_SECRETS;

/** The `cms` service's environment in docker-compose.yml, before interpolation. */
function composeCmsEnvironment(): Record<string, string | number> {
  const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: { cms: { environment: Record<string, string | number> } };
  };
  return compose.services.cms.environment;
}

/** Compose's interpolation (`${VAR}`, `${VAR:-default}`, `${VAR:?message}`), for the values a test supplies. */
function interpolate(value: string | number, vars: Record<string, string>): string {
  return String(value).replace(/\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*)|:\?[^}]*)?\}/g, (_, name: string, fallback?: string) => {
    const found = vars[name] ?? fallback;
    if (found === undefined) throw new Error(`compose would refuse: ${name} is not set`);
    return found;
  });
}

export type ProductionEnv = {
  /** What the CMS process gets (for TestCms.boot's `env`): compose's variables, every secret a NAME_FILE path. */
  env: Record<string, string>;
  /** Rewrites one secret file (by variable name), as an operator edits it between starts (e.g. ADMIN_PASSWORD emptied). */
  writeSecret: (name: (typeof COMPOSE_SECRETS)[SecretFile], value: string) => void;
  /** Removes the secret files' folder. */
  remove: () => void;
};

/**
 * The CMS's environment as compose writes it, with `secrets` (by variable name, e.g. ADMIN_PASSWORD) in the secret
 * files compose would mount, and the other values compose reads from the env file (ADMIN_EMAIL, …) from `secrets`
 * too. `database`: the database it runs on, named by host, port and name as compose names it (Postgres), or the
 * SQLite file TestCms gives it; without one, compose's own database address stays (nothing is started).
 */
export async function productionEnv(secrets: Record<string, string>, database?: TestDatabase): Promise<ProductionEnv> {
  const vars = {
    ...secrets,
    CMS_PUBLIC_URL: 'http://127.0.0.1',
    PREVIEW_PUBLIC_URL: 'http://127.0.0.1:4323',
    SITE_URL: 'http://127.0.0.1:4321',
  };
  const secretsDir = mkdtempSync(path.join(tmpdir(), 'compose-secrets-'));
  const fileOf = Object.fromEntries(Object.entries(COMPOSE_SECRETS).map(([file, name]) => [name, path.join(secretsDir, file)]));
  const writeSecret = (name: string, value: string) => writeFileSync(fileOf[name]!, `${value}\n`, { mode: 0o600 });
  for (const name of Object.values(COMPOSE_SECRETS)) writeSecret(name, secrets[name] ?? '');
  const env = Object.fromEntries(
    Object.entries(composeCmsEnvironment()).map(([key, value]) => [
      key,
      interpolate(value, vars).replace(/^\/run\/secrets\//, `${secretsDir}/`),
    ]),
  );
  const url = database?.kind === 'postgres' ? new URL(database.env.DATABASE_URL!) : null;
  return {
    env: {
      // TestCms gives every CMS fresh secrets as variables: blank here (unset), the files are the only source.
      ...Object.fromEntries(Object.values(COMPOSE_SECRETS).map((name) => [name, ''])),
      ...env,
      HOST: '127.0.0.1',
      PUBLIC_URL: '',
      ...(url
        ? {
            DATABASE_HOST: url.hostname,
            DATABASE_PORT: url.port || '5432',
            DATABASE_NAME: url.pathname.slice(1),
            DATABASE_USERNAME: decodeURIComponent(url.username),
            DATABASE_PASSWORD: decodeURIComponent(url.password),
            DATABASE_PASSWORD_FILE: '',
            DATABASE_URL: '',
          }
        : database
          ? { ...database.env }
          : {}),
    },
    writeSecret,
    remove: () => rmSync(secretsDir, { recursive: true, force: true }),
  };
}
