// How to run the CMS's article generator (cms/scripts/generate-articles.mts): its path, its flags, and its
// report line, in one place for the two ways it runs. `generateArticles` (scripts/bench/bench-kit.ts) runs it
// to write articles into a stopped database and exit; `startCms({ articles })` (./cms-runner.ts) runs it with
// `--serve`, which writes them and then serves, as `strapi start` would: one Strapi load instead of two, for
// the benchmarks and the test fixtures that need a CMS with many articles.
import path from 'node:path';
import { CMS_DIR } from '../common/paths.ts';

export const GENERATE_SCRIPT = path.join(CMS_DIR, 'scripts', 'generate-articles.mts');

/** What to generate: `count` published articles, with covers of `coverWidth` px, or topics and authors. */
export type ArticleOptions = { count: number; covers?: boolean; coverWidth?: number; taxonomy?: boolean };

/** What the generator reports on its last line before it exits (or, with `--serve`, before it listens). */
export type GeneratedReport = { count: number; ms: number; perSecond: number };

/** The generator's command-line arguments for `options`. */
export function generatorArgs(options: ArticleOptions, serve = false): string[] {
  return [
    GENERATE_SCRIPT,
    '--count',
    String(options.count),
    ...(options.covers ? ['--covers'] : []),
    ...(options.taxonomy ? ['--taxonomy'] : []),
    ...(options.coverWidth ? ['--cover-width', String(options.coverWidth)] : []),
    ...(serve ? ['--serve'] : []),
  ];
}

/** The report in one line of the generator's output, or undefined when the line is something else. */
export function generatedReport(line: string): GeneratedReport | undefined {
  const json = /^generated (\{.*\})$/.exec(line)?.[1];
  return json ? (JSON.parse(json) as GeneratedReport) : undefined;
}
