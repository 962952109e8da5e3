// A server for images that misbehave, for the tests of what a build does with them (rebuild-faults: each
// fault on the real chain; warm-builder: a build stopped at its deadline while it waits for one).
import http from 'node:http';
import type { Socket } from 'node:net';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { freePort } from '../../scripts/stack/ports.ts';

/**
 * A server for images that misbehave: /missing.jpg answers 404 (with a body /status must not show),
 * /silent.jpg never answers, /huge.jpg announces 5 GB and streams zeros until the client hangs up. It counts
 * what it was asked and what it sent.
 */
export async function badImageServer() {
  const counts = { requests: new Map<string, number>(), hugeBytesSent: 0, hugeClosed: 0 };
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const name = request.url ?? '';
    counts.requests.set(name, (counts.requests.get(name) ?? 0) + 1);
    if (name === '/missing.jpg') response.writeHead(404, 'Leaky Reason').end('BODY-THE-STATUS-MUST-NOT-SHOW');
    else if (name === '/huge.jpg') {
      response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(5 * 1024 ** 3) });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        for (let more = true; more && !response.destroyed; counts.hugeBytesSent += chunk.length) more = response.write(chunk);
      };
      response.on('drain', pump);
      response.on('close', () => (counts.hugeClosed += 1));
      pump();
    } else if (name !== '/silent.jpg') response.writeHead(404).end();
    // /silent.jpg: no answer, ever.
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await freePort();
  await listen(server, port);
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    counts,
    asked: (name: string) => counts.requests.get(name) ?? 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}
