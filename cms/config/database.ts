import path from 'node:path';
import { databaseClient, settings } from '../src/settings';

// SQLite by default (a file under cms/.tmp), Postgres when DATABASE_CLIENT=postgres or DATABASE_URL is set.
// The variables and their defaults are declared in src/settings.ts.
export default () => {
  const s = settings();
  if (databaseClient(s) === 'postgres') {
    return {
      connection: {
        client: 'postgres',
        connection: {
          ...(s.DATABASE_URL
            ? { connectionString: s.DATABASE_URL }
            : {
                host: s.DATABASE_HOST,
                port: s.DATABASE_PORT,
                database: s.DATABASE_NAME,
                user: s.DATABASE_USERNAME,
                password: s.DATABASE_PASSWORD ?? '',
              }),
          ssl: s.DATABASE_SSL,
          schema: s.DATABASE_SCHEMA,
        },
        pool: { min: s.DATABASE_POOL_MIN, max: s.DATABASE_POOL_MAX },
      },
      acquireConnectionTimeout: s.DATABASE_CONNECTION_TIMEOUT,
    };
  }
  // Compiled config lives in cms/dist/config, so the app directory is two levels up.
  const appDir = path.join(__dirname, '..', '..');
  return {
    connection: {
      client: 'sqlite',
      connection: { filename: path.resolve(appDir, s.DATABASE_FILENAME) },
      useNullAsDefault: true,
    },
  };
};
