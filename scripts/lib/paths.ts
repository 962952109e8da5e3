import { createRequire } from 'node:module';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CMS_DIR = path.join(ROOT, 'cms');
export const WEB_DIR = path.join(ROOT, 'web');
export const SHARED_DIR = path.join(ROOT, 'shared');
export const ENV_FILE = path.join(ROOT, '.env');

const require = createRequire(import.meta.url);
/** The CLIs the scripts run with this process's Node (24), whatever `node` the shell has. */
export const STRAPI_BIN = path.join(path.dirname(require.resolve('@strapi/strapi/package.json', { paths: [CMS_DIR] })), 'bin', 'strapi.js');
export const ASTRO_BIN = path.join(path.dirname(require.resolve('astro/package.json', { paths: [WEB_DIR] })), 'bin', 'astro.mjs');

/** The site store (builds and the live `current` link) unless SITE_DIR says otherwise. */
export const siteDir = (env: NodeJS.ProcessEnv) => path.resolve(env.SITE_DIR || path.join(ROOT, '.data', 'site'));
