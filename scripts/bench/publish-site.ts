// One site of `npm run bench:publish`, from boot to cleanup: its stack (./publish-stack.ts), the timed
// publishes in pairs, incremental and full (./publish-runs.ts), the burst (./publish-burst.ts) and a new article,
// with the progress line that says each figure as it comes.
import { cleanUp, say, seconds, thousands, type Generation } from './bench-kit.ts';
import { burst, type Burst } from './publish-burst.ts';
import { timeNewArticle, timePublish, type PublishRun } from './publish-runs.ts';
import { bootStack, retryingCollisions, type Builder } from './publish-stack.ts';

/** The largest site whose publishes are paired with full builds, and which gets a burst (see ./bench-publish.ts). */
export const PAIRED_UP_TO = 1000;

export type SiteResult = {
  articles: number;
  generation: Generation | null;
  firstBuildMs: number;
  runs: PublishRun[];
  newArticle: { liveMs: number; detail: string };
  burst: Burst | null;
};

export async function benchSite(articles: number, publishes: number): Promise<SiteResult> {
  const name = articles === 1 ? 'seed site' : `${thousands(articles)}-article site`;
  say(`• ${name}: `);
  const stack = await bootStack(articles, name);

  const paired = articles <= PAIRED_UP_TO;
  say(paired ? 'publish → served, incremental / full build: ' : 'publish → served, incremental (no full builds at this size): ');

  const runs: PublishRun[] = [];
  for (let run = 1; run <= publishes; run++) {
    // Pairs in turn, the order alternating, so a load spike on this shared machine hits both alike.
    const order: Builder[] = !paired ? ['incremental'] : run % 2 === 1 ? ['incremental', 'full'] : ['full', 'incremental'];
    const pair: Partial<Record<Builder, PublishRun>> = {};
    for (const builder of order) {
      pair[builder] = await retryingCollisions(`publish ${run} (${builder})`, () => timePublish(stack, run, builder));
      runs.push(pair[builder]);
    }
    say(`${run > 1 ? ', ' : ''}${seconds(pair.incremental!.liveMs)}${pair.full ? ` / ${seconds(pair.full.liveMs)}` : ''}`);
  }
  let result: Burst | null = null;
  if (paired) {
    say('; burst: ');
    result = await retryingCollisions('burst', () => burst(stack));
    say(`${result.calls} webhook calls → ${result.builds} build(s), idle after ${seconds(result.idleMs)}`);
  }
  const newArticle = await retryingCollisions('new article', () => timeNewArticle(stack));
  say(`; a new article: ${seconds(newArticle.liveMs)}`);
  say('\n');
  await cleanUp(); // this site's CMS, service and temp dir, before the next site competes for the 2 cores
  return { articles, generation: stack.generation, firstBuildMs: stack.firstBuildMs, runs, newArticle, burst: result };
}
