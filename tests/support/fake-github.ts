// A local stand-in for GitHub's REST API, just enough for repository_dispatch: a real HTTP server on
// 127.0.0.1 that records every request and answers 204 (GitHub's success), or a chosen status for the next
// N calls. Nothing here ever talks to the real GitHub.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listen } from '../../scripts/common/http.ts';

export type RecordedRequest = {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  status: number;
  at: number;
};

type Planned = { status: number; body: string };

export class FakeGithub {
  readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private plan: Planned[] = [];
  private fallback: Planned | null = null;
  readonly repository: string;

  private constructor(repository: string) {
    this.repository = repository;
    this.server = http.createServer((request, response) => {
      let raw = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (raw += chunk));
      request.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          body = undefined;
        }
        const path = request.url ?? '/';
        let answer: Planned;
        if (request.method !== 'POST' || path !== `/repos/${this.repository}/dispatches`) {
          answer = { status: 404, body: JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }) };
        } else {
          answer = this.plan.shift() ?? this.fallback ?? { status: 204, body: '' };
        }
        this.requests.push({
          method: request.method ?? '',
          path,
          headers: request.headers,
          raw,
          body,
          status: answer.status,
          at: Date.now(),
        });
        if (answer.status === 204) response.writeHead(204).end();
        else response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' }).end(answer.body);
      });
    });
  }

  static async start(repository = 'agency/site'): Promise<FakeGithub> {
    const fake = new FakeGithub(repository);
    await listen(fake.server, 0);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The dispatch calls received (requests to the dispatches endpoint), whatever was answered. */
  get dispatches(): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'POST' && request.path === `/repos/${this.repository}/dispatches`);
  }

  /** Answer the next `times` dispatches with `status` (and a GitHub-like JSON error body). */
  failNext(times: number, status: number, message = 'Server Error'): void {
    for (let i = 0; i < times; i++) this.plan.push({ status, body: JSON.stringify({ message, status: String(status) }) });
  }

  /** Answer every dispatch with `status` until reset(). */
  failAlways(status: number, message = 'Bad credentials'): void {
    this.fallback = { status, body: JSON.stringify({ message, status: String(status) }) };
  }

  reset(): void {
    this.requests.length = 0;
    this.plan = [];
    this.fallback = null;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}
