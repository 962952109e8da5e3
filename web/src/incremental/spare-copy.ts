// The next build's directory, made ahead of time. An incremental build starts as a hard-linked copy of the live
// one (./update-site.ts), and on this machine's disks linking 10,000 articles' pages, their compressed copies
// and the search index (~50,000 entries) takes 2–4 s: longer than the rest of the publish. None of it depends
// on the publish, only on the build it starts from, and a build never changes once written. So once a build is
// kept (a full build, or the search index that follows an update), the worker copies it, as that step's last
// work, into a spare directory beside it; the next update renames the spare into place (one rename) and
// replaces only the files it renders. A spare is for one build and one set of
// skipped entries; any other request makes its copy then, as before.
// Spares are dot-directories beside the builds (`.spare-<build>`): the site store never serves or prunes them
// (scripts/rebuild/site-store.ts), and the worker keeps one at a time, removing any other it finds.
import { link, mkdir, readdir, rm } from 'node:fs/promises';
import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Links made at once: enough to keep the disk busy, few enough for the event loop to answer the next request. */
const IN_FLIGHT = 32;
const SPARE_PREFIX = '.spare-';

type Spare = { from: string; skip: string; dir: string };

const STATE = Symbol.for('agency.site.spareCopy');
const state = (): { spare?: Spare } => ((globalThis as { [STATE]?: { spare?: Spare } })[STATE] ??= {});

const skipKey = (skip: ReadonlySet<string>) => [...skip].sort().join('\n');

/** Copies `from` into `to` as hard links, directories made anew, IN_FLIGHT operations at a time. */
async function linkTree(from: string, to: string, skip: ReadonlySet<string>): Promise<void> {
  const pending = new Set<Promise<void>>();
  const run = async (task: () => Promise<void>) => {
    while (pending.size >= IN_FLIGHT) await Promise.race(pending);
    const promise = task().finally(() => pending.delete(promise));
    pending.add(promise);
  };
  const visit = async (source: string, target: string, top: boolean): Promise<void> => {
    await mkdir(target, { recursive: true });
    for (const entry of await readdir(source, { withFileTypes: true })) {
      if (top && skip.has(entry.name)) continue;
      const inner = path.join(source, entry.name);
      const outer = path.join(target, entry.name);
      if (entry.isDirectory()) await visit(inner, outer, false);
      else await run(() => link(inner, outer));
    }
  };
  await visit(from, to, true);
  await Promise.all(pending);
}

/** Removes every spare beside `build` but `keep`, in the background (an old spare is as big as a build). */
function removeOtherSpares(build: string, keep: string | null): void {
  const parent = path.dirname(build);
  void readdir(parent)
    .then((names) =>
      Promise.all(
        names
          .filter((name) => name.startsWith(SPARE_PREFIX) && path.join(parent, name) !== keep)
          .map((name) => rm(path.join(parent, name), { recursive: true, force: true })),
      ),
    )
    .catch(() => {
      /* a spare left behind is removed with the next one */
    });
}

/**
 * Copies build `from` (minus the top-level entries `skip`) into a spare, for the next request that starts from
 * it. Called at the end of a build or a search index, whose time it adds to (not an editor's wait); a failure is
 * said and leaves no spare: the request that wanted it copies for itself.
 */
export async function makeSpare(from: string, skip: ReadonlySet<string> = new Set()): Promise<void> {
  const dir = path.join(path.dirname(from), `${SPARE_PREFIX}${path.basename(from)}`);
  removeOtherSpares(from, dir);
  rmSync(dir, { recursive: true, force: true });
  delete state().spare;
  try {
    await linkTree(from, dir, skip);
  } catch (error) {
    console.warn(
      `[incremental] the spare copy of ${from} failed (${error instanceof Error ? error.message : String(error)}); the next update copies the build itself.`,
    );
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  state().spare = { from: path.resolve(from), skip: skipKey(skip), dir };
}

/**
 * Makes `to` a hard-linked copy of `from` without `skip`: the spare for exactly that, renamed into place, or a
 * copy made now. Returns whether the spare was used.
 */
export async function copyBuild(from: string, to: string, skip: ReadonlySet<string> = new Set()): Promise<boolean> {
  const spare = state().spare;
  delete state().spare;
  if (spare && spare.from === path.resolve(from) && spare.skip === skipKey(skip)) {
    rmSync(to, { recursive: true, force: true });
    try {
      renameSync(spare.dir, to);
      return true;
    } catch {
      /* gone or not movable: copy now */
    }
  }
  if (spare) removeOtherSpares(from, null);
  rmSync(to, { recursive: true, force: true });
  await linkTree(from, to, skip);
  return false;
}
