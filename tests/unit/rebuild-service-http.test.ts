// The rebuild service's HTTP side on its own: a client that drops mid-request must not take it down.
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
});
