// The rebuild service's HTTP side on its own: a client that drops mid-request must not take it down, and every
// spelling of the webhook's path reaches the webhook and its token check (@agency/shared/server's isPath).
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/ports.ts';
import { localPublisher } from '../../scripts/rebuild/publishers.ts';
import { RebuildService } from '../../scripts/rebuild/service.ts';
import { SiteStore } from '../../scripts/rebuild/site-store.ts';
import { listen } from '../../scripts/common/http.ts';
import { sleep } from '../../scripts/common/sleep.ts';

describe('rebuild service HTTP', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-rebuild-http-'));
  const token = 'a-webhook-token-for-this-test';
  const service = new RebuildService({
    token,
    publisher: localPublisher({ store: new SiteStore(dir), cmsUrl: 'http://127.0.0.1:9' }),
    log: () => {},
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps serving after a client aborts in the middle of a webhook body', async () => {
    const port = await freePort();
    await listen(service.server, port);
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /hooks/strapi HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"event":`,
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
    });
    await sleep(100);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect((await service.status()).builds).toEqual([]);
  });

  it('takes every spelling of /hooks/strapi as the webhook, token check included, and of /status as the status', async () => {
    const port = service.server.listening ? (service.server.address() as { port: number }).port : await freePort();
    if (!service.server.listening) await listen(service.server, port);
    // A draft save: a valid webhook the service answers without building anything.
    const body = JSON.stringify({ event: 'entry.create', model: 'article', uid: 'api::article.article', entry: { id: 1 } });
    const post = (pathname: string, authorization?: string) =>
      fetch(`http://127.0.0.1:${port}${pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
      });
    for (const pathname of [
      '/hooks/strapi',
      '/HOOKS/Strapi',
      '/hooks/strapi/',
      '//hooks//strapi',
      '/hooks/%73trapi',
      '/x/../hooks/strapi',
    ]) {
      expect((await post(pathname)).status, pathname).toBe(401);
      expect((await post(pathname, 'Bearer not-the-token')).status, pathname).toBe(401);
      const accepted = await post(pathname, `Bearer ${token}`);
      expect(accepted.status, pathname).toBe(202);
      expect(await accepted.json(), pathname).toMatchObject({ status: 'ignored' });
    }
    for (const pathname of ['/STATUS', '/status/', '//status']) {
      expect((await fetch(`http://127.0.0.1:${port}${pathname}`)).status, pathname).toBe(200);
    }
    expect((await post('/hooks/strapi-other', `Bearer ${token}`)).status).toBe(404);
    expect((await service.status()).builds).toEqual([]);
  });
});
