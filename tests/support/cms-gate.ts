// A CMS outage without stopping the CMS: a TCP relay in front of a CMS that a test closes and opens again.
// The builds and the rebuild service a test points at the gate see what they see when Strapi goes down
// (connections cut mid-request, then refused) and when it is back, while the CMS itself keeps running: the
// run's shared CMS (TestCms.shared()) cannot be stopped, and a real restart costs a Strapi boot.
import net from 'node:net';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { freePort } from '../../scripts/stack/ports.ts';

export class CmsGate {
  /** Where the builds reach the CMS through the gate. */
  readonly url: string;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly target: { host: string; port: number };
  private readonly port: number;

  private constructor(target: { host: string; port: number }, port: number) {
    this.target = target;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
  }

  /** An open gate to the CMS at `cmsUrl`, on a port of its own. */
  static async open(cmsUrl: string): Promise<CmsGate> {
    const target = new URL(cmsUrl);
    const gate = new CmsGate({ host: target.hostname, port: Number(target.port) }, await freePort());
    await gate.open();
    return gate;
  }

  get isOpen(): boolean {
    return this.server !== null;
  }

  /** Lets connections through again (on the same port: the builds keep the URL they were given). */
  async open(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        // A cut connection ends both sides, as a CMS that went away ends its own.
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await listen(server, this.port);
    this.server = server;
  }

  /** The outage: open connections are cut at once, and new ones are refused until open(). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = closeServer(server);
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
