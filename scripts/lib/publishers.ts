// What a rebuild does once the queue decides to run one. Locally: build the site into a fresh directory,
// check it, and switch it live atomically. In relay mode: ask GitHub to run the site workflow.
import { buildFailureSummary } from './build-summary.ts';
import { buildSite } from './site.ts';
import { checkBuild, fetchedArticleCount, type SiteStore } from './site-store.ts';
import type { WebhookEvent } from './webhook-event.ts';

export type PublishResult = { detail: string };
export type Publisher = { mode: 'local' | 'github'; publish: (id: string, events: WebhookEvent[]) => Promise<PublishResult> };

export function localPublisher(options: { store: SiteStore; cmsUrl: string; env?: NodeJS.ProcessEnv }): Publisher {
  return {
    mode: 'local',
    async publish(id) {
      const dir = options.store.newBuildDir(id);
      const build = await buildSite({ cmsUrl: options.cmsUrl, outDir: dir, env: options.env });
      try {
        if (!build.ok) throw new Error(buildFailureSummary(build.output));
        const articles = fetchedArticleCount(build.output);
        checkBuild(dir, articles);
        options.store.activate(dir);
        return { detail: `${articles ?? '?'} article page(s) live` };
      } catch (error) {
        options.store.discard(dir);
        throw error;
      }
    },
  };
}

/** The repository_dispatch type the relay sends; .github/workflows/site.yml listens for exactly this one. */
export const DISPATCH_EVENT_TYPE = 'cms-content-changed';

export type GithubOptions = {
  /** owner/name */
  repository: string;
  token: string;
  apiUrl?: string;
  eventType?: string;
  fetch?: typeof fetch;
};

/** Strapi cannot shape its body for GitHub's dispatch API (it needs `event_type`), so we relay. */
export function githubPublisher(options: GithubOptions): Publisher {
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
        source: 'strapi-webhook',
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
        throw new Error(`could not reach GitHub at ${apiUrl}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!response.ok) {
        const text = (await response.text()).slice(0, 300);
        throw new Error(`GitHub answered HTTP ${response.status} to the dispatch: ${text}`);
      }
      return { detail: `dispatched ${options.eventType ?? DISPATCH_EVENT_TYPE} to ${options.repository}` };
    },
  };
}
