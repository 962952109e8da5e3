// A real Strapi for a test: the built app, on a fresh database and a free port, with its own secrets.
import { isBuilt, startCms, waitForCmsBuild, type RunningCms } from '../../scripts/lib/cms.ts';
import { generatedSecrets } from '../../scripts/lib/env-file.ts';
import { freePort } from '../../scripts/lib/ports.ts';
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
  private running: RunningCms | undefined;
  private adminJwt: string | undefined;

  private constructor(database: TestDatabase, env: Record<string, string>, port: number) {
    this.database = database;
    this.env = env;
    this.port = port;
  }

  static async boot(options: { database?: DatabaseKind; env?: Record<string, string> } = {}): Promise<TestCms> {
    await waitForCmsBuild();
    if (!isBuilt()) throw new Error('The CMS is not built. `npm test` builds it first; or run `node scripts/build-cms.ts`.');
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

  async start(): Promise<void> {
    this.running = await startCms({ port: this.port, env: this.env });
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

  async graphql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphqlResponse<T>> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphqlResponse<T>;
    return { ...body, status: response.status };
  }

  async rest(pathAndQuery: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
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

  /** Calls the admin API as the local editor would from the admin panel (logs in once). */
  async admin(method: string, pathAndQuery: string, body?: unknown): Promise<any> {
    if (!this.adminJwt) {
      const login = await this.rest('/admin/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: this.env.ADMIN_EMAIL, password: this.env.ADMIN_PASSWORD }),
      });
      if (login.status !== 200) throw new Error(`Admin login failed (${login.status}): ${JSON.stringify(login.body)}`);
      this.adminJwt = login.body.data.token;
    }
    const response = await this.rest(pathAndQuery, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.adminJwt}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 400) throw new Error(`${method} ${pathAndQuery} → ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Creates an API token through the admin API ('read-only' | 'full-access'). */
  async createApiToken(type: 'read-only' | 'full-access'): Promise<string> {
    const created = await this.admin('POST', '/admin/api-tokens', {
      name: `test-${type}-${Date.now()}`,
      type,
      lifespan: null,
      description: 'created by a test',
    });
    return created.data.accessKey;
  }
}
