// The publish → live chain for a test: a real Strapi whose webhook calls a real rebuild service, which
// builds the real site into a site store served by the stack's static server. All in-process except Strapi.
// On the run's shared CMS (`shared: true`), the broker forwards the CMS's recorded webhook calls to this stack's
// service while the stack lives, and the builds reach the CMS through a gate (./cms-gate.ts) a test can close
// for an outage, since the shared CMS itself cannot be stopped (a stack's own CMS is stopped instead).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { localPublisher } from '../../scripts/rebuild/publishers.ts';
import { RebuildService, type RetryPolicy } from '../../scripts/rebuild/service.ts';
import { SiteStore } from '../../scripts/rebuild/site-store.ts';
import { createStaticServer } from '../../scripts/rebuild/static-server.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { waitForSite } from './wait-for-site.ts';
import { TestCms } from './cms.ts';
import { CmsGate } from './cms-gate.ts';
import { hookChannel, sharedCms } from './fixtures.ts';

type HookChannel = ReturnType<typeof hookChannel>;

export class TestStack {
  readonly cms: TestCms;
  readonly service: RebuildService;
  readonly store: SiteStore;
  readonly token: string;
  readonly rebuildUrl: string;
  readonly siteUrl: string;
  readonly log: string[];
  /** On the shared CMS: what the builds reach it through (`gate.close()` is a CMS outage for them, `open()` its end). */
  readonly gate: CmsGate | null;
  /** On the shared CMS: its recorded webhook calls (which this stack's service receives while it lives). */
  readonly hooks: HookChannel | null;
  private readonly site: ReturnType<typeof createStaticServer>;
  private readonly dir: string;

  private constructor(parts: {
    cms: TestCms;
    service: RebuildService;
    store: SiteStore;
    token: string;
    rebuildUrl: string;
    siteUrl: string;
    site: ReturnType<typeof createStaticServer>;
    dir: string;
    log: string[];
    gate: CmsGate | null;
    hooks: HookChannel | null;
  }) {
    this.cms = parts.cms;
    this.service = parts.service;
    this.store = parts.store;
    this.token = parts.token;
    this.rebuildUrl = parts.rebuildUrl;
    this.siteUrl = parts.siteUrl;
    this.site = parts.site;
    this.dir = parts.dir;
    this.log = parts.log;
    this.gate = parts.gate;
    this.hooks = parts.hooks;
  }

  /**
   * Boots the stack and waits for the first build to be live. `siteDir`: where the site store lives (default: in
   * the stack's temporary directory); `store`: makes the store (a fault-injecting subclass); `retry`: the
   * service's retry policy (default: the service's own); `incremental: false`: every publish a full build (a
   * function: asked at each publish, for a file that needs both kinds);
   * `buildEnv`: more environment for every site build (the site build's settings, e.g. IMAGE_HOSTS);
   * `shared: true`: on the run's shared CMS (no boot of its own; `env` cannot be given then: the shared CMS has
   * the default settings), with its webhook forwarded here until destroy(). `firstBuild: false`: nothing is
   * built or live until the first publish (which then builds in full): for a test about that publish, which
   * pays for one build instead of two.
   */
  static async boot(
    options: {
      quietMs?: number;
      maxWaitMs?: number;
      env?: Record<string, string>;
      siteDir?: string;
      store?: (root: string, warn: (line: string) => void) => SiteStore;
      retry?: RetryPolicy | null;
      incremental?: boolean | (() => boolean);
      buildEnv?: Record<string, string>;
      shared?: boolean;
      firstBuild?: boolean;
    } = {},
  ): Promise<TestStack> {
    if (options.shared && options.env)
      throw new Error('TestStack.boot: a stack on the shared CMS cannot have CMS settings (env) of its own.');
    const dir = mkdtempSync(path.join(tmpdir(), 'agency-stack-'));
    const rebuildPort = await freePort();
    const rebuildUrl = `http://127.0.0.1:${rebuildPort}`;
    let cms: TestCms;
    let token: string;
    let hooks: HookChannel | null = null;
    if (options.shared) {
      cms = await TestCms.shared();
      // The service takes the shared CMS's own token: the broker passes the CMS's Authorization header on.
      token = cms.env.WEBHOOK_TOKEN!;
      hooks = hookChannel(await sharedCms('sqlite'));
    } else {
      token = randomBytes(24).toString('base64url');
      cms = await TestCms.boot({ env: { ...options.env, REBUILD_URL: `${rebuildUrl}/hooks/strapi`, WEBHOOK_TOKEN: token } });
    }
    const gate = options.shared ? await CmsGate.open(cms.url) : null;
    const log: string[] = [];
    const siteDir = options.siteDir ?? path.join(dir, 'site');
    const warn = (line: string) => log.push(line);
    const store = options.store ? options.store(siteDir, warn) : new SiteStore(siteDir, { warn });
    const service = new RebuildService({
      token,
      publisher: localPublisher({
        store,
        cmsUrl: gate?.url ?? cms.url,
        env: { CMS_TOKEN: '', ...options.buildEnv },
        incremental: options.incremental,
      }),
      quietMs: options.quietMs ?? 300,
      maxWaitMs: options.maxWaitMs ?? 1500,
      ...(options.retry !== undefined ? { retry: options.retry } : {}),
      log: (line) => log.push(line),
    });
    await listen(service.server, rebuildPort);
    // Forwarded from now on: calls the shared CMS made before (other files' content) are not this stack's.
    await hooks?.forwardTo(`${rebuildUrl}/hooks/strapi`);
    if (options.firstBuild !== false) {
      service.trigger('start');
      await service.idle();
      if (service.history.at(-1)?.result !== 'succeeded') throw new Error(`first build failed: ${service.history.at(-1)?.error}`);
    }
    const site = createStaticServer(() => store.liveDir());
    const sitePort = await freePort();
    await listen(site, sitePort);
    return new TestStack({ cms, service, store, token, rebuildUrl, siteUrl: `http://127.0.0.1:${sitePort}`, site, dir, log, gate, hooks });
  }

  /** Sends a webhook call as Strapi would (or with another token/body, to test refusals). */
  hook(body: unknown, token: string | null = this.token): Promise<Response> {
    return fetch(`${this.rebuildUrl}/hooks/strapi`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  async status(): Promise<ReturnType<RebuildService['status']>> {
    return (await fetch(`${this.rebuildUrl}/status`)).json() as Promise<ReturnType<RebuildService['status']>>;
  }

  /**
   * Polls the served site until `check` passes (or fails after `timeoutMs`). Returns the time it took. The
   * default allows for a loaded 2-core machine, where an incremental publish has taken 37 s to go live.
   */
  async waitForSite(pathname: string, check: (status: number, html: string) => boolean, timeoutMs = 90_000): Promise<number> {
    return waitForSite(this.siteUrl, pathname, check, timeoutMs, this.log);
  }

  /**
   * On the shared CMS: whether its webhook calls reach this stack's service (they do from boot to destroy). Off,
   * the CMS's publishes build nothing here: for a test that builds that content itself, with a builder of its own.
   */
  async receiveHooks(on: boolean): Promise<void> {
    if (!this.hooks)
      throw new Error('receiveHooks: only a stack on the shared CMS (TestStack.boot({ shared: true })) can stop receiving its calls.');
    await this.hooks.forwardTo(on ? `${this.rebuildUrl}/hooks/strapi` : null);
  }

  async destroy(): Promise<void> {
    await this.hooks?.forwardTo(null);
    await closeServer(this.site);
    await this.service.close();
    await this.gate?.close();
    await this.cms.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
