// `npm run bench:publish`: how long an editor waits between pressing Publish and readers getting the new page,
// and how the rebuild service copes with a burst of publishes.
// For the seed site (1 article) and a generated 1,000-article site it runs the real chain of `npm start`:
//   Strapi (fresh SQLite in a temp dir, REBUILD_URL + WEBHOOK_TOKEN) ──webhook──► RebuildService (npm start's
//   default quiet window and maximum wait, scripts/rebuild/settings.ts) ──► Astro build into a SiteStore
//   ──atomic switch──► the static server,
// then:
//   1. publishes: changes the seed article's title through the admin API, as the Content Manager does
//      (scripts/stack/cms-admin.ts), and times from the publish request until the static server serves the new
//      <h1>; median, min and max of --publishes runs (5; 2 with --smoke), each after the service is idle. Each
//      run is a pair, side by side: an incremental publish (web/src/incremental/, what runs in production: only
//      the pages the change affects are rendered) and a full build in the same warm worker
//      (scripts/rebuild/warm-builder.ts), in turn. Above PAIRED_UP_TO articles a full build takes minutes
//      (~10 at 10,000 on 2 cores): only incremental publishes are timed, and the full build printed beside them
//      is the site's first build;
//   2. a burst: 50 `entry.publish` webhook calls for the article type within ~2 s, straight to the service
//      with the bearer token, with a real publish (a new title) among the last of them; it waits until the
//      service is idle, counts the builds and checks the served page has the real publish's title. The calls
//      carry no entry, so their builds are full ones: sites above PAIRED_UP_TO skip it (coalescing does not
//      depend on the site's size).
//   3. a new article, published once: not the goal's figure (see timeNewArticle, ./publish-runs.ts), printed beside it.
// Sites of more than one article are generated with topics and authors (cms/scripts/generate-articles.mts
// --taxonomy), so they have the listing pages and related articles a publish touches.
// Figures are printed beside their goals (≤ 2 s seed, ≤ 1.5 s for 1,000 articles, ≤ 2 s for 10,000, ≤ 2 builds
// per burst), never asserted: it exits non-zero only when something breaks (a build fails, a call is refused,
// the site serves stale content once the service is idle). Flags: --smoke (CI: seed site, 2 publishes, one
// burst), --sizes 1,1000,10000, --publishes N, --json FILE (the figures as JSON, for CI artifacts).
// The parts, one job each: ./publish-stack.ts (the stack and how it is watched), ./publish-runs.ts (one timed
// publish, a new article), ./publish-burst.ts (the burst), ./publish-site.ts (one site, start to end),
// ./publish-report.ts (the tables and the --json figures). This file reads the flags and runs the sites in turn.
import { parseArgs } from 'node:util';
import { fail, parseSizes, requireCmsBuild, runBench, seconds, thousands, writeFigures } from './bench-kit.ts';
import { rebuildServiceSettings } from '../rebuild/settings.ts';
import { BURST_CALLS, BURST_PUBLISH_AT } from './publish-burst.ts';
import { burstTable, publishFigures, publishTable } from './publish-report.ts';
import { benchSite, PAIRED_UP_TO, type SiteResult } from './publish-site.ts';
import { ARTICLE_PATH, repeatedRuns } from './publish-stack.ts';

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    publishes: { type: 'string' },
    json: { type: 'string' },
  },
});
const publishes = Number(flags.publishes ?? (flags.smoke ? 2 : 5));

const started = performance.now();
await runBench(async () => {
  const sizes = parseSizes(flags.sizes, flags.smoke ? '1' : '1,1000');
  if (!Number.isInteger(publishes) || publishes < 1) fail(`--publishes must be a positive integer, not "${flags.publishes}".`);
  requireCmsBuild();
  const defaults = rebuildServiceSettings.read({ WEBHOOK_TOKEN: 'x'.repeat(16) });
  console.log(
    `Publish → live benchmark: sites of ${sizes.join(', ')} article(s); ${publishes} publish(es) each, and a burst up to ${thousands(PAIRED_UP_TO)} articles. ` +
      `Rebuild service as npm start runs it: quiet window ${defaults.REBUILD_QUIET_MS} ms, maximum wait ${defaults.REBUILD_MAX_WAIT_MS} ms.`,
  );
  const results: SiteResult[] = [];
  for (const articles of sizes) results.push(await benchSite(articles, publishes));

  console.log(`\n${publishTable(results, publishes)}\n`);
  if (results.some((r) => r.burst)) console.log(`${burstTable(results)}\n`);
  console.log(
    `Publish → new HTML served: from sending the publish request (admin API, a new title) until the static server ` +
      `answers ${ARTICLE_PATH} with the new <h1>; incremental: only the pages the publish changes are rendered, from the last ` +
      `build's bundle (production); full: the whole site built again in the same warm worker; in pairs. Publish request, webhook in (from the publish request until Strapi's webhook reached the service) and Build (until the search index followed) are medians. Burst: ${BURST_CALLS} entry.publish calls ` +
      `to the service plus Strapi's own for a real publish sent with call ${BURST_PUBLISH_AT + 1}. Total ${seconds(performance.now() - started)}.`,
  );
  if (repeatedRuns())
    console.log(`${repeatedRuns()} run(s) were repeated: another Astro build in this checkout removed web/.astro/.prerender under them.`);
  writeFigures(flags.json, publishFigures(results, defaults, repeatedRuns(), Math.round(performance.now() - started)));
  if (results.some((r) => r.burst && !r.burst.lastServed))
    fail('After a burst the site did not serve the last publish: a rebuild lost an event.');
});
