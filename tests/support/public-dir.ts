// A public folder of its own for a test CMS (the CMS's PUBLIC_DIR: local uploads live in its uploads/). Files
// run two at a time, and a restore empties the uploads/ of the CMS it imports into: on one shared cms/public a
// restore in one file took the images another file's build was fetching. The robots.txt the CMS serves is copied in.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CMS_DIR } from '../../scripts/common/paths.ts';

export type PublicDir = { dir: string; env: { PUBLIC_DIR: string }; remove: () => void };

export function ownPublicDir(parent = tmpdir()): PublicDir {
  const dir = mkdtempSync(path.join(parent, 'cms-public-'));
  mkdirSync(path.join(dir, 'uploads'));
  copyFileSync(path.join(CMS_DIR, 'public', 'robots.txt'), path.join(dir, 'robots.txt'));
  return { dir, env: { PUBLIC_DIR: dir }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
