// A Vitest reporter for where a run's time goes: each test file's duration, with the Strapi boots and site
// builds it caused (scripts/common/run-counts.ts), written as JSON to TEST_REPORT_DIR/test-times.json (default
// .test-report/; CI uploads it) and summed up in the log as the 15 slowest files and the run's totals.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { ROOT } from '../../scripts/common/paths.ts';
import { RUN_COUNTS_ENV, type RunKind } from '../../scripts/common/run-counts.ts';

const KINDS: RunKind[] = ['strapi-boot', 'site-build', 'site-update', 'preview-build'];
type Counts = Record<RunKind, number>;
const noCounts = (): Counts => ({ 'strapi-boot': 0, 'site-build': 0, 'site-update': 0, 'preview-build': 0 });

/** `seconds` is the file's own time: without `laneWaitSeconds`, spent waiting for its project's lane (./lanes.ts). */
type FileTime = { file: string; project: string; seconds: number; laneWaitSeconds: number; state: string } & Counts;

const REPORT_DIR = path.resolve(ROOT, process.env.TEST_REPORT_DIR ?? '.test-report');
/** Where the counted steps are appended while the run lasts: set here, so every worker and child inherits it. */
// One file per run (its process id), so two runs at once in one checkout never mix or erase each other's counts.
const COUNTS_FILE = path.join(REPORT_DIR, `run-counts-${process.pid}.jsonl`);

export default class TimeReport implements Reporter {
  private readonly started = performance.now();

  /** Made with the config, before Vitest starts a worker: the workers and their children inherit the setting. */
  constructor() {
    mkdirSync(REPORT_DIR, { recursive: true });
    rmSync(COUNTS_FILE, { force: true });
    process.env[RUN_COUNTS_ENV] = COUNTS_FILE;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = new Map<string, Counts>();
    const unattributed = noCounts();
    let lines: string[] = [];
    try {
      lines = readFileSync(COUNTS_FILE, 'utf8').split('\n').filter(Boolean);
      rmSync(COUNTS_FILE, { force: true });
    } catch {
      /* nothing was counted */
    }
    const waits = new Map<string, number>();
    for (const line of lines) {
      const { kind, test, ms } = JSON.parse(line) as { kind: RunKind | 'lane-wait'; test: string | null; ms?: number };
      if (kind === 'lane-wait') {
        if (test) waits.set(test, (waits.get(test) ?? 0) + (ms ?? 0));
        continue;
      }
      const into = test ? (counts.get(test) ?? counts.set(test, noCounts()).get(test)!) : unattributed;
      into[kind] += 1;
    }
    const files: FileTime[] = modules.map((module) => {
      const file = path.relative(ROOT, module.moduleId);
      const waitedMs = waits.get(file) ?? 0;
      return {
        file,
        project: module.project.name,
        seconds: Math.round(Math.max(0, module.diagnostic().duration - waitedMs) / 100) / 10,
        laneWaitSeconds: Math.round(waitedMs / 100) / 10,
        state: module.state(),
        ...(counts.get(file) ?? noCounts()),
      };
    });
    files.sort((a, b) => b.seconds - a.seconds);
    const totals = noCounts();
    for (const counted of [...counts.values(), unattributed]) for (const kind of KINDS) totals[kind] += counted[kind];
    const wallSeconds = Math.round((performance.now() - this.started) / 1000);
    writeFileSync(path.join(REPORT_DIR, 'test-times.json'), `${JSON.stringify({ wallSeconds, totals, files }, null, 2)}\n`);

    const out = [`\nThe 15 slowest test files (of ${files.length}; all in ${path.relative(ROOT, REPORT_DIR)}/test-times.json):`];
    for (const f of files.slice(0, 15)) {
      const steps = KINDS.filter((kind) => f[kind] > 0).map((kind) => `${f[kind]} ${kind}`);
      out.push(`  ${f.seconds.toFixed(1).padStart(7)} s  ${f.file}${steps.length ? `  (${steps.join(', ')})` : ''}`);
    }
    const shared = KINDS.filter((kind) => unattributed[kind] > 0).map((kind) => `${unattributed[kind]} ${kind}`);
    if (shared.length) out.push(`  Shared fixtures (tests/support/fixture-broker.ts): ${shared.join(', ')}`);
    out.push(
      `Run: ${wallSeconds} s; ${totals['strapi-boot']} Strapi boots, ${totals['site-build']} site builds, ` +
        `${totals['site-update']} incremental updates, ${totals['preview-build']} preview builds.`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
  }
}
