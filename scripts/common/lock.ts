// A lock shared by every process on this checkout (a directory: mkdir is atomic). Used where two builds at
// once would break each other: `strapi build` empties cms/dist; `astro build` stages pages in web/.astro.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { sleep } from './sleep.ts';

// Locks this process holds, released even when it exits abruptly (npm start's Ctrl-C calls process.exit),
// so the next run does not wait out a lock nobody holds.
const held = new Set<string>();
process.on('exit', () => {
  for (const lock of held) rmSync(lock, { recursive: true, force: true });
});

function age(lock: string): number | null {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return null;
  }
}

/** Resolves when nobody holds `lock` (a lock older than `staleMs` is a crashed holder's: ignored). */
export async function waitForLock(lock: string, staleMs: number): Promise<void> {
  for (let held = age(lock); held !== null && held < staleMs; held = age(lock)) await sleep(200);
}

export async function withLock<T>(lock: string, staleMs: number, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lock, { recursive: false });
      held.add(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error; // the parent folder is missing
      const held = age(lock);
      if (held !== null && held >= staleMs) rmSync(lock, { recursive: true, force: true });
      else await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    held.delete(lock);
    rmSync(lock, { recursive: true, force: true });
  }
}
