// What the rebuild service's build worker (scripts/rebuild/build-worker.ts) uses of the site's incremental
// publishing, in one module it loads by path, as it loads Astro from web/: the worker is the one process where
// the service's code and the site's meet, and the service's own code never imports the site's.
import { retainedBuild, setupKey } from './retained-build.ts';

export { enableRetention } from './retained-build.ts';
export { NotIncremental, reindexSite, updateSite } from './update-site.ts';

/** After a full build: the settings an update must have to extend it (the parent's, not what the build added). */
export function keepSetup(env: Readonly<Record<string, string>>): void {
  const build = retainedBuild();
  if (build) build.setup = setupKey(env);
}
