import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CMS_DIR = path.join(ROOT, 'cms');
export const WEB_DIR = path.join(ROOT, 'web');
export const SHARED_DIR = path.join(ROOT, 'shared');
export const ENV_FILE = path.join(ROOT, '.env');
