// The rebuild service: Strapi's webhook in, coalesced rebuilds out.
//   POST /hooks/strapi  Bearer WEBHOOK_TOKEN; 401 without it, 400 for a malformed body, 202 queued/ignored
//   GET  /status        the last builds and what is queued (no secrets)
//   GET  /health        200 when the service is up
import http from 'node:http';
import { closeWithoutReading, isPath, secretMatches } from '@agency/shared/server';
import { closeServer } from '../common/http.ts';
import { BuildQueue } from './build-queue.ts';
import { ContentFailure, type Publisher } from './publishers.ts';
import { statusText } from './status-text.ts';
import { BadWebhookBody, decide, describeEvent, parseWebhookBody, type WebhookEvent } from './webhook-event.ts';

export type BuildRecord = {
  id: string;
  trigger: string[];
  startedAt: string;
  durationMs: number | null;
  result: 'running' | 'succeeded' | 'failed';
  detail: string | null;
  error: string | null;
  /** 1 for the build an event started, 2, 3 … for its retries. */
  attempt: number;
  /** For a failed attempt that will be retried: when (until a new event supersedes the retry). */
  nextRetryAt: string | null;
};

/** Retries of a failed publish: after baseMs, doubling up to maxMs; maxAttempts in all (null: until one succeeds). */
export type RetryPolicy = { baseMs: number; maxMs: number; maxAttempts: number | null };

/** Local builds: retried until one succeeds or a new event supersedes the retry. */
const LOCAL_RETRY: RetryPolicy = { baseMs: 2000, maxMs: 60_000, maxAttempts: null };

export type RebuildServiceOptions = {
  token: string;
  publisher: Publisher;
  quietMs?: number;
  maxWaitMs?: number;
  /** Retry failed publishes with exponential backoff (default LOCAL_RETRY); null: wait for the next event. */
  retry?: RetryPolicy | null;
  log?: (line: string) => void;
  historySize?: number;
};

const MAX_BODY = 1024 * 1024;

export class RebuildService {
  readonly history: BuildRecord[] = [];
  readonly server: http.Server;
  private readonly queue: BuildQueue<WebhookEvent>;
  private readonly options: Required<Omit<RebuildServiceOptions, 'retry'>> & { retry: RebuildServiceOptions['retry'] };
  private sequence = 0;
  private attempt = 1;
  private retryTimer: NodeJS.Timeout | undefined;
  private pendingRetry: { attempt: number; at: string } | null = null;
  private closed = false;
  private live: { id: string; since: string } | null = null;

  constructor(options: RebuildServiceOptions) {
    if (!options.token) throw new Error('WEBHOOK_TOKEN must be set: the rebuild service refuses to run without one.');
    this.options = { quietMs: 400, maxWaitMs: 2000, historySize: 20, log: (line) => console.log(line), retry: LOCAL_RETRY, ...options };
    this.queue = new BuildQueue((events) => this.runBuild(events), {
      quietMs: this.options.quietMs,
      maxWaitMs: this.options.maxWaitMs,
      startsAtOnce: (event) => this.options.publisher.startsAtOnce?.(event) ?? false,
    });
    // A request that fails (a client gone mid-body) ends that request only, never the service.
    this.server = http.createServer((request, response) =>
      this.handle(request, response).catch(() => {
        if (!response.headersSent)
          response.writeHead(400, { 'content-type': 'application/json; charset=utf-8' }).end('{"error":"the request could not be read"}\n');
        else response.destroy();
      }),
    );
  }

  /** Queues a build without a webhook (the first build at start, a manual rebuild). */
  trigger(reason: string): void {
    this.enqueue({ event: reason, model: null, uid: null, at: new Date().toISOString() });
  }

  /** A new event supersedes a pending retry: the build it starts reads the latest content anyway. */
  private enqueue(event: WebhookEvent): void {
    if (this.pendingRetry) {
      this.options.log(`[rebuild] ${describeEvent(event)} supersedes the retry planned for ${this.pendingRetry.at}`);
      clearTimeout(this.retryTimer);
      this.pendingRetry = null;
    }
    this.attempt = 1;
    this.queue.add(event);
  }

  /** Resolves when no build is queued or running (a retry waiting for its time is neither). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  get liveBuild() {
    return this.live;
  }

  /**
   * Stops accepting work: no new build starts and no retry is planned. A running build is stopped with the
   * publisher's worker (a fresh `astro build` process runs to its end); idle() resolves once it has ended.
   */
  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.pendingRetry = null;
    this.queue.close();
    // The publisher's build worker goes now: a build it is running fails and is discarded (never half live).
    return Promise.all([closeServer(this.server), this.options.publisher.close?.()]).then(() => undefined);
  }

  status() {
    return {
      mode: this.options.publisher.mode,
      building: this.queue.building,
      queued: this.queue.queued.map(describeEvent),
      retry: this.pendingRetry,
      live: this.live,
      builds: [...this.history].reverse(),
    };
  }

  private async runBuild(events: WebhookEvent[]): Promise<void> {
    const id = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${++this.sequence}`;
    const record: BuildRecord = {
      id,
      trigger: events.map(describeEvent),
      startedAt: new Date().toISOString(),
      durationMs: null,
      result: 'running',
      detail: null,
      error: null,
      attempt: this.attempt,
      nextRetryAt: null,
    };
    this.history.push(record);
    if (this.history.length > this.options.historySize) this.history.shift();
    const started = performance.now();
    let contentFailure = false;
    const what = events.length === 1 ? describeEvent(events[0]!) : `${events.length} events`;
    try {
      const result = await this.options.publisher.publish(id, events);
      record.result = 'succeeded';
      record.detail = result.detail;
      this.live = { id, since: new Date().toISOString() };
      this.attempt = 1;
    } catch (error) {
      record.result = 'failed';
      record.error = statusText(error instanceof Error ? error.message : String(error));
      contentFailure = error instanceof ContentFailure;
    } finally {
      record.durationMs = Math.round(performance.now() - started);
    }
    const seconds = (record.durationMs / 1000).toFixed(1);
    this.options.log(
      record.result === 'succeeded'
        ? `[rebuild] build ${id} (${what}) succeeded in ${seconds} s: ${record.detail}`
        : `[rebuild] build ${id} (${what}) FAILED in ${seconds} s (attempt ${record.attempt}); ${this.options.publisher.mode === 'local' ? 'the last good site keeps serving' : 'nothing was dispatched'}. ${record.error?.split('\n')[0]}`,
    );
    if (record.result === 'failed') record.nextRetryAt = this.scheduleRetry(events, contentFailure);
  }

  /**
   * Plans the next attempt of a failed publish; returns when it will run, or null when none will. A failure of
   * the content's own (`contentFailure`: an invalid entry, an image that is gone) is not retried: the same
   * content fails the same way, so the service waits for the editor's next publish instead of building again
   * and again.
   */
  private scheduleRetry(events: WebhookEvent[], contentFailure: boolean): string | null {
    const retry = this.options.retry;
    if (!retry || this.closed) return null;
    if (this.queue.queued.length > 0) {
      // Events came during the failed build: their build starts soon and supersedes a retry.
      this.attempt = 1;
      return null;
    }
    if (contentFailure) {
      this.options.log('[rebuild] not retrying: the content must change first; the next publish builds again.');
      this.attempt = 1;
      return null;
    }
    if (retry.maxAttempts !== null && this.attempt >= retry.maxAttempts) {
      this.options.log(`[rebuild] giving up after ${this.attempt} attempts; the next event will try again.`);
      this.attempt = 1;
      return null;
    }
    const delay = Math.min(retry.maxMs, retry.baseMs * 2 ** (this.attempt - 1));
    this.attempt += 1;
    const at = new Date(Date.now() + delay).toISOString();
    this.pendingRetry = { attempt: this.attempt, at };
    this.options.log(
      `[rebuild] retrying in ${(delay / 1000).toFixed(1)} s (attempt ${this.attempt}${retry.maxAttempts === null ? '' : ` of ${retry.maxAttempts}`}).`,
    );
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.pendingRetry = null;
      for (const event of events) this.queue.add(event);
    }, delay);
    return at;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) => {
      response
        .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
        .end(`${JSON.stringify(body, null, 2)}\n`);
    };

    // Paths compare as every guard compares them (@agency/shared/server's isPath): `/Hooks/strapi/` is the
    // webhook, with its token check, like `/hooks/strapi`. The request's own path, not the URL parser's: that
    // one reads `//hooks/strapi` as a host name.
    const pathname = request.url?.startsWith('/') ? request.url : url.pathname;
    if (isPath(pathname, '/health')) return send(200, { ok: true });
    if (isPath(pathname, '/status')) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, { error: 'use GET' });
      return send(200, this.status());
    }
    if (!isPath(pathname, '/hooks/strapi'))
      return send(404, { error: `no such endpoint: ${url.pathname} (POST /hooks/strapi, GET /status)` });
    if (request.method !== 'POST') return send(405, { error: 'use POST' });

    const auth = request.headers.authorization ?? '';
    const token = /^Bearer (.+)$/.exec(auth)?.[1] ?? '';
    if (!token || !secretMatches(token, this.options.token)) {
      // Answered without reading the body: an anonymous caller costs no more than its headers.
      closeWithoutReading(request, (name, value) => response.setHeader(name, value));
      this.options.log(`[rebuild] webhook refused: ${token ? 'wrong' : 'missing'} bearer token (401)`);
      return send(401, { error: 'missing or wrong bearer token: send Authorization: Bearer <WEBHOOK_TOKEN>' });
    }

    let raw = '';
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        this.options.log('[rebuild] webhook refused: body over 1 MB (413)');
        return send(413, { error: 'the body is larger than 1 MB' });
      }
      raw += (chunk as Buffer).toString('utf8');
    }

    let event: WebhookEvent;
    try {
      event = parseWebhookBody(raw);
    } catch (error) {
      if (!(error instanceof BadWebhookBody)) throw error;
      this.options.log(`[rebuild] webhook refused: ${error.message} (400)`);
      return send(400, { error: `malformed webhook body: ${error.message}` });
    }
    const decision = decide(event);
    if (!decision.build) {
      this.options.log(`[rebuild] ${describeEvent(event)} ignored: ${decision.reason}`);
      return send(202, { status: 'ignored', reason: decision.reason });
    }
    this.enqueue(event);
    this.options.log(`[rebuild] ${describeEvent(event)} queued`);
    return send(202, { status: 'queued', event: describeEvent(event) });
  }
}
