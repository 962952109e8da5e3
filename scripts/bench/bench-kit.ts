// What the measuring programs (./bench.ts, ./bench-publish.ts, ../ops/audit.ts) share: cleanup of every child
// process and temp dir on success, failure and Ctrl-C; a fresh throwaway CMS environment; generated content;
// figures, a plain-text table and the --json file for CI artifacts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generatedReport, servingGeneratorArgs, type ArticleOptions, type GeneratedReport } from '../stack/article-generator.ts';
import { cmsIsBuilt, NOT_BUILT, startCms, type RunningCms } from '../stack/cms-runner.ts';
import { generatedSecrets } from '../stack/env-file.ts';

/** A failure the benchmark explains itself: printed without a stack trace. */
class BenchError extends Error {}
export function fail(message: string): never {
  throw new BenchError(message);
}

// ---------------------------------------------------------------------------------------------------
// Cleanup: every child process, server and temp dir is tracked, and goes on success, failure and Ctrl-C.
// A signal stops what is running (so in-flight work fails fast) and the main flow stops at its next step
// (`say`, `checkInterrupted`); it then cleans up again (anything started meanwhile) and exits, so no
// detached Strapi outlives the bench.

const stops: Array<() => Promise<void>> = [];
const tempDirs: string[] = [];
let interrupted: { signal: NodeJS.Signals; code: number } | undefined;
let signalsHandled = false;

export async function cleanUp(): Promise<void> {
  for (const stop of stops.splice(0).reverse()) {
    await stop().catch((error: unknown) => console.error(`Could not stop a child process: ${String(error)}`));
  }
  // Idempotent, and run again at exit: a build killed mid-write may have recreated its output dir.
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

/** Registers something to stop at cleanup (in reverse order of registration). */
export function track(stop: () => Promise<void>): void {
  stops.push(stop);
  if (interrupted) void cleanUp();
}

/** A fresh temp dir, removed at cleanup. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

function handleSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = { signal, code };
      process.exitCode = code; // even if the main flow never resumes
      console.error(`\n${signal}: stopping the CMS and removing temp files…`);
      void cleanUp();
    });
  }
}

/** Throws when a signal arrived: call it between steps and in polling loops. */
export function checkInterrupted(): void {
  if (interrupted) throw new BenchError(`Interrupted (${interrupted.signal}).`);
}

/** Progress output; also where the main flow notices a Ctrl-C between steps. */
export function say(text: string): void {
  checkInterrupted();
  process.stdout.write(text);
}

/**
 * Runs a benchmark's main flow: signals handled, a BenchError printed as its message, the exit code set
 * (1 on failure, 130/143 on a signal), and everything tracked cleaned up whatever happens.
 */
export async function runBench(main: () => Promise<void>): Promise<void> {
  handleSignals();
  try {
    await main();
  } catch (error) {
    if (!interrupted)
      console.error(`\n${error instanceof BenchError ? error.message : error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = interrupted?.code ?? 1;
  } finally {
    await cleanUp();
  }
}

// ---------------------------------------------------------------------------------------------------
// A throwaway CMS and its content.

/** Like tests/support/cms.ts: fresh secrets, a throwaway SQLite file in `dir`, development mode (the seed and dev admin). */
export function freshCmsEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...generatedSecrets(),
    NODE_ENV: 'development',
    DATABASE_CLIENT: 'sqlite',
    DATABASE_URL: '',
    DATABASE_FILENAME: path.join(dir, 'data.db'),
    STRAPI_TELEMETRY_DISABLED: 'true',
    ...extra,
  };
}

export type Generation = { articles: number; ms: number; perSecond: number; processMs: number };

/**
 * Starts a CMS on a fresh database (`env`, from freshCmsEnv) with `count` published articles more than the
 * seed, generated into it as it first starts (scripts/stack/article-generator.ts: one Strapi load, which seeds
 * too); with `covers`, each with a generated cover of its own in the Media Library. Resolves with the CMS and
 * the generation's figures (null for 0), `processMs` being the time until the CMS answered, boot and seed
 * included.
 */
export async function startGeneratedCms(
  count: number,
  port: number,
  env: NodeJS.ProcessEnv,
  options: Omit<ArticleOptions, 'count'> = {},
): Promise<{ cms: RunningCms; generation: Generation | null }> {
  const started = performance.now();
  let report: GeneratedReport | undefined;
  const cms = await startCms({
    port,
    env,
    args: count > 0 ? servingGeneratorArgs({ count, ...options }) : undefined,
    onLine: (line) => (report = generatedReport(line) ?? report),
  });
  track(() => cms.stop());
  if (count > 0 && !report)
    fail(`The CMS started but did not say how generating ${count} articles went. Its last output:\n${cms.child.tail()}`);
  const generation = report
    ? { articles: report.count, ms: report.ms, perSecond: report.perSecond, processMs: performance.now() - started }
    : null;
  return { cms, generation };
}

// ---------------------------------------------------------------------------------------------------
// Figures.

/** `--sizes 1,100,1000` (or the default) as article counts; fails with the flag's own words on bad input. */
export function parseSizes(raw: string | undefined, fallback: string): number[] {
  const sizes = (raw ?? fallback).split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 20_000)) fail(`--sizes must list article counts 1..20000, not "${raw}".`);
  return sizes;
}

/** Stops early, with the fix, when the CMS has not been built yet. */
export function requireCmsBuild(): void {
  if (!cmsIsBuilt()) fail(NOT_BUILT);
}

/** Writes `figures` as JSON to `file` (the --json flag), for CI to keep as an artifact; says where. */
export function writeFigures(file: string | undefined, figures: unknown): void {
  if (!file) return;
  const target = path.resolve(file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`Figures written to ${target}.`);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const thousands = (n: number) => n.toLocaleString('en-US');

export const tail = (text: string, lines = 30) => text.trim().split('\n').slice(-lines).join('\n');

/** A plain-text table: a header, a rule, one line per row, columns padded to their widest cell. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}
