// The settings of the two production programs in the web image, each declared once: every variable it reads,
// its default and what it means (docs/configuration.md lists the same; a test holds them together).
//   rebuildServiceSettings  `npm run rebuild-service` (scripts/rebuild/rebuild-service.ts); npm start runs the
//                           same service in-process and reads a subset (scripts/stack/settings.ts)
//   serveSiteSettings       `npm run serve-site` (scripts/rebuild/serve-site.ts)
// Both read the process environment only (not .env). A bad value stops the program with one message that
// lists every problem (SettingsError from @agency/shared/server), secrets never shown.
import path from 'node:path';
import { choice, defineSettings, httpUrl, integer, port, secret, text, type Setting, type SettingsOf } from '@agency/shared/server';
import { DEFAULT_SITE_DIR } from '../common/paths.ts';

/** SITE_DIR, as an absolute path (relative values are taken from the working directory). */
const siteDir: Setting<string> = {
  description:
    'Where built sites live: builds/<id> per build and `current`, a link to the live one. The rebuild service writes it, the static server reads it.',
  default: '.data/site (in the checkout)',
  parse: (raw) => ({ value: path.resolve(raw ?? DEFAULT_SITE_DIR) }),
};

/** REBUILD_TIMEOUT_MS: a fixed deadline for every build, or null (unset): sized from the site (./build-deadline.ts). */
const buildTimeout: Setting<number | null> = {
  description:
    'A build (full or incremental) still running after this long is stopped and fails (the last good site keeps serving, the next publish builds again). Unset: 10 minutes plus half a second per article of the live site.',
  default: 'sized from the site',
  parse: (raw) => {
    if (raw === undefined) return { value: null };
    const value = Number(raw);
    return Number.isInteger(value) && value >= 1000 && value <= 86_400_000
      ? { value }
      : { problem: 'must be a whole number of milliseconds from 1000 to 86400000 (a day), or unset to size it from the site' };
  },
};

const millis = (fallback: number, description: string) => integer(fallback, { min: 0, max: 600_000, unit: 'milliseconds' }, description);

/** A host name or IP address to listen on. */
const host = (description: string) =>
  text('127.0.0.1', description, { pattern: /^[\w.:-]+$/, problem: 'must be a host name or IP address such as 127.0.0.1 or 0.0.0.0' });

/** Relay mode gives up after this many dispatch attempts (the next publish tries again); local builds retry until one succeeds. */
export const REBUILD_RETRY_ATTEMPTS = 6;

/** Rules between settings, for every program that runs the rebuild service (it and npm start). */
export function rebuildRelationProblems(values: {
  REBUILD_QUIET_MS?: number;
  REBUILD_MAX_WAIT_MS?: number;
  REBUILD_RETRY_BASE_MS?: number;
  REBUILD_RETRY_MAX_MS?: number;
}): string[] {
  const { REBUILD_QUIET_MS: quiet, REBUILD_MAX_WAIT_MS: maxWait, REBUILD_RETRY_BASE_MS: base, REBUILD_RETRY_MAX_MS: max } = values;
  return [
    ...(quiet !== undefined && maxWait !== undefined && maxWait < quiet
      ? ['REBUILD_MAX_WAIT_MS must not be smaller than REBUILD_QUIET_MS.']
      : []),
    ...(base !== undefined && max !== undefined && max < base
      ? ['REBUILD_RETRY_MAX_MS must not be smaller than REBUILD_RETRY_BASE_MS.']
      : []),
  ];
}

export const rebuildServiceSettings = defineSettings(
  'rebuild service',
  {
    WEBHOOK_TOKEN: secret(
      { minLength: 16, required: true, hint: 'npm start generates one into .env' },
      'The bearer token Strapi sends with every webhook call; calls without it are refused (401). The CMS reads the same variable.',
    ),
    REBUILD_MODE: choice(
      ['local', 'github'],
      'local',
      'local: build the site from CMS_URL into SITE_DIR on every publish. github: relay each batch of publishes to GitHub (repository_dispatch), which builds and deploys.',
    ),
    REBUILD_HOST: host('The address the service listens on (0.0.0.0 in a container).'),
    REBUILD_PORT: port(4322, 'The port the service listens on (POST /hooks/strapi, GET /status, GET /health).'),
    REBUILD_QUIET_MS: millis(400, 'A build starts this long after the last publish event (a burst coalesces into one build).'),
    REBUILD_MAX_WAIT_MS: millis(2000, 'But never later than this after the first waiting event; not smaller than REBUILD_QUIET_MS.'),
    REBUILD_RETRY_BASE_MS: integer(
      2000,
      { min: 1, max: 3_600_000, unit: 'milliseconds' },
      `A failed build (local mode) or dispatch (relay mode) is retried after this long, doubling each time up to REBUILD_RETRY_MAX_MS; a local build until one succeeds or a new event supersedes the retry, a dispatch at most ${REBUILD_RETRY_ATTEMPTS} times.`,
    ),
    REBUILD_RETRY_MAX_MS: integer(
      60_000,
      { min: 1, max: 3_600_000, unit: 'milliseconds' },
      'The longest wait between two retries; not smaller than REBUILD_RETRY_BASE_MS.',
    ),
    REBUILD_TIMEOUT_MS: buildTimeout,
    CMS_URL: httpUrl('http://127.0.0.1:1337', 'Local mode: the CMS the site is built from (also read by the site build itself).'),
    SITE_DIR: siteDir,
    GITHUB_REPOSITORY: text(null, 'Relay mode: the repository whose site workflow runs, as owner/name.', {
      pattern: /^[\w.-]+\/[\w.-]+$/,
      problem: 'must be the repository as owner/name',
    }),
    GITHUB_TOKEN: secret(
      { minLength: 1, required: false },
      'Relay mode: a token allowed to create repository dispatch events in GITHUB_REPOSITORY.',
    ),
    GITHUB_API_URL: httpUrl('https://api.github.com', 'Relay mode: GitHub’s REST API (GitHub Enterprise Server: https://HOST/api/v3).'),
  },
  {
    // Checked with the variables, in the same message: the window's bounds, and relay mode's repository and token
    // (null: unset; undefined: already named as invalid).
    check: (values) => [
      ...rebuildRelationProblems(values),
      ...(values.REBUILD_MODE === 'github' && values.GITHUB_REPOSITORY === null
        ? ['REBUILD_MODE=github needs GITHUB_REPOSITORY, the repository as owner/name.']
        : []),
      ...(values.REBUILD_MODE === 'github' && values.GITHUB_TOKEN === null
        ? ['REBUILD_MODE=github needs GITHUB_TOKEN (a token allowed to create repository dispatch events).']
        : []),
    ],
  },
);

export type RebuildServiceSettings = SettingsOf<typeof rebuildServiceSettings.spec>;

export const serveSiteSettings = defineSettings('static site server', {
  SITE_HOST: host('The address the static site server listens on (0.0.0.0 in a container).'),
  SITE_PORT: port(4321, 'The port the site is served on (npm start serves it there too).'),
  SITE_DIR: siteDir,
});
