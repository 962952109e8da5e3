// Coalesces bursts of publish events into few builds: a quiet window (debounce) bounded by a maximum wait,
// one build at a time, at most one queued. Events arriving during a build join the queued one, so the last
// publish is always covered by a build that starts after it.

export type BuildRunner<E> = (events: E[]) => Promise<void>;

export type QueueOptions = {
  /** Wait this long after the last event before building (ms). */
  quietMs: number;
  /** But never wait longer than this after the first pending event (ms). */
  maxWaitMs: number;
};

export class BuildQueue<E> {
  private pending: E[] = [];
  private firstPendingAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly run: BuildRunner<E>;
  private readonly options: QueueOptions;
  private idleWaiters: Array<() => void> = [];

  constructor(run: BuildRunner<E>, options: QueueOptions) {
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
    if (this.pending.length === 0) this.firstPendingAt = Date.now();
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
    const delay = Math.max(0, Math.min(this.options.quietMs, this.options.maxWaitMs - sinceFirst));
    this.timer = setTimeout(() => this.start(), delay);
  }

  private start(): void {
    const events = this.pending;
    this.pending = [];
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
