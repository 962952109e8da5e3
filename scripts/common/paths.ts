// Where things are in the checkout. Program-specific paths live with their program: the Strapi CLI with the
// stack (scripts/stack/cms-runner.ts), the Astro CLI with the site build (scripts/rebuild/build-site.ts).
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CMS_DIR = path.join(ROOT, 'cms');
export const WEB_DIR = path.join(ROOT, 'web');
export const SHARED_DIR = path.join(ROOT, 'shared');
/** The local stack's settings and generated secrets (git-ignored), read by npm start, backups and the CMS build. */
export const ENV_FILE = path.join(ROOT, '.env');
/** The site store (builds and the live `current` link) unless SITE_DIR says otherwise. */
export const DEFAULT_SITE_DIR = path.join(ROOT, '.data', 'site');
