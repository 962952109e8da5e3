// HTTPS through the stack's front door only: every request goes to Caddy's published port on 127.0.0.1 with the
// public host name as SNI and Host, and is verified against the CA Caddy made for `tls internal` (no insecure
// flag), with the benchmarks' httpsRequest: node:https rather than fetch, so no Accept-Encoding is added behind
// the test's back.
import https from 'node:https';
import zlib from 'node:zlib';
import { httpsRequest, type Fetched } from '../../scripts/bench/caddy.ts';
import type { AdminJson } from '../../scripts/stack/cms-admin.ts';

type Answer = Fetched & { text: () => string };

export class FrontDoor {
  private readonly agent: https.Agent;
  private readonly port: number;

  constructor(port: number, ca: string) {
    this.port = port;
    this.agent = new https.Agent({ ca, keepAlive: false });
  }

  async request(
    url: string,
    options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number } = {},
  ): Promise<Answer> {
    const target = new URL(url);
    // A length, never a chunked body: the consultation form's endpoint refuses chunked requests (411), as browsers
    // never send them.
    const headers =
      options.body === undefined ? options.headers : { 'content-length': String(Buffer.byteLength(options.body)), ...options.headers };
    const answer = await httpsRequest({
      ...options,
      headers,
      agent: this.agent,
      port: this.port,
      host: target.hostname,
      hostHeader: target.host,
      path: `${target.pathname}${target.search}`,
      timeoutMs: options.timeoutMs ?? 60_000,
    });
    const encoding = answer.headers['content-encoding'];
    const text = () =>
      (encoding === 'br'
        ? zlib.brotliDecompressSync(answer.body)
        : encoding === 'gzip'
          ? zlib.gunzipSync(answer.body)
          : answer.body
      ).toString('utf8');
    return { ...answer, text };
  }

  /** JSON in and out; throws with the answer's body on HTTP ≥ 400. */
  async json(url: string, options: { method?: string; body?: unknown; token?: string } = {}): Promise<AdminJson> {
    const answer = await this.request(url, {
      method: options.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (answer.status >= 400) throw new Error(`${options.method ?? 'GET'} ${url} → HTTP ${answer.status}: ${answer.text().slice(0, 1500)}`);
    return JSON.parse(answer.text());
  }
}
