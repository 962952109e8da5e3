// The warm builder's worker (./warm-builder.ts): one long-lived Node process that runs the site's `astro build`
// through Astro's own JavaScript API, once per request from its parent. The build is the CLI's: same config,
// same integrations, same output, byte for byte (tests/integration/warm-builder.test.ts); what is saved is
// everything a fresh process pays before building — Node's start, resolving and compiling Astro, Vite, Rollup
// and the integrations' packages — ~60% of a seed-site build (docs/benchmarks.md). The config is evaluated
// again for every build, so each one reads its own environment (CMS_URL, SITE_OUT_DIR, the report file).
//
// Not run by hand: the parent starts it with an IPC channel, and it exits when that channel closes (the parent
// gone, whatever the reason), so it never outlives the rebuild service.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { WEB_DIR } from '../common/paths.ts';
import { endMarker, type BuildDone, type BuildRequest } from './build-worker-protocol.ts';

if (!process.send) {
  console.error('build-worker.ts is started by the rebuild service (scripts/rebuild/warm-builder.ts), not by hand.');
  process.exit(2);
}

const astroEntry = createRequire(import.meta.url).resolve('astro', { paths: [WEB_DIR] });
// Astro is web/'s dependency, loaded from there; only its `build` is used (the CLI's `astro build`).
const { build } = (await import(pathToFileURL(astroEntry).href)) as { build: (config: { root: string }) => Promise<void> };

/** Prints an error the way a person reads it in a build log: message, Astro's hint when it has one, stack. */
function printError(error: unknown): void {
  const { message, hint, stack } = (error ?? {}) as { message?: string; hint?: string; stack?: string };
  const lines = [`[ERROR] ${message ?? String(error)}`];
  if (hint) lines.push(`  Hint: ${hint}`);
  const frames = (stack ?? '').split('\n').filter((line) => /^\s+at\s/.test(line));
  if (frames.length > 0) lines.push('  Stack trace:', ...frames);
  console.error(lines.join('\n'));
}

async function runBuild(request: BuildRequest): Promise<boolean> {
  // Exactly the environment the parent sent, as a fresh `astro build` process would have had it.
  for (const key of Object.keys(process.env)) if (!(key in request.env)) delete process.env[key];
  Object.assign(process.env, request.env);
  try {
    await build({ root: WEB_DIR });
    return true;
  } catch (error) {
    printError(error);
    return false;
  }
}

// One build at a time: the parent waits for each `done` (and builds on this checkout also take the lock).
let queue = Promise.resolve();
process.on('message', (message: BuildRequest) => {
  if (message?.type !== 'build') return;
  queue = queue.then(async () => {
    const ok = await runBuild(message);
    const marker = endMarker(message.id);
    process.stdout.write(`${marker}\n`);
    process.stderr.write(`${marker}\n`);
    const done: BuildDone = { type: 'done', id: message.id, ok, rssBytes: process.memoryUsage().rss };
    process.send!(done);
  });
});
// The parent is gone (stopped, crashed, killed): so is this worker.
process.on('disconnect', () => process.exit(0));
