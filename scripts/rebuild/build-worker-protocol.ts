// What the rebuild service's warm builder (./warm-builder.ts) and its worker process (./build-worker.ts) say to
// each other over Node's IPC channel. The build's log goes over the worker's stdout and stderr as it would from
// `astro build`; the end marker, printed on both after each build, tells the parent that every line of that
// build has arrived (an IPC message can overtake the last lines in the pipes).
import type { IncrementalUpdateFigures } from '@agency/shared';

/** Parent → worker: build once with exactly this environment (the one `astro build` would have been given). */
export type BuildRequest = { type: 'build'; id: number; env: Record<string, string> };

/**
 * Parent → worker: an incremental publish of these articles (web/src/incremental/update-site.ts), into the
 * environment's SITE_OUT_DIR, starting from the live build `from`.
 */
export type UpdateRequest = { type: 'update'; id: number; env: Record<string, string>; documentIds: string[]; from: string };

/** Parent → worker: the search index of the live build `from` made again, into the environment's SITE_OUT_DIR. */
export type SearchRequest = { type: 'search'; id: number; env: Record<string, string>; from: string };

export type WorkerRequest = BuildRequest | UpdateRequest | SearchRequest;

/**
 * The site's incremental publishing as the worker loads it (web/src/incremental/worker-api.ts, by path: the
 * service's code does not import the site's).
 */
export type SiteIncremental = {
  enableRetention(): void;
  keepSetup(env: Readonly<Record<string, string>>): Promise<void>;
  updateSite(request: {
    documentIds: readonly string[];
    from: string;
    outDir: string;
    env: Record<string, string>;
  }): Promise<IncrementalUpdateFigures>;
  reindexSite(request: { from: string; outDir: string }): Promise<number>;
  NotIncremental: abstract new (...args: never[]) => Error;
  PublishFailed: abstract new (...args: never[]) => Error;
};

/**
 * Why an update or a search index could not be made (then the service builds in full, or keeps the old index).
 * `publishFailed`: the update found that the publish itself fails, as a full build of it would (an image the
 * changed articles show could not be had; the build report says which): then nothing more is built for it, and
 * the worker, which still holds the live build untouched, is kept.
 */
type NotApplied = { applied: false; reason: string; publishFailed?: true };

/** What an update did, or why it did not apply. */
export type UpdateOutcome =
  ({ applied: true; kind: 'update' } & IncrementalUpdateFigures) | { applied: true; kind: 'search'; searchMs: number } | NotApplied;

/**
 * Worker → parent: the request `id` ended; `rssBytes`: the worker's memory after it, for the recycling policy;
 * `update`: for an update request.
 */
export type BuildDone = { type: 'done'; id: number; ok: boolean; rssBytes: number; update?: UpdateOutcome };

/** Printed on stdout and stderr after build `id`, after everything the build printed. */
export const endMarker = (id: number) => `@@agency-build-end ${id}@@`;

/**
 * Reads one line of the worker's output for build `id`: whether it carries the end marker, and what the build
 * printed before it on that line (null: nothing). The worker prints the marker on a line of its own, but a line
 * the build left unfinished (Astro's progress line of a page whose render failed: `├─ /articles/x/index.html`,
 * its time never added) can still sit before it: a parent that looked for a line equal to the marker waited
 * for it forever, and every publish after it queued behind.
 */
export function readMarker(line: string, id: number): { ended: boolean; before: string | null } {
  const marker = endMarker(id);
  if (!line.endsWith(marker)) return { ended: false, before: line };
  const before = line.slice(0, -marker.length);
  return { ended: true, before: before.trim() === '' ? null : before };
}
