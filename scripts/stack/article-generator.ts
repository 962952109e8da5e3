// How to start the CMS with generated articles (cms/scripts/generate-articles.mts --serve): its path, its
// flags and its report line, in one place. `startCms({ args: servingGeneratorArgs(…) })` (./cms-runner.ts) runs it: it writes the
// articles as the app first loads and then serves, as `strapi start` would. One Strapi load instead of a
// generator's and then a start's, for the benchmarks (scripts/bench/bench-kit.ts startGeneratedCms) and the test
// fixtures that need a CMS with many articles.
import path from 'node:path';
import { CMS_DIR } from '../common/paths.ts';

const GENERATE_SCRIPT = path.join(CMS_DIR, 'scripts', 'generate-articles.mts');

/** What to generate: `count` published articles, with covers of `coverWidth` px, or topics and authors. */
export type ArticleOptions = { count: number; covers?: boolean; coverWidth?: number; taxonomy?: boolean };

/** What the generator reports once the articles are written, before it listens. */
export type GeneratedReport = { count: number; ms: number; perSecond: number };

/** The generator's command line (after `node`): write the articles of `options`, then serve. */
export function servingGeneratorArgs(options: ArticleOptions): string[] {
  return [
    GENERATE_SCRIPT,
    '--count',
    String(options.count),
    ...(options.covers ? ['--covers'] : []),
    ...(options.taxonomy ? ['--taxonomy'] : []),
    ...(options.coverWidth ? ['--cover-width', String(options.coverWidth)] : []),
    '--serve',
  ];
}

/** The report in one line of the generator's output, or undefined when the line is something else. */
export function generatedReport(line: string): GeneratedReport | undefined {
  const json = /^generated (\{.*\})$/.exec(line)?.[1];
  return json ? (JSON.parse(json) as GeneratedReport) : undefined;
}
