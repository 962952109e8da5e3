// Child processes (Strapi, Astro builds, the preview server, CLIs): started in their own process group, so
// stopping one stops everything it started too, and no orphan keeps a port.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

// Every child this process started and that still runs, so a shutdown can stop them all, including one
// still starting up (npm start interrupted while it waits for Strapi).
const running = new Set<{ stop: () => Promise<void> }>();

/** Stops every child process still running (each with its own process group where it has one). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

export type Child = {
  name: string;
  process: ChildProcess;
  /** The last lines the child printed, for error messages. */
  tail: () => string;
  exited: Promise<number | null>;
  stop: (timeoutMs?: number) => Promise<void>;
};

export function startChild(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { onLine?: (line: string) => void; ipc?: boolean },
): Child {
  // `ipc`: a Node child with a message channel (process.send), as the warm builder's worker has.
  const stdio: SpawnOptions['stdio'] = options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'];
  const child = spawn(command, args, { ...options, detached: true, stdio });
  const lines: string[] = [];
  const line = (text: string) => {
    if (!text) return;
    lines.push(text);
    if (lines.length > 60) lines.shift();
    options.onLine?.(text);
  };
  // Whole lines only: a chunk may end mid-line, and its rest comes with the next chunk of the same stream.
  const collector = () => {
    let partial = '';
    return {
      data: (chunk: Buffer) => {
        const parts = (partial + chunk.toString('utf8')).split(/\r?\n/);
        partial = parts.pop() ?? '';
        for (const part of parts) line(part);
      },
      end: () => {
        line(partial);
        partial = '';
      },
    };
  };
  for (const stream of [child.stdout, child.stderr]) {
    const collect = collector();
    stream?.on('data', collect.data);
    stream?.on('end', collect.end);
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      lines.push(String(error));
      resolve(null);
    });
  });

  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code ?? -1));

  const signal = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };

  const handle: Child = {
    name,
    process: child,
    tail: () => lines.join('\n'),
    exited,
    async stop(timeoutMs = 10_000) {
      if (exitCode !== undefined || !child.pid) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
      // Anything the child itself started goes too.
      signal('SIGKILL');
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/**
 * Runs a command to completion; resolves with its exit code and output. With `timeoutMs`, a command still running
 * then is killed (SIGKILL: it did not finish, so it is not asked to) and `timedOut` is true.
 */
export async function run(
  command: string,
  args: string[],
  options: SpawnOptions & { onLine?: (line: string) => void; timeoutMs?: number | undefined },
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  const { timeoutMs, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  const tracked = {
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
  running.add(tracked);
  child.once('exit', () => running.delete(tracked));
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    if (options.onLine) for (const line of text.split(/\r?\n/)) if (line) options.onLine(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', resolve);
    child.once('error', (error) => {
      output += String(error);
      resolve(null);
    });
  });
  clearTimeout(timer);
  return { code, output, timedOut };
}

/** Whether a process with this id still exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
