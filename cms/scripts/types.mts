// `npm run types -w cms`: regenerates Strapi's types for our content types and components into
// cms/types/generated/ (committed, like Strapi's LaunchPad does). They type `strapi.documents(UID.article)`,
// the factories and `strapi.db.query(...)`, so the code is checked against the schemas.
// `npm run check:types -w cms` (`--check`): generates into a temporary folder and fails when the committed
// files differ, i.e. a schema.json changed without the types being regenerated.
// The npm scripts set NODE_ENV=development in the environment the process starts with: the CMS refuses to load
// its config without it, and a value set from inside the process does not count (src/launch-env.ts).
//
// What `strapi ts:generate-types` does, but it compiles the app into a temporary folder instead of cms/dist
// (which a running CMS or test may be using) and needs no database: only Strapi's register phase runs.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const cmsDir = path.resolve(import.meta.dirname, '..');
const GENERATED = path.join('types', 'generated');
const FILES = ['contentTypes.d.ts', 'components.d.ts'];

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

// Strapi's generator formats with the Prettier config it finds from the working directory: always the repo's.
process.chdir(cmsDir);
// Inside cms/ (git-ignored .tmp), so the compiled app resolves its packages from the workspace's node_modules.
mkdirSync(path.join(cmsDir, '.tmp'), { recursive: true });
const work = mkdtempSync(path.join(cmsDir, '.tmp', 'types-'));

// The app's config refuses to load without its secrets (src/settings.ts): throwaway ones, nothing is kept.
// No database is opened; the SQLite file is pointed into the temporary folder all the same.
const throwaway = () => randomBytes(24).toString('base64url');
Object.assign(process.env, {
  NODE_ENV: 'development',
  APP_KEYS: [throwaway(), throwaway()].join(','),
  API_TOKEN_SALT: throwaway(),
  ADMIN_JWT_SECRET: throwaway(),
  TRANSFER_TOKEN_SALT: throwaway(),
  JWT_SECRET: throwaway(),
  ENCRYPTION_KEY: throwaway(),
  DATABASE_CLIENT: 'sqlite',
  DATABASE_FILENAME: path.join(work, 'data.db'),
  STRAPI_TELEMETRY_DISABLED: 'true',
});

type TsUtils = {
  compile: (dir: string, options: { configOptions: { options: Record<string, unknown>; ignoreDiagnostics: boolean } }) => Promise<void>;
  generators: {
    generate: (config: {
      strapi: unknown;
      pwd: string;
      rootDir?: string;
      artifacts: { contentTypes: boolean; components: boolean };
      logger: { silent?: boolean; debug?: boolean };
    }) => Promise<Record<string, unknown>>;
  };
};
const tsUtils = require('@strapi/typescript-utils') as TsUtils;
const { createStrapi } = require('@strapi/strapi') as typeof import('@strapi/strapi');

let failed = false;
try {
  // Type errors do not stop the compile: regenerating the types is often what fixes them.
  const distDir = path.join(work, 'dist');
  await tsUtils.compile(cmsDir, { configOptions: { options: { outDir: distDir, incremental: false }, ignoreDiagnostics: true } });

  const app = createStrapi({ appDir: cmsDir, distDir });
  await app.register();
  const outRoot = values.check ? work : cmsDir;
  const reports = await tsUtils.generators.generate({
    strapi: app,
    pwd: outRoot,
    rootDir: 'types',
    artifacts: { contentTypes: true, components: true },
    logger: { silent: values.check },
  });
  await app.destroy();
  if (!('contentTypes' in reports) || !('components' in reports))
    throw new Error('Strapi could not generate the types (see its messages above).');

  if (values.check) {
    const stale = FILES.filter((file) => {
      const committed = path.join(cmsDir, GENERATED, file);
      return !existsSync(committed) || readFileSync(committed, 'utf8') !== readFileSync(path.join(work, GENERATED, file), 'utf8');
    });
    if (stale.length > 0) {
      failed = true;
      console.error(
        `cms/${GENERATED}/ is out of date with the schemas (${stale.join(', ')}): run \`npm run types -w cms\` and commit the result.`,
      );
    } else console.log(`cms/${GENERATED}/ matches the schemas.`);
  } else console.log(`Wrote cms/${GENERATED}/{${FILES.join(',')}}.`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
// Strapi leaves handles open (its logger, the database pool); the work is done.
process.exit(failed ? 1 : 0);
