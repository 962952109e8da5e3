// The content pages read when the warm build worker re-renders part of the site (src/incremental/): the
// content of the last build with a publish's changes applied. A full build never sets it, and pages read
// Astro's content layer (src/content/entries.ts); that store is frozen inside the built bundle, so after a
// publish the re-rendered pages must read the changed content from here instead.
//
// The worker's incremental update (src/incremental/update-site.ts, loaded with the Astro config) and the pages
// (bundled by the build) are different module instances, so the content lives on globalThis under one symbol;
// both sides go through these functions, never the global itself (as src/images/image-run.ts does).
import type { SiteContent } from '../cms/site-content.ts';

const LIVE = Symbol.for('agency.site.liveContent');
type Holder = { [LIVE]?: SiteContent };

/** The content incremental renders read, or null (a full build: pages read the content layer). */
export function liveContent(): SiteContent | null {
  return (globalThis as Holder)[LIVE] ?? null;
}

export function setLiveContent(content: SiteContent | null): void {
  if (content) (globalThis as Holder)[LIVE] = content;
  else delete (globalThis as Holder)[LIVE];
}
