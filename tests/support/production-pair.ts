// The production-like pair (the fixture broker's side, ./fixture-broker.ts): two CMS processes on one database,
// as replicas run in production, booted once per run for the files that need the settings the shared CMS lacks:
// a mail server, an S3 bucket, low consultation rate limits behind one trusted proxy, short outbox timings. The
// consultation and leads files (consultation-request, consultation-form-post, leads-outbox, leads-replicas,
// uploads-s3) each booted CMSes of their own for these, nine boots a run; on one set of settings they share two.
//
// Nothing listens on the pair's SMTP and S3 ports unless a file runs its mail catcher or its bucket there while it
// holds the pair's lane (`// @test-lane: pair`, ./test-lane.ts): for every other file the mail server is down
// (its requests' mails fail and are given up after LEADS_GIVE_UP_MS) and nothing uploads. On Postgres
// (TEST_DATABASE_URL) the pair is two processes; on SQLite one (two processes on one SQLite file are not what
// production runs): the replica tests skip there.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startCms, type RunningCms } from '../../scripts/stack/cms-runner.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { copyTestDatabase, type DatabaseKind, type TestDatabase } from './databases.ts';
import { ownPublicDir } from './public-dir.ts';

/** The site the consultation form is on, and a second site CORS_ORIGINS lists. */
export const PAIR_SITE = 'https://agency.example';
export const PAIR_OTHER_SITE = 'http://127.0.0.1:4999';
export const PAIR_BUCKET = 'agency-media';
/** s3rver accepts only its own credentials. */
const S3RVER_KEY = 'S3RVER';

/** The pair's limits and timings, as numbers: the tests about them read them here instead of constants of their own. */
export const PAIR_LIMITS = {
  /** CONSULTATION_RATE_LIMIT: attempts per client address (IPv6 by /64) a window. */
  perAddress: 2,
  /** CONSULTATION_RATE_LIMIT_NETWORK: per IPv6 /48. */
  perNetwork: 5,
  /**
   * CONSULTATION_RATE_LIMIT_EMAIL: valid requests per recipient mailbox a window. Above the markers a leads file
   * sends to its one marker mailbox within a minute (./outbox-events.ts), so only the test of this limit reaches it.
   */
  perRecipient: 24,
  windowMs: 60_000,
  /** LEADS_CONFIRM_PER_HOUR: the leads files start from an empty hour (./outbox-events.ts quietOutbox). */
  confirmPerHour: 16,
  giveUpMs: 8_000,
};

/** One set of settings for every file on the pair (over the template's secrets and database). */
function pairSettings(smtpPort: number, s3Port: number): Record<string, string> {
  const endpoint = `http://127.0.0.1:${s3Port}`;
  return {
    SITE_URL: PAIR_SITE,
    CORS_ORIGINS: `${PAIR_SITE}, ${PAIR_OTHER_SITE}`,
    CONSULTATION_RATE_LIMIT: String(PAIR_LIMITS.perAddress),
    CONSULTATION_RATE_LIMIT_NETWORK: String(PAIR_LIMITS.perNetwork),
    CONSULTATION_RATE_LIMIT_EMAIL: String(PAIR_LIMITS.perRecipient),
    CONSULTATION_RATE_WINDOW_MS: String(PAIR_LIMITS.windowMs),
    // Behind one proxy: each test names its client in X-Forwarded-For (without it, the connection's address counts).
    TRUSTED_PROXY_HOPS: '1',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    SMTP_SECURE: 'false',
    LEADS_EMAIL_TO: 'agency@example.com',
    MAIL_FROM: 'Agency website <no-reply@agency.example>',
    LEADS_CONFIRM: 'true',
    LEADS_CONFIRM_PER_HOUR: String(PAIR_LIMITS.confirmPerHour),
    LEADS_RETRY_BASE_MS: '300',
    LEADS_RETRY_MAX_MS: '1000',
    LEADS_GIVE_UP_MS: String(PAIR_LIMITS.giveUpMs),
    LEADS_POLL_MS: '200',
    LEADS_LEASE_MS: '16000',
    UPLOAD_PROVIDER: 's3',
    S3_BUCKET: PAIR_BUCKET,
    S3_ENDPOINT: endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: S3RVER_KEY,
    S3_SECRET_ACCESS_KEY: S3RVER_KEY,
  };
}

/** One process of the pair: where it answers and the file its output goes to (across its restarts). */
type PairReplica = { url: string; port: number; logFile: string; running: boolean };

/** What a test file gets (./fixtures.ts productionPair). */
export type ProductionPairInfo = {
  kind: DatabaseKind;
  replicas: PairReplica[];
  /** The settings both processes run with (secrets, database, the pair's settings). */
  env: Record<string, string>;
  /** Where its rebuild webhook goes: a recorded channel of the broker (./fixtures.ts hookChannel). */
  hooks: string;
  smtpPort: number;
  s3Port: number;
  limits: typeof PAIR_LIMITS;
};

type Replica = PairReplica & { process: RunningCms | null };

export class ProductionPair {
  private readonly replicas: Replica[] = [];
  private env: Record<string, string> = {};
  private smtpPort = 0;
  private s3Port = 0;
  private database: TestDatabase | null = null;
  /** Stops, starts and the first boot, one at a time (two boots on one database at once would race its schema sync). */
  private queue: Promise<unknown> = Promise.resolve();

  private readonly kind: DatabaseKind;
  private readonly dir: string;
  private readonly hooks: string;

  constructor(kind: DatabaseKind, dir: string, hooks: string) {
    this.kind = kind;
    this.dir = dir;
    this.hooks = hooks;
  }

  /** Copies `template` and boots the pair on it (two processes on Postgres, one after the other; one on SQLite). */
  async boot(template: { database: Parameters<typeof copyTestDatabase>[0]; secrets: Record<string, string> }): Promise<void> {
    this.database = await copyTestDatabase(template.database);
    [this.smtpPort, this.s3Port] = [await freePort(), await freePort()];
    const webhook = { REBUILD_URL: `${this.hooks}/strapi`, WEBHOOK_TOKEN: randomBytes(24).toString('base64url') };
    this.env = {
      ...template.secrets,
      ...this.database.env,
      ...webhook,
      ...pairSettings(this.smtpPort, this.s3Port),
      ...ownPublicDir(this.dir).env,
    };
    const count = this.kind === 'postgres' ? 2 : 1;
    for (let index = 0; index < count; index++) {
      const port = await freePort();
      const logFile = path.join(this.dir, `pair-${this.kind}-${index + 1}.log`);
      this.replicas.push({ url: `http://127.0.0.1:${port}`, port, logFile, running: false, process: null });
      await this.start(index);
    }
  }

  /** What the files see; any replica a file stopped and did not start again is started first (a boot). */
  async info(): Promise<ProductionPairInfo> {
    for (const [index, replica] of this.replicas.entries()) if (!replica.running) await this.start(index);
    return this.state();
  }

  /** What the files see, as it is now (a stopped replica stays stopped). */
  state(): ProductionPairInfo {
    return {
      kind: this.kind,
      replicas: this.replicas.map(({ url, port, logFile, running }) => ({ url, port, logFile, running })),
      env: this.env,
      hooks: this.hooks,
      smtpPort: this.smtpPort,
      s3Port: this.s3Port,
      limits: PAIR_LIMITS,
    };
  }

  /** Stops replica `index` (a stop lets the outbox's send in progress finish: cms/src/leads/outbox.ts stopOutbox). */
  stop(index: number): Promise<void> {
    const replica = this.replica(index);
    return this.serial(async () => {
      await replica.process?.stop();
      replica.process = null;
      replica.running = false;
    });
  }

  /** Starts replica `index` again on the same port, database and log (a boot); nothing when it runs. */
  start(index: number): Promise<void> {
    const replica = this.replica(index);
    return this.serial(async () => {
      if (replica.running) return;
      const env = { ...(process.env as Record<string, string>), NODE_ENV: 'development', ...this.env };
      replica.process = await startCms({ port: replica.port, env, onLine: (line) => appendFileSync(replica.logFile, `${line}\n`) });
      replica.running = true;
    });
  }

  private replica(index: number): Replica {
    const replica = this.replicas[index];
    if (!replica) throw new Error(`The production pair has no replica ${index} (it has ${this.replicas.length}, from 0).`);
    return replica;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.process?.stop().catch(() => undefined)));
    await this.database?.drop().catch(() => undefined);
  }
}
