// The test run's shared fixtures, made once per `vitest run` and only when a test file first asks for them:
// CMS templates (a database a CMS has migrated, seeded and made its admin in: copies boot in about half the
// time of an empty one) and shared running CMSes (one per project and database kind, for suites that can share
// one). The first CMS on a database kind is booted on an empty database; the template is a snapshot of its
// database, taken before anything else touches it, and it goes on running as the first project's shared CMS
// (one boot for both, where a template boot used to be stopped and copied). It runs in Vitest's main process (./global-setup.ts starts it) and answers the test workers
// over HTTP (./fixtures.ts is their side), because a Vitest worker cannot hand a running process to another.
//
// And the production-like pair (./production-pair.ts): two CMS processes on one database with the settings the
// consultation and leads files need, booted once when the first of them asks; its files take turns through the
// `pair` lane. Its webhook is recorded here too.
//
// A shared CMS sends its rebuild webhook here: the broker records every call (so a test can say "no rebuild
// was asked for" from the record, not from a sleep) and forwards it to the rebuild service a test registered.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { startCms, type RunningCms } from '../../scripts/stack/cms-runner.ts';
import { generatedSecrets } from '../../scripts/stack/env-file.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import {
  copyTestDatabase,
  createTestDatabase,
  DATABASES,
  snapshotTestDatabase,
  templateOf,
  type DatabaseKind,
  type DatabaseTemplate,
  type TestDatabase,
} from './databases.ts';
import { Lanes } from './lanes.ts';
import { ProductionPair } from './production-pair.ts';
import { ownPublicDir } from './public-dir.ts';
import { RichSiteFixture } from './site-fixtures.ts';

/** A template: its database (copy it, never boot on it) and the environment its CMS made it with. */
export type CmsTemplate = { database: DatabaseTemplate; env: Record<string, string> };

/** A running CMS that test files share: where it is, its environment, and the file its output goes to. */
export type SharedCms = { url: string; port: number; env: Record<string, string>; logFile: string; kind: DatabaseKind; hooks: string };

/** One webhook call a shared CMS made, as the broker received it. */
export type RecordedHook = { at: number; authorization: string | null; body: unknown };

type HookChannel = { calls: RecordedHook[]; forwardTo: string | null };

/** The first CMS booted on a database kind, the template snapshotted from it, and whether a project has it yet. */
type FirstCms = { template: CmsTemplate; cms: SharedCms; claimed: boolean };

function cmsEnv(secrets: Record<string, string>, database: TestDatabase, extra: Record<string, string> = {}): Record<string, string> {
  return { ...(process.env as Record<string, string>), ...secrets, NODE_ENV: 'development', ...extra, ...database.env };
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

export class FixtureBroker {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'agency-fixtures-'));
  private readonly server: Server;
  private port = 0;
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly running: RunningCms[] = [];
  private readonly databases: TestDatabase[] = [];
  private readonly channels = new Map<string, HookChannel>();
  private readonly tokens = new Map<string, { at: number; jwt: Promise<string> }>();
  private readonly richSite = new RichSiteFixture(this.dir, () => this.template('sqlite'));
  private readonly lanes = new Lanes();
  private readonly pairs: ProductionPair[] = [];

  constructor() {
    this.server = createServer((request, response) => {
      this.route(request)
        .then((body) => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(body ?? null));
        })
        .catch((error: Error) => {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(error.stack ?? error.message);
        });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    await listen(this.server, this.port);
  }

  private once<T>(key: string, make: () => Promise<T>): Promise<T> {
    if (!this.memo.has(key)) {
      const made = make();
      // A failure is not remembered: the next file that asks tries again, and reports its own error.
      made.catch(() => this.memo.delete(key));
      this.memo.set(key, made);
    }
    return this.memo.get(key) as Promise<T>;
  }

  private async route(request: IncomingMessage): Promise<unknown> {
    const parts = (request.url ?? '/').split('?')[0]!.split('/').filter(Boolean);
    const [what, ...rest] = parts;
    const kind = (name: string | undefined): DatabaseKind => {
      if (name === 'sqlite' || name === 'postgres') return name;
      throw new Error(`No database kind "${name}": sqlite or postgres.`);
    };
    if (what === 'template' && rest.length === 1) return this.template(kind(rest[0]));
    if (what === 'shared-cms' && rest.length === 2) return this.sharedCms(rest[0]!, kind(rest[1]));
    if (what === 'shared-cms' && rest.length === 3 && rest[2] === 'admin-token') return this.adminToken(rest[0]!, kind(rest[1]));
    if (what === 'hooks' && rest.length >= 1) return this.hook(rest[0]!, rest.slice(1).join('/'), request);
    if (what === 'rich-site') return this.richSite.route(rest, request);
    if (what === 'pair') return this.pairRoute(rest);
    if (what === 'lane' && rest.length === 2) return this.lane(rest[0]!, rest[1]!, request);
    throw new Error(`The fixture broker has no ${request.method} ${request.url}.`);
  }

  /** A snapshot of a database a CMS migrated, seeded and made its admin in: what `TestCms.boot()` copies. */
  async template(kind: DatabaseKind): Promise<CmsTemplate> {
    return (await this.firstCms(kind)).template;
  }

  /** A CMS booted on an empty database, and the template snapshotted from its database as soon as it is up. */
  private firstCms(kind: DatabaseKind): Promise<FirstCms> {
    return this.once(`first:${kind}`, async () => {
      const database = await createTestDatabase(kind);
      this.databases.push(database);
      const secrets = generatedSecrets();
      const cms = await this.bootShared(kind, secrets, database);
      const snapshot = await snapshotTestDatabase(database);
      this.databases.push(snapshot);
      return { template: { database: templateOf(snapshot), env: { ...secrets, ...snapshot.env } }, cms, claimed: false };
    });
  }

  /**
   * The CMS test files of one project (`scope`) share on `kind`: the first project to ask gets the CMS the
   * template was taken from; another gets a copy of the template, booted.
   */
  sharedCms(scope: string, kind: DatabaseKind): Promise<SharedCms> {
    return this.once(`shared:${scope}:${kind}`, async () => {
      const first = await this.firstCms(kind);
      if (!first.claimed) {
        first.claimed = true;
        return first.cms;
      }
      const database = await copyTestDatabase(first.template.database);
      this.databases.push(database);
      return this.bootShared(kind, generatedSecretsFrom(first.template.env), database);
    });
  }

  /** The production pair (./production-pair.ts) on the run's richest database kind: booted once, on a template copy. */
  private pair(): Promise<ProductionPair> {
    return this.once('pair', async () => {
      const kind: DatabaseKind = DATABASES.includes('postgres') ? 'postgres' : 'sqlite';
      const first = await this.firstCms(kind);
      const channel = `pair-${kind}`;
      this.channels.set(channel, { calls: [], forwardTo: null });
      const pair = new ProductionPair(kind, this.dir, `${this.url}/hooks/${channel}`);
      this.pairs.push(pair);
      await pair.boot({ database: first.template.database, secrets: generatedSecretsFrom(first.template.env) });
      return pair;
    });
  }

  /**
   * `GET /pair`: the pair (./production-pair.ts ProductionPairInfo); `GET /pair/admin-token`: one admin login for
   * all its files (Strapi rate-limits logins); `POST /pair/replica/:index/stop|start`: a replica stopped, or started
   * again (a boot), for a restart with mails pending. A replica left stopped is started when a file next asks.
   */
  private async pairRoute(rest: string[]): Promise<unknown> {
    if (rest.length === 0) return (await this.pair()).info();
    if (rest.length === 1 && rest[0] === 'admin-token') return this.pairAdminToken();
    const [replica, index, action] = rest;
    if (rest.length === 3 && replica === 'replica' && /^\d+$/.test(index!) && (action === 'stop' || action === 'start')) {
      const pair = await this.pair();
      await pair[action](Number(index));
      return pair.state();
    }
    throw new Error(
      `The production pair has no /${rest.join('/')}: GET /pair, GET /pair/admin-token, POST /pair/replica/:index/stop|start.`,
    );
  }

  private pairAdminToken(): Promise<{ jwt: string }> {
    return this.login('admin-token:pair', async () => {
      const info = await (await this.pair()).info();
      return { url: info.replicas[0]!.url, env: info.env };
    });
  }

  /** Boots a shared CMS on `database` with `secrets`, its webhook sent to a channel of its own here. */
  private async bootShared(kind: DatabaseKind, secrets: Record<string, string>, database: TestDatabase): Promise<SharedCms> {
    const channel = `${kind}-${this.channels.size + 1}`;
    this.channels.set(channel, { calls: [], forwardTo: null });
    const hooks = `${this.url}/hooks/${channel}`;
    const extra = { REBUILD_URL: `${hooks}/strapi`, WEBHOOK_TOKEN: randomBytes(24).toString('base64url') };
    const env = cmsEnv(secrets, database, { ...extra, ...ownPublicDir(this.dir).env });
    const logFile = path.join(this.dir, `cms-${channel}.log`);
    const port = await freePort();
    const cms = await startCms({ port, env, onLine: (line) => appendFileSync(logFile, `${line}\n`) });
    this.running.push(cms);
    return { url: cms.url, port, env: { ...secrets, ...database.env, ...extra }, logFile, kind, hooks };
  }

  /**
   * One admin login for every file that uses a shared CMS: Strapi allows 5 logins per address and account in 5
   * minutes (admin.rateLimit), and a run's files log in to the shared CMS many more times than that. Renewed
   * after 10 minutes, well inside the token's life.
   */
  private adminToken(scope: string, kind: DatabaseKind): Promise<{ jwt: string }> {
    return this.login(`admin-token:${scope}:${kind}`, () => this.sharedCms(scope, kind));
  }

  /** One admin login per `key`, on the CMS `target` names, renewed after 10 minutes (see adminToken). */
  private async login(key: string, target: () => Promise<{ url: string; env: Record<string, string> }>): Promise<{ jwt: string }> {
    const issued = this.tokens.get(key);
    if (issued && Date.now() - issued.at < 10 * 60_000) return { jwt: await issued.jwt };
    const jwt = target().then(async (cms) => {
      const response = await fetch(`${cms.url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: cms.env.ADMIN_EMAIL, password: cms.env.ADMIN_PASSWORD }),
      });
      const body = (await response.json()) as { data?: { token?: string } };
      if (!body.data?.token) throw new Error(`${cms.url} refused the admin login (HTTP ${response.status}): ${JSON.stringify(body)}`);
      return body.data.token;
    });
    this.tokens.set(key, { at: Date.now(), jwt });
    jwt.catch(() => this.tokens.delete(key));
    return { jwt: await jwt };
  }

  /**
   * A shared CMS's webhook channel: `POST …/strapi` is the CMS's call (recorded, then forwarded to the registered
   * rebuild service, whose answer goes back); `GET …/calls` the record; `POST …/forward` `{ url | null }` sets
   * where calls go; `POST …/clear` empties the record.
   */
  private async hook(channelName: string, action: string, request: IncomingMessage): Promise<unknown> {
    const channel = this.channels.get(channelName);
    if (!channel) throw new Error(`No shared CMS has the webhook channel "${channelName}".`);
    if (action === 'calls') return channel.calls;
    if (action === 'clear') {
      channel.calls.length = 0;
      return null;
    }
    if (action === 'forward') {
      const { url } = (await readJson(request)) as { url: string | null };
      channel.forwardTo = url;
      return null;
    }
    if (action === 'strapi') {
      const body = await readJson(request);
      const authorization = request.headers.authorization ?? null;
      channel.calls.push({ at: Date.now(), authorization, body });
      if (channel.forwardTo) {
        await fetch(channel.forwardTo, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify(body),
        }).catch(() => undefined);
      }
      return null;
    }
    throw new Error(`The webhook channel has no "${action}".`);
  }

  /** `POST /lane/:name/acquire|release` `{ file, pid }` (./lanes.ts): answers acquire once the lane is the file's. */
  private async lane(name: string, action: string, request: IncomingMessage): Promise<unknown> {
    const { file, pid } = (await readJson(request)) as { file: string; pid: number };
    if (typeof file !== 'string' || !Number.isInteger(pid)) throw new Error('A lane request needs { file, pid }.');
    if (action === 'release') return this.lanes.release(name, { file, pid }) ?? null;
    if (action !== 'acquire') throw new Error(`A lane has no "${action}": acquire or release.`);
    const gone = new AbortController();
    request.socket.once('close', () => gone.abort());
    const started = Date.now();
    await this.lanes.acquire(name, { file, pid }, gone.signal);
    return { waitedMs: Date.now() - started };
  }

  async close(): Promise<void> {
    await closeServer(this.server);
    await this.richSite.close();
    await Promise.all(this.pairs.map((pair) => pair.close()));
    await Promise.all(this.running.map((cms) => cms.stop().catch(() => undefined)));
    await Promise.all(this.databases.map((database) => database.drop().catch(() => undefined)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The generated settings (secrets and the admin account) out of a whole environment: what a copy must boot with. */
function generatedSecretsFrom(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(generatedSecrets()).map((name) => [name, env[name]!]));
}
