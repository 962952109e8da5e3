// Secrets come from the root .env, generated per install by `npm start` (scripts/lib/env-file.ts).
// Strapi would happily boot with a missing or placeholder secret; we refuse, with a message that says what to do.

import type { Core } from '@strapi/strapi';

type Env = Core.Config.Shared.ConfigParams['env'];

export const PLACEHOLDER = /^(|change-?me.*|tobemodified.*|secret|example.*|replace-?me.*|x+)$/i;

export function requireSecrets(env: Env, name: string, options: { list: true }): string[];
export function requireSecrets(env: Env, name: string, options?: { list?: false }): string;
export function requireSecrets(env: Env, name: string, options: { list?: boolean } = {}): string | string[] {
  const values: string[] = options.list ? (env.array(name) ?? []).map(String) : [String(env(name) ?? '')];
  const bad = values.length === 0 || values.some((value) => PLACEHOLDER.test(value.trim()));
  if (bad) {
    throw new Error(
      `${name} is missing or is a placeholder. Run \`npm start\` once to generate the root .env, ` +
        `or set ${name} in the environment (see README → Configuration).`,
    );
  }
  return options.list ? values : values[0]!;
}

/** True for an empty value or one copied from .env.example without being replaced. */
export function isPlaceholder(value: string | undefined): boolean {
  return PLACEHOLDER.test(String(value ?? '').trim());
}
