// Answering a request without reading its body, and without resetting the connection under the client.
// Node keeps a connection alive by reading the rest of a refused body (all 100 MB of a refused 100 MB upload):
// the very reading a refusal before the body is there to spare. So such an answer says `Connection: close`. But
// Node then closes the socket as soon as the answer is written, and a socket closed with unread data makes the
// kernel send the client a reset, which can overtake the answer: the client sees EPIPE or ECONNRESET instead of
// the 401 or 413 (the browser: "connection reset"). So, as Go's net/http does, only the sending side is closed
// at once (the client reads the whole answer, then the end of the stream), and the socket a moment later, its
// body still unread. Used by the CMS's body guard (cms/src/middlewares/body-limits.ts) and the rebuild service's
// webhook (scripts/rebuild/service.ts), before they answer a request whose body they refuse.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** How long a refused request's socket stays open, unread, after its answer: the answer's time to reach the client. */
const LINGER_MS = 500;

/** Call before answering `request`; `setHeader` sets a header of its answer (Koa's `ctx.set`, Node's `response.setHeader`). */
export function closeWithoutReading(request: IncomingMessage, setHeader: (name: string, value: string) => void): void {
  setHeader('Connection', 'close');
  // Taking the body (a zero-byte read) keeps Node from draining it once the answer is sent; this reads at most
  // one buffer's worth (the stream's 16 KB, plus what the parser holds).
  request.read(0);
  // Node ends a `Connection: close` socket with destroySoon(): half-close it instead, and destroy it later.
  const socket = request.socket as Socket & { destroySoon?: () => void };
  socket.destroySoon = function lingeringClose(this: Socket) {
    this.end();
    setTimeout(() => this.destroy(), LINGER_MS).unref();
  };
}
