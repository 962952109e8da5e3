// `npm run seed`: creates and publishes any seed entry that is missing; never overwrites an existing one.
// Loads the compiled app (run `npm start` or `npm run build -w cms` first) without starting the HTTP server.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const cmsDir = path.resolve(import.meta.dirname, '..');
const { createStrapi } = require('@strapi/strapi') as typeof import('@strapi/strapi');
const { seedMissingContent } = require(path.join(cmsDir, 'dist/src/seed/seed.js')) as typeof import('../src/seed/seed.ts');

const app = createStrapi({ appDir: cmsDir, distDir: path.join(cmsDir, 'dist') });
await app.load();
try {
  const report = await seedMissingContent(app);
  console.log(`Seed: created ${report.created.join(', ') || 'nothing'}; kept ${report.kept.join(', ') || 'nothing'}.`);
} finally {
  await app.destroy();
}
