// Every environment variable the CMS reads, declared once, with its default and what it is for. Config files
// (config/*.ts) and the app (src/) read `settings()` instead of process.env, so a bad value is reported at boot,
// all problems in one message, with secrets never shown. docs/configuration.md lists these same variables.
//
// Secrets come from the root .env, generated per install by `npm start`. Strapi would happily boot with a
// missing or placeholder secret (its own examples say "tobemodified"); the CMS refuses, in every mode.
import { choice, defineSettings, flag, httpUrl, integer, port, secret, text, type Setting, type SettingsOf } from '@agency/shared/server';
import { DEFAULT_SITE_URL, originList } from './http/cors';
import { launchNodeEnv } from './launch-env';
import { checkUploadSettings, uploadSettingsSpec } from './uploads/upload-settings';

/** Values copied from an example file without being replaced, and Strapi's own "tobemodified". */
const PLACEHOLDER = /^(change-?me.*|tobemodified.*|secret|example.*|replace-?me.*|x+)$/i;

const MIN_SECRET_LENGTH = 16;

const MIN_ADMIN_PASSWORD_LENGTH = 12;
/** Words that make a password a placeholder, whatever surrounds them. */
const PLACEHOLDER_PASSWORD = /password|passw0rd|change-?me|tobemodified|replace-?me|example|admin|secret|qwerty|123456/i;

/** Why a production admin password is refused (never echoing it), or null when it is strong enough. */
function weakAdminPassword(password: string): string | null {
  if (password.length < MIN_ADMIN_PASSWORD_LENGTH) return `it must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters long`;
  if (!/[a-z]/.test(password) || !/[A-Z]/.test(password) || !/[0-9]/.test(password))
    return 'it must mix lower case letters, upper case letters and digits';
  if (PLACEHOLDER_PASSWORD.test(password) || PLACEHOLDER.test(password) || new Set(password).size < 6)
    return 'it looks like a placeholder; use a long random password (npm start generates one into .env)';
  return null;
}
const GENERATE_SECRETS =
  'Run `npm start` once to generate the root .env, or set these variables in the environment (docs/configuration.md).';

/**
 * A secret `npm start` generates (or the operator sets): at least 16 characters and not a placeholder.
 * `list`: several, comma-separated (APP_KEYS). `required` false: null when unset (the feature is off).
 */
function generatedSecret<R extends boolean, L extends boolean = false>(
  options: { required: R; list?: L },
  description: string,
): Setting<L extends true ? string[] : R extends true ? string : string | null> {
  type Out = L extends true ? string[] : R extends true ? string : string | null;
  return {
    description,
    secret: true,
    advice: GENERATE_SECRETS,
    parse: (raw) => {
      if (raw === undefined) return options.required ? { problem: 'is missing or is a placeholder' } : { value: null as Out };
      const values = options.list ? raw.split(',').map((value) => value.trim()) : [raw];
      if (values.some((value) => value === '' || PLACEHOLDER.test(value))) return { problem: 'is missing or is a placeholder' };
      if (values.some((value) => value.length < MIN_SECRET_LENGTH)) {
        return {
          problem: options.list
            ? `must list secrets of at least ${MIN_SECRET_LENGTH} characters each, separated by commas`
            : `must be at least ${MIN_SECRET_LENGTH} characters long`,
        };
      }
      return { value: (options.list ? values : raw) as Out };
    },
  };
}

const NODE_ENVS = ['development', 'production', 'test'] as const;

/**
 * NODE_ENV, required: unset, a server would run in development (Strapi's own default) with the GraphQL sandbox,
 * introspection and the local admin account. `settings()` reads it as the operator gave it (src/launch-env.ts).
 */
function nodeEnv(description: string): Setting<(typeof NODE_ENVS)[number]> {
  const words = choice(NODE_ENVS, 'development', description);
  return {
    description,
    advice:
      'Set NODE_ENV=production on a server (the CMS image does), or development on your own machine (`npm start` and the tests set it).',
    parse: (raw) => (raw === undefined ? { problem: 'must be set to "production" or "development"' } : words.parse(raw)),
  };
}

/** An http(s) origin (`scheme://host[:port]`, no path); null when unset. */
function origin(description: string): Setting<string | null> {
  const url = httpUrl(null, description);
  return {
    ...url,
    parse: (raw) => {
      const result = url.parse(raw);
      if ('problem' in result || result.value === null) return result;
      return new URL(result.value).pathname === '/'
        ? result
        : { problem: "must be the preview server's origin without a path, such as http://127.0.0.1:4323" };
    },
  };
}

/** `true` or `false` like `flag`, but null when unset: the default depends on another variable (`docDefault` says how). */
function optionalFlag(docDefault: string, description: string): Setting<boolean | null> {
  const parsed = flag(false, description);
  return { ...parsed, default: docDefault, parse: (raw) => (raw === undefined ? { value: null } : parsed.parse(raw)) };
}

export const cmsSettings = defineSettings(
  'CMS',
  {
    NODE_ENV: nodeEnv(
      'Required: production turns off the local admin account, GraphQL introspection and the GraphQL sandbox; development (what `npm start` and the tests set) keeps them.',
    ),
    HOST: text('127.0.0.1', 'The address Strapi listens on (0.0.0.0 in a container).'),
    PORT: port(1337, 'The port Strapi listens on.'),
    PUBLIC_URL: httpUrl(null, 'The address editors and the site reach the CMS at, when it is not HOST:PORT (behind a proxy).'),
    PUBLIC_DIR: text(
      'public',
      "Strapi's public folder, relative to cms/ or absolute: the files it serves as they are, and local uploads (its uploads/ folder).",
    ),

    // Strapi's own secrets.
    APP_KEYS: generatedSecret(
      { required: true, list: true },
      'Signs session cookies: several secrets, comma-separated (Strapi rotates through them).',
    ),
    API_TOKEN_SALT: generatedSecret({ required: true }, 'Salt for the API tokens created in the admin.'),
    ADMIN_JWT_SECRET: generatedSecret({ required: true }, "Signs the admin panel's login tokens."),
    TRANSFER_TOKEN_SALT: generatedSecret({ required: true }, 'Salt for data-transfer tokens.'),
    JWT_SECRET: generatedSecret({ required: true }, "Signs the users-permissions plugin's tokens."),
    ENCRYPTION_KEY: generatedSecret({ required: true }, 'Encrypts secrets Strapi stores in the database (API token values).'),

    // The database: SQLite by default (a file under cms/), Postgres when DATABASE_CLIENT=postgres or DATABASE_URL is set.
    DATABASE_CLIENT: text(
      null,
      'sqlite or postgres.',
      { pattern: /^(sqlite|postgres)$/, problem: 'must be "sqlite" or "postgres"' },
      'sqlite (postgres when DATABASE_URL is set)',
    ),
    DATABASE_URL: text(
      null,
      'A Postgres connection URL (postgres://user:password@host:5432/name); replaces the DATABASE_HOST … DATABASE_PASSWORD variables.',
      {
        pattern: /^postgres(ql)?:\/\/\S+$/,
        problem: 'must be a postgres:// connection URL',
      },
    ),
    DATABASE_FILENAME: text('.tmp/data.db', 'SQLite only: the database file, relative to cms/.'),
    DATABASE_HOST: text('127.0.0.1', 'Postgres host.'),
    DATABASE_PORT: port(5432, 'Postgres port.'),
    DATABASE_NAME: text('strapi', 'Postgres database name.'),
    DATABASE_USERNAME: text('strapi', 'Postgres user.'),
    DATABASE_PASSWORD: secret(
      { minLength: 1, required: false },
      "Postgres user's password; required in production (unless DATABASE_URL is set).",
    ),
    DATABASE_SSL: flag(false, 'Connect to Postgres over TLS.'),
    DATABASE_SCHEMA: text('public', 'Postgres schema.'),
    DATABASE_POOL_MIN: integer(0, { min: 0, max: 100 }, 'Postgres connection pool: fewest connections kept open.'),
    DATABASE_POOL_MAX: integer(10, { min: 1, max: 100 }, 'Postgres connection pool: most connections open at once.'),
    DATABASE_CONNECTION_TIMEOUT: integer(
      60_000,
      { min: 1_000, max: 600_000, unit: 'milliseconds' },
      'How long to wait for a database connection.',
    ),

    // Who may call the API from a browser, and how often the consultation form may be sent.
    SITE_URL: httpUrl(DEFAULT_SITE_URL, "The public site's address; its origin may call the API from a browser (the consultation form)."),
    CORS_ORIGINS: originList('Comma-separated origins allowed to call the API from a browser, instead of SITE_URL’s.'),
    CONSULTATION_RATE_LIMIT: integer(5, { min: 1, max: 10_000 }, 'Consultation requests accepted per IP address per window.'),
    CONSULTATION_RATE_LIMIT_NETWORK: integer(
      20,
      { min: 1, max: 100_000 },
      'Consultation requests accepted per IPv6 /48 network per window (besides the per-address limit, which counts IPv6 by /64).',
    ),
    CONSULTATION_RATE_LIMIT_EMAIL: integer(
      5,
      { min: 1, max: 10_000 },
      'Valid consultation requests accepted per recipient e-mail address per window, whatever address they come from.',
    ),
    CONSULTATION_RATE_WINDOW_MS: integer(
      600_000,
      { min: 1_000, max: 86_400_000, unit: 'milliseconds' },
      "The rate-limit window (it starts at a client's first attempt).",
    ),
    TRUSTED_PROXY_HOPS: integer(
      0,
      { min: 0, max: 5 },
      "How many reverse proxies stand in front of the CMS: the client's address is the one the outermost of them wrote into X-Forwarded-For (0: the connection's own address; what a client writes there is ignored).",
    ),

    // Content, publishing and preview.
    SEED_ON_START: flag(true, 'Seed the first content on the first start (false: start empty).'),
    REBUILD_URL: httpUrl(
      null,
      'Where Strapi posts publish events (the rebuild service’s /hooks/strapi); unset: publishing rebuilds nothing.',
    ),
    WEBHOOK_TOKEN: generatedSecret({ required: false }, 'Bearer token Strapi sends with each rebuild webhook; required with REBUILD_URL.'),
    PREVIEW_URL: origin("The preview server's origin, which the admin's Preview button opens; unset: no Preview button."),
    PREVIEW_SECRET: generatedSecret(
      { required: false },
      "Signs the admin's Preview links (never part of them); required with PREVIEW_URL. The preview server's PREVIEW_SECRET.",
    ),
    PREVIEW_LINK_TTL_SECONDS: integer(
      3600,
      { min: 10, max: 604_800, unit: 'seconds' },
      'How long a Preview link opens its document; the admin makes a new one each time Preview is opened.',
    ),
    PREVIEW_TOKEN: generatedSecret(
      { required: false },
      'The token the preview server reads drafts with (X-Preview-Token header); required with PREVIEW_URL.',
    ),

    // Consultation mails (src/leads): where they go, the SMTP relay they go through, and the outbox's timings.
    LEADS_EMAIL_TO: text(null, 'Who gets an e-mail for each consultation request; unset: requests wait in the outbox, unsent.', {
      pattern: /^[^@\s,]+@[^@\s,]+(,\s*[^@\s,]+@[^@\s,]+)*$/,
      problem: 'must be an e-mail address (or several, comma-separated)',
    }),
    MAIL_FROM: text('Consultation requests <no-reply@localhost>', 'The sender of consultation mails, as `Name <address>` or an address.', {
      pattern: /^([^<>]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/,
      problem: 'must be an e-mail address, or a name and an address as `Agency <no-reply@example.com>`',
    }),
    LEADS_CONFIRM: optionalFlag(
      'false in production (true otherwise)',
      'Send the reader a short confirmation of their request (false: only the agency is told); off in production unless set: anyone can type any address.',
    ),
    LEADS_CONFIRM_PER_HOUR: integer(
      20,
      { min: 1, max: 10_000 },
      "At most this many confirmations to readers in any hour, across every CMS process; beyond it readers get none (the agency's mail always goes).",
    ),
    SMTP_HOST: text(null, 'The SMTP server consultation mails go through; unset: no mail is sent (requests wait in the outbox).'),
    SMTP_PORT: port(587, 'The SMTP port.'),
    SMTP_SECURE: flag(false, 'true: TLS from the first byte (port 465); false: STARTTLS when the server offers it.'),
    SMTP_USER: text(null, 'The SMTP login, when the relay needs one.'),
    SMTP_PASS: secret({ minLength: 1, required: false }, "The SMTP login's password."),
    LEADS_RETRY_BASE_MS: integer(
      60_000,
      { min: 100, max: 86_400_000, unit: 'milliseconds' },
      'The wait before retrying a consultation mail that could not be sent; it doubles each time, up to LEADS_RETRY_MAX_MS.',
    ),
    LEADS_RETRY_MAX_MS: integer(3_600_000, { min: 100, max: 86_400_000, unit: 'milliseconds' }, 'The longest wait between two retries.'),
    LEADS_GIVE_UP_MS: integer(
      86_400_000,
      { min: 1_000, max: 2_592_000_000, unit: 'milliseconds' },
      'How long after the request the outbox stops retrying; the notification is then marked failed with its last error.',
    ),
    LEADS_POLL_MS: integer(
      10_000,
      { min: 100, max: 3_600_000, unit: 'milliseconds' },
      'How often the outbox looks for mail that is due (a new request is sent at once).',
    ),
    LEADS_LEASE_MS: integer(
      120_000,
      { min: 1_000, max: 3_600_000, unit: 'milliseconds' },
      'How long a CMS process holds a claimed mail; another process may retry it only after that (it must exceed the SMTP timeouts).',
    ),

    // The first admin account: the local editor in development, the first super admin in production.
    ADMIN_EMAIL: text(null, 'The first admin account, created at boot when no admin exists (development and production).', {
      pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
      problem: 'must be an e-mail address',
    }),
    ADMIN_PASSWORD: secret(
      { minLength: 8, required: false },
      "The first admin's password, read only while no admin exists (remove it once they have logged in); in production at least 12 characters with lower case, upper case and a digit.",
    ),

    // Where the Media Library stores files: local disk, or an S3-compatible bucket (src/uploads, docs/uploads.md).
    ...uploadSettingsSpec,
    UPLOAD_MAX_BYTES: integer(
      50 * 1024 * 1024,
      { min: 1024, max: 10 * 1024 * 1024 * 1024, unit: 'bytes' },
      'The largest upload to the Media Library (a request body, or a file fetched from a URL); larger ones are refused with 413.',
    ),
  },
  {
    check(values) {
      const problems: string[] = [];
      const production = values.NODE_ENV === 'production';
      const postgres =
        values.DATABASE_CLIENT === 'postgres' || (values.DATABASE_CLIENT === null && typeof values.DATABASE_URL === 'string');
      if (
        postgres &&
        production &&
        values.DATABASE_URL === null &&
        (values.DATABASE_PASSWORD === null || PLACEHOLDER.test(values.DATABASE_PASSWORD ?? ''))
      ) {
        // A production database with the example password is an open door: refused like the other secrets.
        problems.push(
          "DATABASE_PASSWORD is missing or is a placeholder: in production, set it to the Postgres user's password (docs/configuration.md).",
        );
      }
      // ADMIN_EMAIL alone is fine: once the first admin exists, ADMIN_PASSWORD is no longer needed (and should go).
      // Whether it exists is known only at boot (src/bootstrap/first-admin.ts refuses to start without it then).
      if (production && values.ADMIN_EMAIL === null && typeof values.ADMIN_PASSWORD === 'string') {
        problems.push('ADMIN_PASSWORD is set but ADMIN_EMAIL is not: in production, set ADMIN_EMAIL too to create the first admin.');
      }
      const weak = production && typeof values.ADMIN_PASSWORD === 'string' ? weakAdminPassword(values.ADMIN_PASSWORD) : null;
      if (weak) problems.push(`ADMIN_PASSWORD is too weak for production: ${weak}.`);
      if (typeof values.REBUILD_URL === 'string' && values.WEBHOOK_TOKEN === null) {
        problems.push(
          'REBUILD_URL is set but WEBHOOK_TOKEN is not: the rebuild service would refuse every call. Set WEBHOOK_TOKEN (npm start generates it into .env).',
        );
      }
      if (typeof values.PREVIEW_URL === 'string') {
        for (const name of ['PREVIEW_SECRET', 'PREVIEW_TOKEN'] as const) {
          if (values[name] === null)
            problems.push(
              `PREVIEW_URL is set but ${name} is not: set it to a secret of at least 16 characters (npm start generates it into .env).`,
            );
        }
      }
      if (
        typeof values.LEADS_RETRY_BASE_MS === 'number' &&
        typeof values.LEADS_RETRY_MAX_MS === 'number' &&
        values.LEADS_RETRY_MAX_MS < values.LEADS_RETRY_BASE_MS
      )
        problems.push('LEADS_RETRY_MAX_MS must not be smaller than LEADS_RETRY_BASE_MS.');
      if (typeof values.SMTP_PASS === 'string' && values.SMTP_USER === null)
        problems.push('SMTP_PASS is set but SMTP_USER is not: set the SMTP login too, or unset SMTP_PASS.');
      problems.push(...checkUploadSettings(values));
      return problems;
    },
  },
);

export type CmsSettings = SettingsOf<typeof cmsSettings.spec>;

let current: CmsSettings | undefined;

/**
 * The CMS's settings, read from the environment on first use (the first config file Strapi loads) and kept:
 * the environment does not change while the process runs. Throws a SettingsError naming every bad variable.
 */
export function settings(): CmsSettings {
  return (current ??= cmsSettings.read({ ...process.env, NODE_ENV: launchNodeEnv() }));
}

/** The database client the settings select: postgres when asked for, or when only DATABASE_URL is set. */
export function databaseClient(values: Pick<CmsSettings, 'DATABASE_CLIENT' | 'DATABASE_URL'>): 'sqlite' | 'postgres' {
  return (values.DATABASE_CLIENT ?? (values.DATABASE_URL ? 'postgres' : 'sqlite')) as 'sqlite' | 'postgres';
}

/**
 * Whether readers get a confirmation mail: LEADS_CONFIRM, or, unset, only outside production. A confirmation
 * goes to whatever address was typed into a public form, so a production site opts in knowingly (docs/leads.md).
 */
export function confirmationsOn(values: Pick<CmsSettings, 'LEADS_CONFIRM' | 'NODE_ENV'>): boolean {
  return values.LEADS_CONFIRM ?? values.NODE_ENV !== 'production';
}
