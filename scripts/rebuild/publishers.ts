// What a rebuild does once the queue decides to run one. Locally: build the site into a fresh directory,
// check it, and switch it live atomically. In relay mode: ask GitHub to run the site workflow.
import { modelName, UID } from '@agency/shared';
import { buildDeadlineMs, liveArticleCount } from './build-deadline.ts';
import { buildFailureSummary } from './build-report.ts';
import { buildSite } from './build-site.ts';
import type { RebuildServiceSettings } from './settings.ts';
import { checkBuild, type SiteStore } from './site-store.ts';
import { WarmBuilder, formatDuration } from './warm-builder.ts';
import type { WebhookEvent } from './webhook-event.ts';

/**
 * A publish that failed because of what the content says (an invalid entry, an image that is gone or unusable):
 * building the same content again cannot succeed, so the service does not retry it; the editor's next publish
 * builds again (./service.ts).
 */
export class ContentFailure extends Error {
  override name = 'ContentFailure';
}

/** Report kinds that mean the content must change before a build can succeed (web/src/cms/errors.ts). */
const CONTENT_KINDS = new Set(['invalid-content', 'missing-content', 'duplicate-slug']);

type PublishResult = { detail: string };
export type Publisher = {
  mode: 'local' | 'github';
  publish: (id: string, events: WebhookEvent[]) => Promise<PublishResult>;
  /**
   * Whether the publish of this event alone is cheap enough not to wait out the quiet window when the service is
   * idle (./build-queue.ts): an article's incremental publish.
   */
  startsAtOnce?: (event: WebhookEvent) => boolean;
  /** Releases what the publisher holds (the local one's build worker); called once the service is idle. */
  close?: () => Promise<void>;
};

/**
 * The articles a batch of events changed, when an incremental publish can take it: every event a publish,
 * unpublish or delete of an article that names its entry. Null for anything else (the site settings, the CTA,
 * an author or a topic, media, the service's own start, a payload without its entry): a full build.
 */
export function incrementalScope(events: readonly WebhookEvent[]): string[] | null {
  const ids = new Set<string>();
  for (const event of events) {
    const article = event.uid === UID.article || (!event.uid && event.model === modelName(UID.article));
    if (!article || !event.event.startsWith('entry.') || !event.documentId) return null;
    ids.add(event.documentId);
  }
  return ids.size > 0 ? [...ids] : null;
}

/**
 * Builds in a warm worker (./warm-builder.ts) unless `warm` is false: then every build is a fresh `astro build`
 * process, as the benchmarks' cold figures are. With the warm worker, an article's publish is incremental
 * (web/src/incremental/): only the pages it changes are rendered, into a copy of the live build; whatever
 * cannot be made that way is built in full, and /status says why.
 */
export function localPublisher(options: {
  store: SiteStore;
  cmsUrl: string;
  env?: NodeJS.ProcessEnv;
  warm?: boolean;
  /**
   * false: every publish is a full build. A function is asked at each publish (the benchmark times both kinds
   * in turn with one worker, so each extends the live build the other made).
   */
  incremental?: boolean | (() => boolean);
  /** Each build's deadline (REBUILD_TIMEOUT_MS); unset, sized from the live site (./build-deadline.ts). */
  timeoutMs?: number | null;
  /**
   * What each live build was made from, for npm start to reuse it (scripts/stack/build-fingerprint.ts):
   * `fingerprint` is asked before each build fetches (null or a rejection: unknown, nothing is recorded), and
   * `live` is told once that build is live.
   */
  record?: { fingerprint: () => Promise<string | null>; live: (dir: string, content: string) => void };
}): Publisher {
  const builder = options.warm === false ? undefined : new WarmBuilder();
  const incremental = () => (typeof options.incremental === 'function' ? options.incremental() : options.incremental !== false);

  type Scope = { documentIds: string[]; from: string } | { reindex: true; from: string } | undefined;

  /** Builds into a new directory, checks it and switches it live; the detail for /status. */
  async function buildLive(id: string, scope: Scope): Promise<PublishResult | { notApplied: string }> {
    const dir = options.store.newBuildDir(id);
    let articles: number | null;
    let images = '';
    let worker = '';
    let kind = '';
    const started = performance.now();
    const articlesLive = liveArticleCount(options.store.liveDir());
    const timeoutMs = buildDeadlineMs(articlesLive, options.timeoutMs ?? null);
    // Before the build fetches: content changed meanwhile makes the next start's fingerprint differ (it builds).
    // Unknown (the CMS did not answer): the build says why it fails, and no record is written for it.
    const content = options.record ? await options.record.fingerprint().catch(() => null) : null;
    const recordLive = () => {
      if (!options.record || !content) return;
      try {
        options.record.live(dir, content);
      } catch (error) {
        // The build is live all the same; without its record, the next start builds.
        console.warn(
          `[rebuild] could not record what build ${id} was made from: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    };
    try {
      const build = await buildSite({ cmsUrl: options.cmsUrl, outDir: dir, env: options.env, builder, incremental: scope, timeoutMs });
      if (build.timedOut)
        throw new Error(
          `The build did not finish within ${formatDuration(timeoutMs)} (REBUILD_TIMEOUT_MS${options.timeoutMs ? '' : `, sized for ${articlesLive} article(s)`}) and was stopped; the last good site keeps serving. ` +
            `Where it stood:\n${buildFailureSummary(build.output, 6)}`,
        );
      const tried = build.incremental;
      if (tried && !tried.applied && !tried.publishFailed) {
        options.store.discard(dir);
        return { notApplied: tried.reason };
      }
      // An update that found the publish fails (an image it shows could not be had) ends as a failed build,
      // below, with its report: a full build would fail the same way, so none follows.
      const outcome = tried?.applied ? tried : null;
      if (outcome?.kind === 'search') {
        // The pages are the live build's, unchanged: only the index is new.
        checkBuild(dir, null, null);
        await options.store.activate(dir);
        recordLive();
        return { detail: `search index made again in ${outcome.searchMs} ms` };
      }
      const { report } = build;
      if (!build.ok) {
        // The build's own report says why. Without one (Astro crashed before the content loader ran and
        // wrote it), or when it only says the build stopped (kind "build": a full disk, a crash while writing
        // pages), the reason is dug out of Astro's log too.
        const summary = buildFailureSummary(build.output);
        const message =
          report && !report.ok ? (report.error.kind === 'build' ? `${report.error.message}\n${summary}` : report.error.message) : summary;
        // The content's fault (an invalid entry, a missing image): the same build would fail the same way.
        if (report && !report.ok && CONTENT_KINDS.has(report.error.kind)) throw new ContentFailure(message);
        throw new Error(message);
      }
      // Without a report the page count cannot be checked against what was fetched; the rest still is.
      articles = report?.ok ? report.content.articles : null;
      // How many pictures this build encoded and how many came whole from the image cache (docs/site.md#images).
      if (report?.ok && report.images && report.images.encoded + report.images.reused > 0)
        images = `; images: ${report.images.encoded} encoded, ${report.images.reused} reused`;
      if (outcome?.kind === 'update')
        kind =
          `; incremental: ${outcome.rendered} of ${outcome.pages} pages rendered, ${outcome.removed} removed, ` +
          `${outcome.requests} GraphQL request(s); fetch ${outcome.fetchMs}, paths ${outcome.steps.pathsMs}, ` +
          `copy ${outcome.steps.copyMs}${outcome.spare ? ' (made ahead)' : ''}, render ${outcome.steps.renderMs}, ` +
          `images ${outcome.steps.imagesMs}, compression ${outcome.steps.compressMs} ms`;
      // Which kind of build it was, and the worker's memory (it is replaced when it grows: ./warm-builder.ts).
      if (build.workerRssBytes !== null)
        worker = `; ${outcome ? 'incremental' : build.warm ? 'warm' : 'cold'} build, worker ${Math.round(build.workerRssBytes / 2 ** 20)} MiB`;
      const built = performance.now();
      checkBuild(dir, articles, report?.ok ? report.pages : null);
      // Throws only when the switch itself failed (then this build is not live and goes); a failed prune of
      // old builds afterwards is logged by the store, and this build stays live. The prune runs without
      // blocking (readers get the new build meanwhile); the publish ends with it, so idle() covers it.
      const pruned = options.store.activate(dir);
      recordLive();
      // Where an incremental publish's time went, up to the switch: it is the editor's wait.
      if (outcome?.kind === 'update')
        kind += `; live in ${Math.round(performance.now() - started)} ms (build ${Math.round(built - started)}, check and switch ${Math.round(performance.now() - built)})`;
      await pruned;
    } catch (error) {
      options.store.discard(dir);
      throw error;
    }
    return { detail: `${articles ?? '?'} article page(s) live${kind}${images}${worker}` };
  }

  /**
   * After an incremental publish is live: its search index, made again as a build of its own (Pagefind cannot
   * update one). Never fails the publish, whose pages are live: a failure is said, and the next publish makes
   * the index again (or a full build does).
   */
  async function followWithSearch(id: string): Promise<string> {
    const from = options.store.liveDir();
    if (!from) return '; search index: no live build';
    try {
      const result = await buildLive(`${id}-search`, { reindex: true, from });
      return 'detail' in result ? `; then ${result.detail}` : `; search index NOT made again: ${result.notApplied}`;
    } catch (error) {
      return `; search index NOT made again: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  return {
    mode: 'local',
    close: async () => builder?.close(),
    // Only with a live build to extend: the first build after the start is a full one.
    startsAtOnce: (event) =>
      builder !== undefined && incremental() && incrementalScope([event]) !== null && options.store.liveDir() !== null,
    async publish(id, events) {
      const documentIds = builder && incremental() ? incrementalScope(events) : null;
      const from = options.store.liveDir();
      let why = '';
      if (documentIds && from) {
        const result = await buildLive(id, { documentIds, from });
        if ('detail' in result) return { detail: result.detail + (await followWithSearch(id)) };
        why = `; full build, not incremental: ${result.notApplied}`;
      }
      const result = await buildLive(id, undefined);
      if (!('detail' in result)) throw new Error(`a full build was refused: ${result.notApplied}`);
      return { detail: result.detail + why };
    },
  };
}

/** The publisher for the configured mode: a local build into `store`, or a dispatch to GitHub (relay mode). */
export function publisherFor(
  settings: Pick<
    RebuildServiceSettings,
    'REBUILD_MODE' | 'CMS_URL' | 'GITHUB_REPOSITORY' | 'GITHUB_TOKEN' | 'GITHUB_API_URL' | 'REBUILD_TIMEOUT_MS'
  >,
  options: { store: SiteStore | null; env?: NodeJS.ProcessEnv },
): Publisher {
  if (settings.REBUILD_MODE === 'local') {
    if (!options.store) throw new Error('a local rebuild needs a site store');
    return localPublisher({ store: options.store, cmsUrl: settings.CMS_URL, env: options.env, timeoutMs: settings.REBUILD_TIMEOUT_MS });
  }
  // rebuildServiceSettings has checked that relay mode has both.
  return githubPublisher({ repository: settings.GITHUB_REPOSITORY!, token: settings.GITHUB_TOKEN!, apiUrl: settings.GITHUB_API_URL });
}

/** The repository_dispatch type the relay sends; .github/workflows/site.yml listens for exactly this one. */
export const DISPATCH_EVENT_TYPE = 'cms-content-changed';

type GithubOptions = {
  /** owner/name */
  repository: string;
  token: string;
  apiUrl?: string;
  eventType?: string;
  fetch?: typeof fetch;
};

/** What a refused dispatch means, by its status (GitHub's answer itself is not shown). */
function dispatchAdvice(status: number): string {
  if (status === 401) return 'GITHUB_TOKEN was refused (expired or revoked?).';
  if (status === 403) return 'GITHUB_TOKEN may not create dispatch events in GITHUB_REPOSITORY (it needs Contents: Read and write).';
  if (status === 404) return 'GITHUB_REPOSITORY does not exist, or GITHUB_TOKEN cannot see it.';
  if (status >= 500) return 'GitHub could not take it now; the dispatch is retried.';
  return 'GitHub refused it.';
}

/** Strapi cannot shape its body for GitHub's dispatch API (it needs `event_type`), so we relay. */
function githubPublisher(options: GithubOptions): Publisher {
  const apiUrl = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const endpoint = `${apiUrl}/repos/${options.repository}/dispatches`;
  const doFetch = options.fetch ?? fetch;
  return {
    mode: 'github',
    async publish(id, events) {
      const uids = [...new Set(events.map((event) => event.uid ?? event.model ?? 'unknown'))];
      // GitHub accepts at most 10 top-level keys in client_payload.
      const clientPayload = {
        build_id: id,
        events: events.length,
        event_names: [...new Set(events.map((event) => event.event))].join(','),
        models: uids.join(','),
        first_event_at: events[0]?.at ?? null,
        last_event_at: events.at(-1)?.at ?? null,
        // 'start': the relay's own catch-up dispatch when it starts (publishes missed while it was down).
        source: events.every((event) => event.event === 'start') ? 'start' : 'strapi-webhook',
      };
      let response: Response;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/json',
            'user-agent': 'agency-rebuild-service',
            'x-github-api-version': '2022-11-28',
          },
          body: JSON.stringify({ event_type: options.eventType ?? DISPATCH_EVENT_TYPE, client_payload: clientPayload }),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw new Error(`could not reach GitHub at ${apiUrl}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      if (!response.ok) {
        // Its body is not shown: /status and the log say the status only (a body may echo what was sent).
        await response.body?.cancel();
        throw new Error(`GitHub answered HTTP ${response.status} to the dispatch: ${dispatchAdvice(response.status)}`);
      }
      return { detail: `dispatched ${options.eventType ?? DISPATCH_EVENT_TYPE} to ${options.repository}` };
    },
  };
}
