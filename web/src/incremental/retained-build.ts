// What the warm build worker keeps of its last full build, so that a publish can re-render only the pages it
// affects (./update-site.ts) with that very build's bundle: the same hashed scripts, the same CSP hashes, the
// same components. Three module instances meet here (the content loader, loaded by the content config's Vite
// server; the integration and the update, loaded with the Astro config; the worker), so the state lives on
// globalThis under one symbol and everything goes through these functions.
import type { SiteContent } from '../cms/site-content.ts';

/** The part of Astro's prerenderer the incremental update uses (astro/dist/core/build/default-prerenderer.js). */
export type RetainedPrerenderer = {
  getStaticPaths(): Promise<Array<{ pathname: string; route: RetainedRoute }>>;
  render(request: Request, options: { routeData: RetainedRoute }): Promise<Response | { response: Response }>;
  app?: { routeCache?: { clearAll(): void }; getOptions?(): unknown };
};
export type RetainedRoute = { route: string; component: string; type: string };

export type RetainedBuild = {
  prerenderer: RetainedPrerenderer;
  /** The build's environment, minus what changes from build to build (outDir, report): see setupKey. */
  setup: string;
  /** Where the build (or the last update) was written: an update copies it into its own directory. */
  outDir: string;
  cacheDir: string;
  site: URL;
  content: SiteContent;
  /** Every path the site has, from getStaticPaths, with its route. */
  paths: Map<string, RetainedRoute>;
  /** The `_astro/` files each page uses (./output-files.ts assetsOf): an image no page uses is removed. */
  assetRefs: Map<string, string[]>;
  /** astro:assets' registrar of image transforms during the build (./astro-images.ts). */
  addStaticImage: unknown;
  /** Opens the build's image run again for an update's renders (src/integrations/images.ts); returns its end. */
  openImageRun: () => () => void;
};

/** What changes from one build to the next without changing the site: where it is written and reported. */
const PER_BUILD = new Set(['SITE_OUT_DIR', 'SITE_BUILD_REPORT']);

/** A build's environment as a key: an update is made only with the settings of the full build it extends. */
export function setupKey(env: Readonly<Record<string, string | undefined>>): string {
  return JSON.stringify(
    Object.entries(env)
      .filter(([name, value]) => value !== undefined && !PER_BUILD.has(name))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

const STATE = Symbol.for('agency.site.retainedBuild');
type State = { enabled?: boolean; fetched?: SiteContent; build?: RetainedBuild; openImageRun?: () => () => void };
const state = (): State => ((globalThis as { [STATE]?: State })[STATE] ??= {});

/** Asked for by the warm build worker only (scripts/rebuild/build-worker.ts): its builds are kept for updates. */
export function enableRetention(): void {
  state().enabled = true;
}

export function retentionEnabled(): boolean {
  return state().enabled === true;
}

/** The content loader's fetch for the running build (src/content/loader.ts). */
export function noteFetchedContent(content: SiteContent): void {
  state().fetched = content;
}

export function fetchedContent(): SiteContent | null {
  return state().fetched ?? null;
}

/** The images integration's way to open its run again (src/integrations/images.ts). */
export function noteImageRunOpener(open: () => () => void): void {
  state().openImageRun = open;
}

export function imageRunOpener(): (() => () => void) | null {
  return state().openImageRun ?? null;
}

export function retainedBuild(): RetainedBuild | null {
  return state().build ?? null;
}

/** Keeps `build` for updates; null forgets it (a new full build starts, or one failed). */
export function retainBuild(build: RetainedBuild | null): void {
  const current = state();
  current.fetched = undefined;
  if (build) current.build = build;
  else delete current.build;
}
