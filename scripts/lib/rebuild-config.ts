// Settings of the rebuild service, from the environment, shared by `npm start` and scripts/rebuild-service.ts.
import { ConfigError, httpUrl, port } from './config.ts';
import { siteDir } from './paths.ts';
import { githubPublisher, localPublisher, type Publisher } from './publishers.ts';
import { SiteStore } from './site-store.ts';

export type RebuildConfig = {
  port: number;
  token: string;
  cmsUrl: string;
  siteDir: string;
  quietMs: number;
  maxWaitMs: number;
  mode: 'local' | 'github';
};

function millis(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 600_000) throw new ConfigError(`${name} must be a number of milliseconds (0–600000), not "${raw}".`);
  return value;
}

export function rebuildConfig(env: NodeJS.ProcessEnv): RebuildConfig {
  const token = env.WEBHOOK_TOKEN?.trim() ?? '';
  if (token.length < 16) throw new ConfigError('WEBHOOK_TOKEN must be set to a secret of at least 16 characters (npm start generates one into .env).');
  const mode = env.REBUILD_MODE?.trim() || 'local';
  if (mode !== 'local' && mode !== 'github') throw new ConfigError(`REBUILD_MODE must be "local" or "github", not "${mode}".`);
  const quietMs = millis(env, 'REBUILD_QUIET_MS', 400);
  const maxWaitMs = millis(env, 'REBUILD_MAX_WAIT_MS', 2000);
  if (maxWaitMs < quietMs) throw new ConfigError('REBUILD_MAX_WAIT_MS must not be smaller than REBUILD_QUIET_MS.');
  return {
    port: port(env, 'REBUILD_PORT', 4322),
    token,
    cmsUrl: httpUrl(env, 'CMS_URL', 'http://127.0.0.1:1337'),
    siteDir: siteDir(env),
    quietMs,
    maxWaitMs,
    mode,
  };
}

/** The publisher for the configured mode; relay mode needs GITHUB_REPOSITORY and GITHUB_TOKEN. */
export function publisherFor(config: RebuildConfig, env: NodeJS.ProcessEnv, store: SiteStore): Publisher {
  if (config.mode === 'local') return localPublisher({ store, cmsUrl: config.cmsUrl, env });
  const repository = env.GITHUB_REPOSITORY?.trim() ?? '';
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new ConfigError(`REBUILD_MODE=github needs GITHUB_REPOSITORY as owner/name, not "${repository}".`);
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) throw new ConfigError('REBUILD_MODE=github needs GITHUB_TOKEN (a token allowed to create repository dispatch events).');
  return githubPublisher({ repository, token, apiUrl: env.GITHUB_API_URL ? httpUrl(env, 'GITHUB_API_URL', 'https://api.github.com') : undefined });
}
