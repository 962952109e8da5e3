// HTTPS through the stack's front door only: every request goes to Caddy's published port on 127.0.0.1 with the
// public host name as SNI and Host, and is verified against the CA Caddy made for `tls internal` (no insecure
// flag). node:https rather than fetch, so no Accept-Encoding is added behind the test's back.
import https from 'node:https';
import zlib from 'node:zlib';
import type { AdminJson } from '../../scripts/stack/cms-admin.ts';

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; text: () => string };

export class FrontDoor {
  private readonly agent: https.Agent;
  private readonly port: number;

  constructor(port: number, ca: string) {
    this.port = port;
    this.agent = new https.Agent({ ca, keepAlive: false });
  }

  request(
    url: string,
    options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number } = {},
  ): Promise<Answer> {
    const target = new URL(url);
    return new Promise((resolve, reject) => {
      const request = https.request(
        {
          agent: this.agent,
          host: '127.0.0.1',
          port: this.port,
          servername: target.hostname,
          method: options.method ?? 'GET',
          path: `${target.pathname}${target.search}`,
          headers: { host: target.host, ...options.headers },
          timeout: options.timeoutMs ?? 60_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const body = Buffer.concat(chunks);
            const encoding = response.headers['content-encoding'];
            const text = () =>
              (encoding === 'br' ? zlib.brotliDecompressSync(body) : encoding === 'gzip' ? zlib.gunzipSync(body) : body).toString('utf8');
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body, text });
          });
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${options.method ?? 'GET'} ${url} timed out`)));
      request.on('error', reject);
      if (options.body !== undefined) request.write(options.body);
      request.end();
    });
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
