// `npm run seed`: creates and publishes any seed entry that is missing; never overwrites an existing one.
// Loads the compiled app (run `npm start` or `npm run build -w cms` first) without starting the HTTP server.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const cmsDir = path.resolve(import.meta.dirname, '..');
const { createStrapi } = require('@strapi/strapi') as typeof import('@strapi/strapi');
const { seedMissingContent } = require(path.join(cmsDir, 'dist/src/seed/seed.js')) as typeof import('../src/seed/seed.ts');

/**
 * Waits (10 s at most) until no query holds or waits for a database connection. Strapi handles a publish's events
 * after the publish has returned, with queries of its own that nobody awaits: closing the database under them
 * ended the process with code 1 after a seed that had worked (a pending query aborted, or timed out 60 s later).
 */
async function queriesSettled(strapi: typeof app): Promise<void> {
  type Pool = { numUsed(): number; numPendingAcquires(): number };
  const pool = (strapi.db?.connection as unknown as { client?: { pool?: Pool } } | undefined)?.client?.pool;
  const deadline = Date.now() + 10_000;
  while (pool && (pool.numUsed() > 0 || pool.numPendingAcquires() > 0) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
}

const app = createStrapi({ appDir: cmsDir, distDir: path.join(cmsDir, 'dist') });
await app.load();
try {
  const report = await seedMissingContent(app);
  console.log(`Seed: created ${report.created.join(', ') || 'nothing'}; kept ${report.kept.join(', ') || 'nothing'}.`);
} finally {
  await queriesSettled(app);
  await app.destroy();
}
