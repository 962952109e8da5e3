// The relay's (REBUILD_MODE=github) settings refusals, one per variable: each names the variable to fix and shows
// neither token. They were each a real start of the rebuild service; tests/integration/relay.test.ts keeps one
// real refused start per kind (a bad setting, a REBUILD_HOST it cannot listen on, a port in use), which proves
// the program prints the message for a person (no stack trace, no token) and exits 1.
import { randomBytes } from 'node:crypto';
import { SettingsError } from '@agency/shared/server';
import { describe, expect, it } from 'vitest';
import { rebuildServiceSettings } from '../../scripts/rebuild/settings.ts';

const WEBHOOK_TOKEN = `wh-${randomBytes(24).toString('base64url')}`;
const GITHUB_TOKEN = `github_pat_${randomBytes(30).toString('hex')}`;

const github = {
  REBUILD_MODE: 'github',
  WEBHOOK_TOKEN,
  GITHUB_REPOSITORY: 'agency/site',
  GITHUB_TOKEN,
  GITHUB_API_URL: 'http://127.0.0.1:9',
};

/** The refusal `env` gets (a SettingsError), or a failure saying it was accepted. */
function refusal(env: Record<string, string | undefined>): SettingsError {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as Record<string, string>;
  try {
    rebuildServiceSettings.read(defined);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return error as SettingsError;
  }
  throw new Error(`The settings were accepted: ${JSON.stringify(Object.keys(defined))}`);
}

describe('the relay’s settings refusals (rebuildServiceSettings)', () => {
  const cases: Array<[string, Record<string, string | undefined>, RegExp]> = [
    ['REBUILD_MODE=github without GITHUB_TOKEN', { ...github, GITHUB_TOKEN: undefined }, /GITHUB_TOKEN/],
    ['REBUILD_MODE=github with an empty GITHUB_TOKEN', { ...github, GITHUB_TOKEN: '  ' }, /GITHUB_TOKEN/],
    ['REBUILD_MODE=github without GITHUB_REPOSITORY', { ...github, GITHUB_REPOSITORY: undefined }, /GITHUB_REPOSITORY/],
    ['a GITHUB_REPOSITORY that is not owner/name', { ...github, GITHUB_REPOSITORY: 'https://github.com/agency/site' }, /GITHUB_REPOSITORY/],
    ['a GITHUB_API_URL that is not a URL', { ...github, GITHUB_API_URL: 'api.github.com' }, /GITHUB_API_URL/],
    ['REBUILD_MODE=nope', { ...github, REBUILD_MODE: 'nope' }, /REBUILD_MODE/],
    ['a short WEBHOOK_TOKEN', { ...github, WEBHOOK_TOKEN: 'short' }, /WEBHOOK_TOKEN/],
    ['no WEBHOOK_TOKEN', { ...github, WEBHOOK_TOKEN: undefined }, /WEBHOOK_TOKEN/],
    ['a bad REBUILD_RETRY_BASE_MS', { ...github, REBUILD_RETRY_BASE_MS: 'soon' }, /REBUILD_RETRY_BASE_MS/],
    ['a bad REBUILD_PORT', { ...github, REBUILD_PORT: 'eighty' }, /REBUILD_PORT/],
    ['a bad REBUILD_QUIET_MS', { ...github, REBUILD_QUIET_MS: '-5' }, /REBUILD_QUIET_MS/],
  ];

  for (const [name, env, variable] of cases) {
    it(`refuses, naming the variable: ${name}`, () => {
      const error = refusal(env);
      expect(error.problems, error.message).toHaveLength(1);
      expect(error.problems[0]).toMatch(variable);
      expect(error.message).not.toContain(GITHUB_TOKEN);
      expect(error.message).not.toContain(WEBHOOK_TOKEN);
    });
  }
});
