// A webhook receiver that only records: a CMS of a test's own points REBUILD_URL at it, and the test reads what
// Strapi sent (and asks the rebuild service's own rule, scripts/rebuild/webhook-event.ts, what it would have
// done) instead of running a rebuild service and a site build and sleeping to see that nothing was built. The
// run's shared CMS has the same, in the fixture broker (./fixtures.ts hookChannel).
import { createServer } from 'node:http';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { freePort } from '../../scripts/stack/ports.ts';

/** One call as received: the Authorization header and the body as sent. */
export type ReceivedHook = { authorization: string | null; raw: string };

export class HookRecorder {
  readonly calls: ReceivedHook[] = [];
  /** Told of every call as it is recorded (waitFor's wake-ups: no polling). */
  private readonly listeners = new Set<() => void>();
  private readonly server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.calls.push({ authorization: request.headers.authorization ?? null, raw: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(202).end();
      for (const listener of this.listeners) listener();
    });
  });
  private port = 0;

  static async start(): Promise<HookRecorder> {
    const recorder = new HookRecorder();
    recorder.port = await freePort();
    await listen(recorder.server, recorder.port);
    return recorder;
  }

  /** What REBUILD_URL should be. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/strapi`;
  }

  /** The calls once `match` finds one: Strapi sends its webhooks after the request that caused them has ended. */
  async waitFor(match: (call: ReceivedHook) => boolean, timeoutMs = 15_000): Promise<ReceivedHook[]> {
    if (!this.calls.some(match)) {
      let listener = () => {};
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          listener = () => this.calls.some(match) && resolve();
          this.listeners.add(listener);
          timer = setTimeout(
            () =>
              reject(
                new Error(`No such webhook call within ${timeoutMs} ms; the calls were:\n${this.calls.map((call) => call.raw).join('\n')}`),
              ),
            timeoutMs,
          );
        });
      } finally {
        this.listeners.delete(listener);
        clearTimeout(timer);
      }
    }
    return [...this.calls];
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}
