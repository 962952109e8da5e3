// The rebuild service's HTTP side on its own: a client that drops mid-request must not take it down, every
// spelling of the webhook's path reaches the webhook and its token check (@agency/shared/server's isPath), and a
// webhook without the token is answered before its body is read.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/ports.ts';
import { localPublisher } from '../../scripts/rebuild/publishers.ts';
import { RebuildService } from '../../scripts/rebuild/service.ts';
import { SiteStore } from '../../scripts/rebuild/site-store.ts';
import { listen } from '../../scripts/common/http.ts';

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
    // Waits on the server's own events, not on time: the request has reached the service (its headers read, the
    // body begun) when the client goes, and the service's side of the connection has closed before we look.
    const closed = new Promise<void>((resolve) => service.server.once('connection', (socket) => socket.once('close', () => resolve())));
    const arrived = new Promise<void>((resolve) => service.server.once('request', () => resolve()));
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `POST /hooks/strapi HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"event":`,
      );
    });
    await arrived;
    socket.destroy();
    await closed;
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    // Nothing was queued from the half body either (the quiet window would have hidden a queued build).
    expect(service.status()).toMatchObject({ building: false, queued: [], builds: [] });
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

  it('answers a webhook without its token before reading its body, and closes the connection: 100 MB sent, under 1 MB read', async () => {
    const port = service.server.listening ? (service.server.address() as { port: number }).port : await freePort();
    if (!service.server.listening) await listen(service.server, port);
    const MB = 1024 * 1024;
    // What the service's side of the connection read, known once it closes (the service closes it, or never).
    let serverRead!: Promise<number>;
    const onConnection = (socket: net.Socket) => {
      serverRead = new Promise((resolve) => socket.once('close', () => resolve(socket.bytesRead)));
    };
    service.server.once('connection', onConnection);
    // An anonymous caller streams its whole body, whatever the answer, until the connection is gone.
    const status = await new Promise<number>((resolve) => {
      let answer = 0;
      const request = http.request({
        host: '127.0.0.1',
        port,
        path: '/hooks/strapi',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(100 * MB) },
      });
      request.on('response', (response) => {
        answer = response.statusCode ?? 0;
        response.resume();
      });
      request.on('error', () => {}); // EPIPE or a reset once the service has closed: expected
      request.on('close', () => resolve(answer));
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (!request.destroyed && sent < 100 * MB) {
          sent += chunk.length;
          if (!request.write(chunk)) return void request.once('drain', pump);
        }
        if (!request.destroyed) request.end();
      };
      pump();
    });
    expect(status).toBe(401);
    expect(await serverRead).toBeLessThan(MB);
  });
});
