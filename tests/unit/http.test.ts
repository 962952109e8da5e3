// Listening: one wording, naming the variable to change, for a busy port or an address this machine lacks.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../scripts/common/errors.ts';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { freePort } from '../../scripts/stack/ports.ts';

describe('listen', () => {
  it('names the port variable when the port is taken', async () => {
    const blocker = http.createServer();
    const port = await freePort();
    await listen(blocker, port);
    try {
      const second = http.createServer();
      const refused = listen(second, port, '127.0.0.1', { port: 'SITE_PORT', host: 'SITE_HOST' });
      await expect(refused).rejects.toBeInstanceOf(ConfigError);
      await expect(refused).rejects.toThrow(
        `Port ${port} (SITE_PORT) is already in use on 127.0.0.1. Stop what uses it, or set SITE_PORT to another port.`,
      );
      // Without variables the error is passed on as Node raised it.
      await expect(listen(http.createServer(), port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await closeServer(blocker);
    }
  });

  it('names the host variable when the address is not this machine’s', async () => {
    const refused = listen(http.createServer(), await freePort(), '203.0.113.7', { port: 'REBUILD_PORT', host: 'REBUILD_HOST' });
    await expect(refused).rejects.toThrow(/^REBUILD_HOST "203\.0\.113\.7" is not an address of this machine \(EADDRNOTAVAIL\)\.$/);
  });

  it('closes a server that never listened without waiting', async () => {
    await closeServer(http.createServer());
  });
});
