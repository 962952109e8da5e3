// What `npm run bench:publish` prints and writes once every site is measured: the publish table, the burst
// table, and the figures for the --json file (CI keeps them as an artifact; their field names are what CI
// and anyone comparing runs read, so they stay as they are).
import { median, renderTable, seconds, thousands } from './bench-kit.ts';
import { BURST_BUILD_GOAL } from './publish-burst.ts';
import type { PublishRun } from './publish-runs.ts';
import { PAIRED_UP_TO, type SiteResult } from './publish-site.ts';
import type { Builder } from './publish-stack.ts';

const goalMs = (articles: number) => (articles >= 10_000 ? 2_000 : articles >= 1000 ? 1_500 : 2_000);

const siteLabel = (articles: number) => (articles === 1 ? 'seed (1 article)' : `${thousands(articles)} articles`);
const spread = (values: number[]) => `${seconds(median(values))} (${seconds(Math.min(...values))}–${seconds(Math.max(...values))})`;

const runsBy = (r: SiteResult, builder: Builder) => r.runs.filter((run) => run.builder === builder);
/**
 * The median of the pairs' ratios, incremental over full: each pair ran back to back, under the same load. Null
 * for a site too large for pairs.
 */
function pairRatio(r: SiteResult): number | null {
  const incremental = runsBy(r, 'incremental');
  const full = runsBy(r, 'full');
  return full.length ? median(incremental.map((run, i) => run.liveMs / full[i]!.liveMs)) : null;
}

/** "rendered of pages, requests" from an incremental publish's /status detail (scripts/rebuild/publishers.ts). */
function rendered(run: Pick<PublishRun, 'detail'>): { rendered: number; pages: number; requests: number } | null {
  const match = /incremental: (\d+) of (\d+) pages rendered, \d+ removed, (\d+) GraphQL/.exec(run.detail);
  return match ? { rendered: Number(match[1]), pages: Number(match[2]), requests: Number(match[3]) } : null;
}

export function publishTable(results: SiteResult[], publishes: number): string {
  const header = [
    'Site',
    `Publish → new HTML served, median (min–max) of ${publishes}: incremental (production)`,
    'Goal',
    `Full build (same warm worker; above ${thousands(PAIRED_UP_TO)} articles: the first build, cold)`,
    '×, incremental against full (pairs)',
    'Publish request / webhook in',
    'Build: incremental / full',
    'Pages rendered again (GraphQL requests)',
    'A new article: publish → served (pages rendered again)',
  ];
  const rows = results.map((r) => {
    const incremental = runsBy(r, 'incremental');
    const full = runsBy(r, 'full');
    const live = median(incremental.map((run) => run.liveMs));
    const goal = goalMs(r.articles);
    const ratio = pairRatio(r);
    const counts = incremental.map(rendered).filter((count) => count !== null);
    return [
      siteLabel(r.articles),
      spread(incremental.map((run) => run.liveMs)),
      `≤ ${seconds(goal)} ${live <= goal ? 'pass' : 'OVER'}`,
      full.length ? spread(full.map((run) => run.liveMs)) : `first build ${seconds(r.firstBuildMs)}`,
      ratio === null ? '–' : `×${ratio.toFixed(2)}`,
      `${seconds(median(r.runs.map((run) => run.requestMs)))} / ${seconds(median(r.runs.map((run) => run.hookMs)))}`,
      `${seconds(median(incremental.map((run) => run.buildMs)))} / ${full.length ? seconds(median(full.map((run) => run.buildMs))) : seconds(r.firstBuildMs)}`,
      counts.length
        ? `${[...new Set(counts.map((c) => `${c.rendered} of ${thousands(c.pages)}`))].join(', ')} (${[...new Set(counts.map((c) => c.requests))].join(', ')})`
        : '?',
      `${seconds(r.newArticle.liveMs)} (${rendered(r.newArticle)?.rendered ?? '?'})`,
    ];
  });
  return renderTable(header, rows);
}

export function burstTable(results: SiteResult[]): string {
  const header = ['Site', 'Burst', 'Builds', 'Goal', 'Events per build', 'Last publish served', 'Its publish → served', 'Burst → idle'];
  const rows = results
    .flatMap(({ articles, burst: b }) => (b ? [[articles, b] as const] : []))
    .map(([articles, b]) => [
      siteLabel(articles),
      `${b.calls - 1} calls + Strapi's 1, in ${seconds(b.sentMs)}`,
      String(b.builds),
      `≤ ${BURST_BUILD_GOAL} ${b.builds <= BURST_BUILD_GOAL ? 'pass' : 'OVER'}`,
      b.eventsPerBuild.join(' + '),
      b.lastServed ? 'yes' : 'NO (stale)',
      seconds(b.liveMs),
      seconds(b.idleMs),
    ]);
  return renderTable(header, rows);
}

/** The figures for the --json file: every run, the medians and the goals, per site. */
export function publishFigures(
  results: SiteResult[],
  defaults: { REBUILD_QUIET_MS: number; REBUILD_MAX_WAIT_MS: number },
  repeatedRuns: number,
  totalMs: number,
) {
  return {
    benchmark: 'publish → live',
    rebuildService: { quietMs: defaults.REBUILD_QUIET_MS, maxWaitMs: defaults.REBUILD_MAX_WAIT_MS },
    goals: { seedLiveMs: goalMs(1), thousandLiveMs: goalMs(1000), tenThousandLiveMs: goalMs(10_000), buildsPerBurst: BURST_BUILD_GOAL },
    sites: results.map((r) => ({
      articles: r.articles,
      generation: r.generation,
      firstBuildMs: Math.round(r.firstBuildMs),
      publishes: r.runs.map((run) => ({
        builder: run.builder,
        detail: run.detail,
        liveMs: Math.round(run.liveMs),
        requestMs: Math.round(run.requestMs),
        hookMs: Math.round(run.hookMs),
        buildMs: run.buildMs,
        builds: run.builds,
      })),
      liveMedianMs: Math.round(median(runsBy(r, 'incremental').map((run) => run.liveMs))),
      newArticle: { liveMs: Math.round(r.newArticle.liveMs), detail: r.newArticle.detail },
      fullLiveMedianMs: runsBy(r, 'full').length ? Math.round(median(runsBy(r, 'full').map((run) => run.liveMs))) : null,
      incrementalOverFull: pairRatio(r) === null ? null : Number(pairRatio(r)!.toFixed(3)),
      liveGoalMs: goalMs(r.articles),
      burst: r.burst && {
        ...r.burst,
        sentMs: Math.round(r.burst.sentMs),
        liveMs: Math.round(r.burst.liveMs),
        idleMs: Math.round(r.burst.idleMs),
      },
    })),
    repeatedRuns,
    totalMs,
  };
}
