// Builds that are skipped when nothing they read has changed (the CMS's admin build, the preview server):
// a hash of the build's input files, kept in a stamp file beside its output after a successful build.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withLock } from '../common/lock.ts';
import { ROOT } from '../common/paths.ts';

/** Every file under `dir` (recursively), sorted; a file path is returned as is; a missing path adds nothing. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** One hash of every file under `paths` (their paths relative to the checkout and their bytes). */
export function hashInputs(paths: string[]): string {
  const hash = createHash('sha256');
  for (const file of paths.flatMap(filesUnder)) {
    hash.update(path.relative(ROOT, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

export type CachedBuild = {
  /** Every file and folder the build reads. */
  inputs: string[];
  /** Where the inputs' hash is kept after a successful build (inside the build's output). */
  stamp: string;
  /** Held while building: another process building the same thing waits, then finds it current. */
  lock: string;
  staleLockMs: number;
  /** Builds; throws when the build fails (the stamp is then left as it was). */
  build: () => Promise<void>;
};

/** Whether the last successful build had exactly these inputs. */
export function isCurrent({ inputs, stamp }: Pick<CachedBuild, 'inputs' | 'stamp'>): boolean {
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === hashInputs(inputs);
}

/** Runs the build unless it is current; checks again under the lock, since another process may have built it meanwhile. */
export async function buildUnlessCurrent(cached: CachedBuild): Promise<'reused' | 'built'> {
  if (isCurrent(cached)) return 'reused';
  mkdirSync(path.dirname(cached.lock), { recursive: true });
  return withLock(cached.lock, cached.staleLockMs, async () => {
    if (isCurrent(cached)) return 'reused';
    const hash = hashInputs(cached.inputs);
    await cached.build();
    writeFileSync(cached.stamp, hash);
    return 'built';
  });
}
