// Site builds in a warm process. A fresh `astro build` spends most of a small site's build starting up: Node,
// then resolving and compiling Astro, Vite, Rollup and the integrations' packages, every time. The rebuild
// service builds on every publish, so it keeps one worker process (./build-worker.ts) that has done that once
// and builds again on request: the same build, the same files, in less than half the time (docs/benchmarks.md).
//
// A worker is replaced rather than trusted when it might not build what a fresh process would:
//   - after a failed build (it may have left half-finished state behind), and when it dies; not after an
//     incremental publish that failed in its images step (an image the content shows could not be had): that
//     step comes before anything is rendered or copied, and the worker still holds the live build untouched
//     (web/src/incremental/update-site.ts), so the editor's fixed publish is incremental again;
//   - when code it has loaded changed on disk (web/src, the Astro config, shared/'s build, the lockfile):
//     Vite reads the pages again for every build, but the config's own imports stay loaded;
//   - after MAX_BUILDS builds, or once it holds more memory than its first full build left it with, twice
//     over, and at least MAX_RSS_BYTES: growth means a leak. A fixed limit would not do: the worker keeps its
//     last build for incremental publishes, so a 10,000-article site's worker holds several GB by design, and
//     replacing it would make every publish a full build.
// Replacing costs one cold build, no more. A build may also be given a deadline: a worker that has not answered
// by then is stopped (whatever it was waiting for) and the build fails, so a hung step never holds the service's
// queue (a publish waiting behind it forever); the next build starts a new worker. The worker also makes
// incremental publishes (update) and their search index (reindex) from the build it made last
// (web/src/incremental/); a new worker has none, so those then say so and the caller builds in full. Stopping the owner (`close()`, or stopAllChildren on a signal)
// stops the worker; a worker whose parent is gone exits by itself.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startChild, type Child } from '../common/children.ts';
import { ROOT, SHARED_DIR, WEB_DIR } from '../common/paths.ts';
import { readMarker, type BuildDone, type UpdateOutcome, type WorkerRequest } from './build-worker-protocol.ts';

const WORKER = path.join(import.meta.dirname, 'build-worker.ts');
const MAX_BUILDS = 200;
const MAX_RSS_BYTES = 1.5 * 1024 ** 3;
/**
 * After the worker says a build is done, how long its last lines (and the end marker behind them) may take to
 * arrive through the pipes: past it, the build ends with what came. An IPC message can overtake the pipes, not
 * by seconds.
 */
const LINES_GRACE_MS = 2000;

/** What the worker has loaded and Vite does not read again per build: a change to any of it replaces the worker. */
export const WATCHED = [
  path.join(WEB_DIR, 'src'),
  path.join(WEB_DIR, 'astro.config.mjs'),
  path.join(SHARED_DIR, 'dist'),
  path.join(ROOT, 'package-lock.json'),
];

const definedOnly = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));

/** The newest modification time under `paths` (files and folders, recursively); 0 for what does not exist. */
function newestChange(paths: readonly string[]): number {
  let newest = 0;
  const visit = (target: string) => {
    const stats = statSync(target, { throwIfNoEntry: false });
    if (!stats) return;
    newest = Math.max(newest, stats.mtimeMs);
    if (stats.isDirectory()) for (const name of readdirSync(target)) visit(path.join(target, name));
  };
  for (const target of paths) visit(target);
  return newest;
}

export type WarmBuild = {
  /** 0 when the build succeeded; otherwise 1, or the worker's exit code when it died mid-build. */
  code: number | null;
  output: string;
  /** Whether a worker that had already built ran it (false: a new worker, so a cold build). */
  warm: boolean;
  /** The worker's memory after the build (null when it died or never ran): it is replaced past MAX_RSS_BYTES. */
  rssBytes: number | null;
  /** For an update: what it did, or why it did not apply. */
  update?: UpdateOutcome;
  /** The worker had not answered within the build's deadline: it was stopped (and is replaced). */
  timedOut?: boolean;
};

/** baseRss: the worker's memory after its first full build, the size of the site it holds (null before). */
type Worker = { child: Child; builds: number; sources: number; exited: boolean; baseRss: number | null };

/** `90 s`, `12.5 min`: a deadline as a person reads it. */
export function formatDuration(ms: number): string {
  return ms < 120_000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Number((ms / 60_000).toFixed(1))} min`;
}

export class WarmBuilder {
  private worker: Worker | null = null;
  private sequence = 0;
  private closed = false;
  /** The end of the last build asked for: the next one starts after it. */
  private turns: Promise<void> = Promise.resolve();
  /** Takes every line the running build prints (builds take turns, so there is one at most). */
  private onBuildLine: ((line: string) => void) | null = null;
  private readonly watched: readonly string[];
  private readonly minRecycleBytes: number;

  constructor(
    options: {
      watched?: readonly string[];
      /** The memory past which a worker is replaced, at the least (default MAX_RSS_BYTES; tests lower it). */
      minRecycleBytes?: number;
    } = {},
  ) {
    this.watched = options.watched ?? WATCHED;
    this.minRecycleBytes = options.minRecycleBytes ?? MAX_RSS_BYTES;
  }

  /**
   * Runs one build with exactly `env` as its environment. Never throws for a failed build: read `code`. Builds
   * take turns (the worker runs one at a time, and each build's lines must reach its own caller).
   */
  build(env: NodeJS.ProcessEnv, onLine?: (line: string) => void, timeoutMs?: number): Promise<WarmBuild> {
    return this.take((id) => ({ type: 'build', id, env: definedOnly(env) }), onLine, { timeoutMs });
  }

  /**
   * An incremental publish of `documentIds` into env.SITE_OUT_DIR, from the live build `from`
   * (web/src/incremental/update-site.ts). Only a worker that made the live build can: otherwise, or when the
   * update fails, `update.applied` is false and says why (the caller builds in full; the worker stays).
   */
  update(
    env: NodeJS.ProcessEnv,
    documentIds: readonly string[],
    from: string,
    onLine?: (line: string) => void,
    timeoutMs?: number,
  ): Promise<WarmBuild> {
    return this.take((id) => ({ type: 'update', id, env: definedOnly(env), documentIds: [...documentIds], from }), onLine, {
      extendsLive: true,
      timeoutMs,
    });
  }

  /**
   * The live build `from`'s search index made again into env.SITE_OUT_DIR, after an update (which keeps the old
   * index): web/src/incremental/update-site.ts reindexSite. Same rules as update().
   */
  reindex(env: NodeJS.ProcessEnv, from: string, onLine?: (line: string) => void, timeoutMs?: number): Promise<WarmBuild> {
    return this.take((id) => ({ type: 'search', id, env: definedOnly(env), from }), onLine, { extendsLive: true, timeoutMs });
  }

  private take(
    request: (id: number) => WorkerRequest,
    onLine?: (line: string) => void,
    /**
     * extendsLive: the request builds on the live build, which only the worker that made it holds. timeoutMs:
     * the build's deadline, counted from its start (not from its turn).
     */
    options: { extendsLive?: boolean; timeoutMs?: number | undefined } = {},
  ): Promise<WarmBuild> {
    const turn = this.turns.then(() => this.buildNow(request, onLine, options.extendsLive ?? false, options.timeoutMs));
    this.turns = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async buildNow(
    makeRequest: (id: number) => WorkerRequest,
    onLine: ((line: string) => void) | undefined,
    extendsLive: boolean,
    timeoutMs: number | undefined,
  ): Promise<WarmBuild> {
    if (this.closed)
      return { code: 1, output: 'The warm builder is closed: the rebuild service is stopping.', warm: false, rssBytes: null };
    // An update needs the worker that made the live build: a new one has nothing to extend.
    if (extendsLive && (!this.worker || this.worker.exited || this.worker.sources !== newestChange(this.watched)))
      return {
        code: 1,
        output: '',
        warm: false,
        rssBytes: null,
        update: { applied: false, reason: 'no warm worker holds the live build' },
      };
    const worker = await this.ready();
    const warm = worker.builds > 0;
    const id = ++this.sequence;
    const output: string[] = [];
    let markers = 0;
    let done = null as BuildDone | null;
    const timers: NodeJS.Timeout[] = [];

    const result = await new Promise<WarmBuild>((resolve) => {
      const resolveDone = (build: BuildDone) =>
        resolve({
          code: build.ok ? 0 : 1,
          output: output.join('\n'),
          warm,
          rssBytes: build.rssBytes,
          ...(build.update && { update: build.update }),
        });
      const finish = () => {
        if (done && markers === 2) resolveDone(done);
      };
      const keep = (line: string) => {
        output.push(line);
        onLine?.(line);
      };
      const listener = (line: string) => {
        // The marker may end a line the build left unfinished (readMarker says why that matters).
        const { ended, before } = readMarker(line, id);
        if (before !== null) keep(before);
        if (!ended) return;
        markers += 1;
        finish();
      };
      this.onBuildLine = listener;
      const onMessage = (message: BuildDone) => {
        if (message?.type !== 'done' || message.id !== id) return;
        done = message;
        finish();
        // The worker has answered: its lines get a moment to arrive, never a wait without end.
        timers.push(setTimeout(() => resolveDone(message), LINES_GRACE_MS));
      };
      worker.child.process.on('message', onMessage);
      if (timeoutMs !== undefined)
        timers.push(
          setTimeout(() => {
            if (done) return;
            output.push(
              `The build worker did not answer within ${formatDuration(timeoutMs)}: it was stopped, and the next build starts a new one.`,
            );
            resolve({ code: 1, output: output.join('\n'), warm, rssBytes: null, timedOut: true });
          }, timeoutMs),
        );
      void worker.child.exited.then((code) => {
        if (done && markers === 2) return;
        output.push(`The build worker exited (code ${code ?? 'none: killed'}) before the build ended.`);
        resolve({ code: code === 0 || code === null ? 1 : code, output: output.join('\n'), warm, rssBytes: null });
      });
      worker.child.process.send(makeRequest(id));
    }).finally(() => {
      for (const timer of timers) clearTimeout(timer);
      this.onBuildLine = null;
      worker.child.process.removeAllListeners('message');
    });

    worker.builds += 1;
    // An update that did not apply leaves a worker as sound as before (its state is reset by the full build
    // that follows); any other failure replaces it.
    const failed = result.timedOut === true || (result.code !== 0 && result.update?.applied !== false);
    if (worker.baseRss === null && !result.update && result.code === 0) worker.baseRss = result.rssBytes;
    const limit = Math.max(this.minRecycleBytes, 2 * (worker.baseRss ?? 0));
    if (failed || worker.builds >= MAX_BUILDS || (result.rssBytes ?? 0) > limit) await this.retire();
    return result;
  }

  /** The worker's process id, or null when none runs (before the first build, after a failed one). */
  get workerPid(): number | null {
    return this.worker && !this.worker.exited ? (this.worker.child.process.pid ?? null) : null;
  }

  /** Stops the worker; later builds fail at once. */
  async close(): Promise<void> {
    this.closed = true;
    await this.retire();
  }

  /** The current worker, replaced first when it is gone or what it loaded changed on disk. */
  private async ready(): Promise<Worker> {
    const sources = newestChange(this.watched);
    if (this.worker && (this.worker.exited || this.worker.sources !== sources)) await this.retire();
    if (this.worker) return this.worker;
    const child = startChild('build-worker', process.execPath, [WORKER], {
      cwd: WEB_DIR,
      env: process.env,
      ipc: true,
      onLine: (line) => {
        this.onBuildLine?.(line);
      },
    });
    const worker: Worker = { child, builds: 0, sources, exited: false, baseRss: null };
    void child.exited.then(() => (worker.exited = true));
    this.worker = worker;
    return worker;
  }

  private async retire(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.child.stop();
  }
}
