// What the rebuild service's build worker (scripts/rebuild/build-worker.ts) uses of the site's incremental
// publishing, in one module it loads by path, as it loads Astro from web/: the worker is the one process where
// the service's code and the site's meet, and the service's own code never imports the site's.
import { retainedBuild, setupKey } from './retained-build.ts';
import { makeSpare } from './spare-copy.ts';

export { enableRetention } from './retained-build.ts';
export { NotIncremental, PublishFailed, reindexSite, updateSite } from './update-site.ts';

/**
 * After a full build: the settings an update must have to extend it (the parent's, not what the build added),
 * and the copy the next update starts from. The build ends once that copy is made (~1% of a full build's time),
 * so a publish that follows finds it ready, as it does after an update.
 */
export async function keepSetup(env: Readonly<Record<string, string>>): Promise<void> {
  const build = retainedBuild();
  if (!build) return;
  build.setup = setupKey(env);
  await makeSpare(build.outDir);
}
