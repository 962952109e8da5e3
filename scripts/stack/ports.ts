// Ports for the local stack, the tests and the benchmarks: is one free, and which one is.
import net from 'node:net';
import { closeServer, listen } from '../common/http.ts';

/** Resolves when nothing listens on host:port; otherwise rejects with the message that names `variable`. */
export async function assertPortFree(port: number, variable: string, host = '127.0.0.1'): Promise<void> {
  const server = net.createServer();
  await listen(server, port, host, { port: variable });
  await closeServer(server);
}

/** A port the OS says is free right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
