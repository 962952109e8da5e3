// A real Strapi for a test: the built app, on a fresh database and a free port, with its own secrets, and an
// editor (`cms.editor`: the admin API client the scripts use, scripts/stack/cms-admin.ts) logged in as the
// local admin account.
import type { ConsultationRequest } from '@agency/shared';
import { CmsAdmin, type AdminJson } from '../../scripts/stack/cms-admin.ts';
import { cmsIsBuilt, NOT_BUILT, startCms, waitForCmsBuild, type RunningCms } from '../../scripts/stack/cms-runner.ts';
import { generatedSecrets } from '../../scripts/stack/env-file.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.ts';

export type GraphqlResponse<T = Record<string, unknown>> = {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
};

export class TestCms {
  readonly database: TestDatabase;
  readonly env: Record<string, string>;
  readonly port: number;
  /** What an editor does in the admin panel (find, save, publish, unpublish, create, delete articles), as the local admin. */
  readonly editor: CmsAdmin;
  /** Every line Strapi printed (stdout and stderr), across restarts: for tests of what reaches its log. */
  readonly output: string[] = [];
  private running: RunningCms | undefined;

  private constructor(database: TestDatabase, env: Record<string, string>, port: number) {
    this.database = database;
    this.env = env;
    this.port = port;
    this.editor = new CmsAdmin(this.url, { email: env.ADMIN_EMAIL!, password: env.ADMIN_PASSWORD! });
  }

  static async boot(options: { database?: DatabaseKind; env?: Record<string, string> } = {}): Promise<TestCms> {
    await waitForCmsBuild();
    if (!cmsIsBuilt()) throw new Error(NOT_BUILT);
    const database = await createTestDatabase(options.database ?? 'sqlite');
    const secrets = generatedSecrets();
    const env = { ...process.env, ...secrets, ...database.env, NODE_ENV: 'development', ...options.env } as Record<string, string>;
    const cms = new TestCms(database, env, await freePort());
    try {
      await cms.start();
    } catch (error) {
      await database.drop();
      throw error;
    }
    return cms;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The Strapi process's id while it runs: /proc/<pid>/io says how many bytes it has read (tests of what it reads). */
  get pid(): number {
    const pid = this.running?.child.process.pid;
    if (pid === undefined) throw new Error('The CMS is not running.');
    return pid;
  }

  async start(): Promise<void> {
    this.running = await startCms({ port: this.port, env: this.env, onLine: (line) => this.output.push(line) });
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server and drops its database. */
  async destroy(): Promise<void> {
    await this.stop();
    await this.database.drop();
  }

  async graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphqlResponse<T>> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphqlResponse<T>;
    return { ...body, status: response.status };
  }

  async rest(pathAndQuery: string, init: RequestInit = {}): Promise<{ status: number; body: AdminJson }> {
    const response = await fetch(`${this.url}${pathAndQuery}`, init);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, body };
  }

  /** Calls the admin API as the local editor would from the admin panel (logs in once); throws on HTTP ≥ 400. */
  admin(method: string, pathAndQuery: string, body?: unknown): Promise<AdminJson> {
    return this.editor.request(method, pathAndQuery, body);
  }

  /** Creates an API token through the admin API ('read-only' | 'full-access'). */
  createApiToken(type: 'read-only' | 'full-access'): Promise<string> {
    return this.editor.createApiToken(type, `test-${type}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`);
  }
}

/** A minimal valid article body for generated test content. */
export function sampleArticle(slug: string, title = `Article ${slug}`) {
  return {
    title,
    slug,
    intro: `The intro of ${title}.`,
    body: [
      {
        __component: 'article.section',
        heading: 'A section',
        body: [{ type: 'paragraph', children: [{ type: 'text', text: `Text of ${title}.` }] }],
      },
    ],
  };
}

/** A consultation request as the admin API returns it (what the form and the API tests read back). */
export type StoredConsultationRequest = Omit<ConsultationRequest, 'consent'> & {
  documentId: string;
  consent: boolean;
  requestStatus: string;
};
