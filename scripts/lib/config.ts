// Environment settings for the local stack, validated with messages a person can act on.
// Every variable here is documented in README → Configuration.

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ConfigError(`${name} must be a port number from 1 to 65535, not "${raw}".`);
  }
  return value;
}

export function httpUrl(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL such as ${fallback}, not "${raw}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL such as ${fallback}, not "${raw}".`);
  }
  // A URL with credentials in it would end up in logs and /status; secrets have their own variables.
  if (url.username || url.password) throw new ConfigError(`${name} must not contain credentials; use the matching token variable instead.`);
  return raw.replace(/\/+$/, '');
}
