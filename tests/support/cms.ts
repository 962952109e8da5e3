// A real Strapi for a test: the built app on a free port, and an editor (`cms.editor`: the admin API client the
// scripts use, scripts/stack/cms-admin.ts) logged in as the local admin account. Three ways to get one, cheapest
// first: `TestCms.shared()`, the CMS every file of the project shares (never stopped, other files' content in
// it); `TestCms.boot()`, your own on a copy of the run's template (migrated, seeded, admin made); and
// `TestCms.boot({ fresh: true })`, your own on an empty database, for what only a first start does.
import type { ConsultationRequest } from '@agency/shared';
import { CmsAdmin, type AdminJson } from '../../scripts/stack/cms-admin.ts';
import { cmsIsBuilt, NOT_BUILT, startCms, waitForCmsBuild, type RunningCms } from '../../scripts/stack/cms-runner.ts';
import { servingGeneratorArgs, type ArticleOptions } from '../../scripts/stack/article-generator.ts';
import { generatedSecrets } from '../../scripts/stack/env-file.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { readFileSync } from 'node:fs';
import { copyTestDatabase, createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.ts';
import { ownPublicDir, type PublicDir } from './public-dir.ts';
import { brokerAvailable, cmsTemplate, sharedAdminToken, sharedCms } from './fixtures.ts';

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
  private readonly lines: string[] = [];
  private running: RunningCms | undefined;
  /** For the shared CMS: the file its output goes to (the broker's process runs it). */
  private readonly sharedLog: string | undefined;

  /** Its own public folder (uploads), removed with it; none for the shared CMS (the broker's). */
  private readonly publicDir: PublicDir | undefined;

  private constructor(
    database: TestDatabase,
    env: Record<string, string>,
    port: number,
    shared?: { log: string; jwt: string },
    publicDir?: PublicDir,
  ) {
    this.database = database;
    this.publicDir = publicDir;
    this.env = env;
    this.port = port;
    this.sharedLog = shared?.log;
    this.editor = new CmsAdmin(this.url, { email: env.ADMIN_EMAIL!, password: env.ADMIN_PASSWORD! }, shared?.jwt);
  }

  /** An admin JWT for the local admin account (for the shared CMS, the one every file shares: logins are rate-limited). */
  adminJwt(): Promise<string> {
    return this.editor.login();
  }

  /** Every line Strapi printed (stdout and stderr), across restarts: for tests of what reaches its log. */
  get output(): string[] {
    return this.sharedLog ? readFileSync(this.sharedLog, 'utf8').split('\n') : this.lines;
  }

  /**
   * The CMS the files of this project share on `kind` (tests/support/fixture-broker.ts): booted once per run,
   * seeded, with the default settings and a rebuild webhook the broker records (./fixtures.ts hookChannel). It
   * cannot be stopped or restarted, and other files add content to it: use your own slugs, and count only them.
   */
  static async shared(kind: DatabaseKind = 'sqlite'): Promise<TestCms> {
    const shared = await sharedCms(kind);
    const database: TestDatabase = { kind, env: {}, drop: async () => {} };
    return new TestCms(database, shared.env, shared.port, { log: shared.logFile, jwt: await sharedAdminToken(kind) });
  }

  /**
   * A CMS the fixture broker runs for this file's lane (a replica of the production pair, ./pair.ts), used as the
   * shared one is: `jwt` is the one admin login its files share, and it cannot be stopped from here.
   */
  static attached(kind: DatabaseKind, cms: { port: number; env: Record<string, string>; logFile: string }, jwt: string): TestCms {
    const database: TestDatabase = { kind, env: {}, drop: async () => {} };
    return new TestCms(database, cms.env, cms.port, { log: cms.logFile, jwt });
  }

  /**
   * Your own CMS on `database` (default SQLite), with `env` over the defaults. It starts from a copy of the run's
   * template (migrated, seeded, the admin made, with the template's secrets), unless `fresh`: then on an empty
   * database with new secrets, as a first install starts. A test that checks a first start's work (the seed,
   * the first admin, migrations) needs `fresh`. `articles`: generated published articles written in bulk at the
   * first start, in the same Strapi load that then serves (scripts/stack/article-generator.ts): no second boot.
   */
  static async boot(
    options: {
      database?: DatabaseKind;
      env?: Record<string, string>;
      fresh?: boolean;
      articles?: ArticleOptions;
    } = {},
  ): Promise<TestCms> {
    await waitForCmsBuild();
    if (!cmsIsBuilt()) throw new Error(NOT_BUILT);
    const kind = options.database ?? 'sqlite';
    const template = !options.fresh && brokerAvailable() ? await cmsTemplate(kind) : null;
    const database = template ? await copyTestDatabase(template.database) : await createTestDatabase(kind);
    const secrets = template ? template.env : generatedSecrets();
    const publicDir = ownPublicDir();
    const env = { ...process.env, ...secrets, ...database.env, NODE_ENV: 'development', ...publicDir.env, ...options.env } as Record<
      string,
      string
    >;
    const cms = new TestCms(database, env, await freePort(), undefined, publicDir);
    try {
      await cms.start(options.articles);
    } catch (error) {
      await database.drop();
      publicDir.remove();
      throw error;
    }
    return cms;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The Strapi process's id while it runs: /proc/<pid>/io says how many bytes it has read (tests of what it reads). */
  get pid(): number {
    this.ownOnly('give its pid');
    const pid = this.running?.child.process.pid;
    if (pid === undefined) throw new Error('The CMS is not running.');
    return pid;
  }

  /** Starts it; with `articles`, generated into its database first (TestCms.boot's option: a first start only). */
  async start(articles?: ArticleOptions): Promise<void> {
    this.ownOnly('start');
    const args = articles ? servingGeneratorArgs(articles) : undefined;
    this.running = await startCms({ port: this.port, env: this.env, args, onLine: (line) => this.lines.push(line) });
  }

  async stop(): Promise<void> {
    this.ownOnly('stop');
    await this.running?.stop();
    this.running = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server and drops its database; for the shared CMS, nothing (the run's teardown stops it). */
  async destroy(): Promise<void> {
    if (this.sharedLog) return;
    await this.stop();
    await this.database.drop();
    this.publicDir?.remove();
  }

  private ownOnly(what: string): void {
    if (this.sharedLog) throw new Error(`The shared CMS cannot ${what}: other files use it. Boot your own with TestCms.boot().`);
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
