import type { Core } from '@strapi/strapi';
import path from 'node:path';
import { requireSecrets } from '../src/env-check';

// SQLite by default (a file under cms/.tmp), Postgres when DATABASE_CLIENT=postgres or DATABASE_URL is set.
export default ({ env }: Core.Config.Shared.ConfigParams) => {
  const url = env('DATABASE_URL', '');
  const client = env('DATABASE_CLIENT', url ? 'postgres' : 'sqlite');

  if (client === 'postgres') {
    // A production database with the example password is an open door: refuse it like the other secrets.
    if (env('NODE_ENV') === 'production' && !url) requireSecrets(env, 'DATABASE_PASSWORD');
    return {
      connection: {
        client: 'postgres',
        connection: {
          ...(url
            ? { connectionString: url }
            : {
                host: env('DATABASE_HOST', '127.0.0.1'),
                port: env.int('DATABASE_PORT', 5432),
                database: env('DATABASE_NAME', 'strapi'),
                user: env('DATABASE_USERNAME', 'strapi'),
                password: env('DATABASE_PASSWORD', ''),
              }),
          ssl: env.bool('DATABASE_SSL', false),
          schema: env('DATABASE_SCHEMA', 'public'),
        },
        pool: { min: env.int('DATABASE_POOL_MIN', 0), max: env.int('DATABASE_POOL_MAX', 10) },
      },
      acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000),
    };
  }

  if (client !== 'sqlite') {
    throw new Error(`DATABASE_CLIENT must be "sqlite" or "postgres", not "${client}".`);
  }
  // Compiled config lives in cms/dist/config, so the app directory is two levels up.
  const appDir = path.join(__dirname, '..', '..');
  return {
    connection: {
      client: 'sqlite',
      connection: { filename: path.resolve(appDir, env('DATABASE_FILENAME', '.tmp/data.db')) },
      useNullAsDefault: true,
    },
  };
};
