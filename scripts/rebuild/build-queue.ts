// Coalesces bursts of publish events into few builds: a quiet window (debounce) bounded by a maximum wait,
// one build at a time, at most one queued. Events arriving during a build join the queued one, so the last
// publish is always covered by a build that starts after it.
// An event the owner marks `startsAtOnce` (one whose build is cheap: an article's incremental publish) does not
// wait out the quiet window when it finds the queue idle: its build starts at once, and what comes after it
// coalesces behind that build as before. Waiting 400 ms in case more follows is worth it before a full build,
// not before a half-second update, where it was a third of the editor's wait.

export type BuildRunner<E> = (events: E[]) => Promise<void>;

export type QueueOptions<E> = {
  /** Wait this long after the last event before building (ms). */
  quietMs: number;
  /** But never wait longer than this after the first pending event (ms). */
  maxWaitMs: number;
  /** Whether an event that finds the queue idle (nothing pending, nothing building) starts its build at once. */
  startsAtOnce?: (event: E) => boolean;
};

export class BuildQueue<E> {
  private pending: E[] = [];
  private firstPendingAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly run: BuildRunner<E>;
  private readonly options: QueueOptions<E>;
  private idleWaiters: Array<() => void> = [];
  /** The pending events began with one that found the queue idle and starts its build at once. */
  private atOnce = false;

  constructor(run: BuildRunner<E>, options: QueueOptions<E>) {
    this.run = run;
    this.options = options;
  }

  /** Events waiting for a build that has not started yet. */
  get queued(): readonly E[] {
    return this.pending;
  }

  get building(): boolean {
    return this.running !== undefined;
  }

  add(event: E): void {
    if (this.pending.length === 0) {
      this.firstPendingAt = Date.now();
      this.atOnce = !this.running && this.options.startsAtOnce?.(event) === true;
    }
    this.pending.push(event);
    this.schedule();
  }

  /** Resolves when nothing is pending or building. */
  idle(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    clearTimeout(this.timer);
    this.pending = [];
    // Nothing will run any more: release idle() waiters now (a running build releases them when it ends).
    if (!this.running) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.running || this.pending.length === 0) return; // the running build reschedules when it ends
    const sinceFirst = Date.now() - this.firstPendingAt;
    // A timer even at 0 ms: the caller finishes what it is doing (the service logs the event) before the build starts.
    const delay = this.atOnce ? 0 : Math.max(0, Math.min(this.options.quietMs, this.options.maxWaitMs - sinceFirst));
    this.timer = setTimeout(() => this.start(), delay);
  }

  private start(): void {
    const events = this.pending;
    this.pending = [];
    this.atOnce = false;
    this.running = this.run(events)
      .catch(() => {
        /* the runner records its own failures */
      })
      .finally(() => {
        this.running = undefined;
        // Events that came during the build wait out their own quiet window (bounded by the maximum wait
        // counted from the first of them), so a burst still coalesces.
        if (this.pending.length > 0) this.schedule();
        else {
          for (const resolve of this.idleWaiters.splice(0)) resolve();
        }
      });
  }
}
