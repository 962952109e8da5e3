// Lanes: the files of one project run one at a time, while the other project's files run beside them. Vitest
// runs the integration and e2e files in one pool of two workers (vitest.config.ts); a file takes its project's
// lane before its first test (./test-file-env.ts) and gives it back after its last. So each project's files
// still share its CMS, its webhook channel and the rich site one at a time, as when every file ran alone, and
// the run takes about as long as its longer project instead of both added up.
//
// The broker (./fixture-broker.ts) keeps the lanes in Vitest's main process. A holder is a worker process: if it
// dies without giving its lane back, the next waiter takes the lane once the process is gone.

import { processAlive } from '../../scripts/common/children.ts';

type Holder = { file: string; pid: number };

export class Lanes {
  private readonly held = new Map<string, Holder>();
  private readonly queues = new Map<string, Array<{ holder: Holder; take: () => void }>>();

  /** Resolves once `holder` has `lane` (at once when it is free); `gone` cancels the wait (the request closed). */
  acquire(lane: string, holder: Holder, gone: AbortSignal): Promise<void> {
    if (!this.held.has(lane)) {
      this.held.set(lane, holder);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      // A holder that died (a crashed worker) never gives its lane back: look, while anyone waits for it.
      const watch = setInterval(() => {
        const current = this.held.get(lane);
        if (current && !processAlive(current.pid)) this.release(lane, current);
      }, 1000);
      const entry = {
        holder,
        take: () => {
          clearInterval(watch);
          resolve();
        },
      };
      const queue = this.queues.get(lane) ?? this.queues.set(lane, []).get(lane)!;
      queue.push(entry);
      gone.addEventListener('abort', () => {
        clearInterval(watch);
        const at = queue.indexOf(entry);
        if (at >= 0) queue.splice(at, 1);
        reject(new Error(`${holder.file} stopped waiting for the ${lane} lane.`));
      });
    });
  }

  /** Gives `lane` back (if `holder` has it) to the first file waiting for it. */
  release(lane: string, holder: Holder): void {
    const current = this.held.get(lane);
    if (!current || current.pid !== holder.pid || current.file !== holder.file) return;
    const next = this.queues.get(lane)?.shift();
    if (next) {
      this.held.set(lane, next.holder);
      next.take();
    } else {
      this.held.delete(lane);
    }
  }
}
