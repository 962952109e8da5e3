// The databases the integration suites run on: always SQLite, and Postgres too when TEST_DATABASE_URL is set
// (.ci/run sets it). A test database is either empty (a CMS booted on it migrates, seeds and makes its admin:
// what a first start does) or a copy of a template that a CMS already did all that in (./fixture-broker.ts):
// a copied SQLite file, or Postgres's `CREATE DATABASE … TEMPLATE`, each a fraction of a boot from empty. The
// template itself is a snapshot of a database a CMS is running on (`snapshotTestDatabase`), so that CMS goes on
// serving instead of being stopped to be copied.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export type DatabaseKind = 'sqlite' | 'postgres';

export const DATABASES: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export type TestDatabase = {
  kind: DatabaseKind;
  env: Record<string, string>;
  /** For SQLite, the file; tests use it to damage content on purpose. */
  file?: string;
  /** For Postgres, the database's name (in the TEST_DATABASE_URL server). */
  name?: string;
  drop: () => Promise<void>;
};

/** What a copy is made from: plain data, so a Vitest global setup can hand it to the test files (`provide`). */
export type DatabaseTemplate = { kind: DatabaseKind; file?: string; name?: string };

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: cannot run the Postgres variant (.ci/run shows how it is set up).');
  return url;
}

/** TEST_DATABASE_URL pointed at another database on the same server. */
function urlOf(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

function sqliteDatabase(fill?: (file: string) => void): TestDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-cms-'));
  const file = path.join(dir, 'data.db');
  fill?.(file);
  return {
    kind: 'sqlite',
    file,
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresDatabase(template?: string): Promise<TestDatabase> {
  const name = uniqueName('agency_test');
  await onServer((client) => client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`)).catch(
    (error: Error) => {
      throw new Error(
        `Could not create the test database ${name}${template ? ` from ${template}` : ''}: ${error.message}. The TEST_DATABASE_URL ` +
          'role needs CREATEDB (`ALTER ROLE strapi_test CREATEDB`, as .ci/run does).',
      );
    },
  );
  return {
    kind: 'postgres',
    name,
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: urlOf(name), DATABASE_SCHEMA: 'public' },
    // WITH (FORCE): a test that failed may have left a CMS connected.
    drop: () => onServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** An empty database: a CMS booted on it starts as on a first install. */
export function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  return kind === 'sqlite' ? Promise.resolve(sqliteDatabase()) : postgresDatabase();
}

/** A copy of `template`, taken while no CMS runs on it (Postgres refuses to copy a database in use). */
export function copyTestDatabase(template: DatabaseTemplate): Promise<TestDatabase> {
  if (template.kind === 'sqlite') {
    const source = template.file!;
    if (!existsSync(source)) throw new Error(`The template database ${source} is gone: was the test run's global setup torn down?`);
    return Promise.resolve(sqliteDatabase((file) => copyFileSync(source, file)));
  }
  return postgresDatabase(template.name!);
}

/** The plain-data form of a database, for `provide`. */
export function templateOf(database: TestDatabase): DatabaseTemplate {
  return { kind: database.kind, ...(database.file ? { file: database.file } : {}), ...(database.name ? { name: database.name } : {}) };
}

/**
 * A copy of `database` taken while a CMS runs on it, consistent as of one moment: SQLite's `VACUUM INTO`, or
 * `pg_dump` into a new database (Postgres's `CREATE DATABASE … TEMPLATE` refuses a database in use). Copies of
 * the snapshot are then made with `copyTestDatabase`, which is faster.
 */
export async function snapshotTestDatabase(database: TestDatabase): Promise<TestDatabase> {
  if (database.kind === 'sqlite') {
    return sqliteDatabase((file) => {
      const source = new Database(database.file!, { readonly: true });
      try {
        source.prepare('VACUUM INTO ?').run(file);
      } finally {
        source.close();
      }
    });
  }
  const copy = await postgresDatabase();
  try {
    await pipeDump(urlOf(database.name!), copy.env.DATABASE_URL!);
  } catch (error) {
    await copy.drop();
    throw error;
  }
  return copy;
}

/** `pg_dump from | psql to`, failing with both programs' output when either fails. */
function pipeDump(from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (what: string) => (error: Error) =>
      reject(
        new Error(`Could not snapshot a test database: ${what} failed to start (${error.message}). It comes with PostgreSQL's client.`),
      );
    const dump = spawn('pg_dump', ['--no-owner', '--no-privileges', '--dbname', from], { stdio: ['ignore', 'pipe', 'pipe'] });
    const load = spawn('psql', ['--quiet', '--no-psqlrc', '--set', 'ON_ERROR_STOP=1', '--dbname', to], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    dump.on('error', failed('pg_dump'));
    load.on('error', failed('psql'));
    dump.stdout.pipe(load.stdin);
    let errors = '';
    dump.stderr.on('data', (chunk: Buffer) => (errors += chunk));
    load.stderr.on('data', (chunk: Buffer) => (errors += chunk));
    const codes = [
      new Promise<number | null>((done) => dump.on('close', done)),
      new Promise<number | null>((done) => load.on('close', done)),
    ];
    void Promise.all(codes).then(([dumped, loaded]) =>
      dumped === 0 && loaded === 0
        ? resolve()
        : reject(new Error(`Could not snapshot a test database (pg_dump exited ${dumped}, psql ${loaded}):\n${errors.slice(-4000)}`)),
    );
  });
}
