// What the rebuild service's warm builder (./warm-builder.ts) and its worker process (./build-worker.ts) say to
// each other over Node's IPC channel. The build's log goes over the worker's stdout and stderr as it would from
// `astro build`; the end marker, printed on both after each build, tells the parent that every line of that
// build has arrived (an IPC message can overtake the last lines in the pipes).

/** Parent → worker: build once with exactly this environment (the one `astro build` would have been given). */
export type BuildRequest = { type: 'build'; id: number; env: Record<string, string> };

/** Worker → parent: the build `id` ended; `rssBytes`: the worker's memory after it, for the recycling policy. */
export type BuildDone = { type: 'done'; id: number; ok: boolean; rssBytes: number };

/** Printed on stdout and stderr after build `id`, after everything the build printed. */
export const endMarker = (id: number) => `@@agency-build-end ${id}@@`;
