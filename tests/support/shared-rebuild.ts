// The publish → live chain on the project's shared CMS (./fixtures.ts), for a test about publishing that needs no
// special CMS settings: a real rebuild service, site store and static server, in-process, that the broker's
// webhook channel forwards the shared CMS's calls to. Unlike ./stack.ts it boots no CMS and makes no first build:
// the first publish builds the site (in full, as nothing is live yet), so a test pays for one build, not two.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { localPublisher } from '../../scripts/rebuild/publishers.ts';
import { RebuildService } from '../../scripts/rebuild/service.ts';
import { SiteStore } from '../../scripts/rebuild/site-store.ts';
import { createStaticServer } from '../../scripts/rebuild/static-server.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { waitForSite } from './wait-for-site.ts';
import { TestCms } from './cms.ts';
import { hookChannel, sharedCms } from './fixtures.ts';

export class SharedRebuild {
  readonly cms: TestCms;
  readonly service: RebuildService;
  /** The shared CMS's webhook calls as the broker recorded them (since start()). */
  readonly channel: ReturnType<typeof hookChannel>;
  readonly siteUrl: string;
  /** The service's and the store's lines: what a failure message shows. */
  readonly log: string[];
  private readonly site: ReturnType<typeof createStaticServer>;
  private readonly dir: string;

  private constructor(parts: {
    cms: TestCms;
    service: RebuildService;
    channel: ReturnType<typeof hookChannel>;
    siteUrl: string;
    site: ReturnType<typeof createStaticServer>;
    dir: string;
    log: string[];
  }) {
    this.cms = parts.cms;
    this.service = parts.service;
    this.channel = parts.channel;
    this.siteUrl = parts.siteUrl;
    this.site = parts.site;
    this.dir = parts.dir;
    this.log = parts.log;
  }

  /**
   * Starts the service and the site server on the shared SQLite CMS and forwards its webhook calls to the service
   * from now on (the record is cleared first: what is in it afterwards is this test's). Nothing is live until
   * the first publish.
   */
  static async start(): Promise<SharedRebuild> {
    const shared = await sharedCms('sqlite');
    const cms = await TestCms.shared('sqlite');
    const channel = hookChannel(shared);
    const dir = mkdtempSync(path.join(tmpdir(), 'agency-shared-rebuild-'));
    const log: string[] = [];
    const store = new SiteStore(path.join(dir, 'site'), { warn: (line) => log.push(line) });
    const service = new RebuildService({
      // The broker forwards the CMS's own Authorization header: the service checks the shared CMS's token.
      token: shared.env.WEBHOOK_TOKEN!,
      publisher: localPublisher({ store, cmsUrl: cms.url, env: { CMS_TOKEN: '' } }),
      quietMs: 300,
      maxWaitMs: 1500,
      log: (line) => log.push(line),
    });
    const rebuildPort = await freePort();
    await listen(service.server, rebuildPort);
    const site = createStaticServer(() => store.liveDir());
    const sitePort = await freePort();
    await listen(site, sitePort);
    await channel.clear();
    await channel.forwardTo(`http://127.0.0.1:${rebuildPort}/hooks/strapi`);
    return new SharedRebuild({ cms, service, channel, siteUrl: `http://127.0.0.1:${sitePort}`, site, dir, log });
  }

  status(): ReturnType<RebuildService['status']> {
    return this.service.status();
  }

  /** Polls the served site until `check` passes (or fails after `timeoutMs`, with the rebuild log). */
  async waitForSite(pathname: string, check: (status: number, html: string) => boolean, timeoutMs = 30_000): Promise<number> {
    return waitForSite(this.siteUrl, pathname, check, timeoutMs, this.log);
  }

  /** Stops forwarding (the shared CMS outlives this test), then the servers; removes the site store. */
  async stop(): Promise<void> {
    await this.channel.forwardTo(null);
    await closeServer(this.site);
    await this.service.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
