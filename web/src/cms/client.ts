// Sending one GraphQL request to the CMS: the endpoint, the read token, the per-request timeout, and every
// failure turned into a CmsError (src/cms/errors.ts). The site build and the preview server both use it.
import { GraphQLClient } from 'graphql-request';
import type { SiteBuildSettings } from '../settings.ts';
import { describeCmsFailure } from './errors.ts';

export type CmsConfig = {
  /** The CMS's public base URL, without a trailing slash, e.g. `http://127.0.0.1:1337`. */
  url: string;
  /** The GraphQL endpoint, `${url}/graphql`. */
  endpoint: string;
  /** A read-only API token, or null to read as the Public role. */
  token: string | null;
  /** Per-request timeout. */
  timeoutMs: number;
};

/** The connection settings both programs read (src/settings.ts), as a client configuration. */
export function cmsConfig(settings: Pick<SiteBuildSettings, 'CMS_URL' | 'CMS_TOKEN' | 'CMS_TIMEOUT_MS'>): CmsConfig {
  return { url: settings.CMS_URL, endpoint: `${settings.CMS_URL}/graphql`, token: settings.CMS_TOKEN, timeoutMs: settings.CMS_TIMEOUT_MS };
}

export type CmsClient = {
  config: CmsConfig;
  /** Sends one query; throws a CmsError saying what went wrong and what to do. */
  request: <T>(document: string, variables: Record<string, unknown>) => Promise<T>;
};

export function createCmsClient(config: CmsConfig, extraHeaders: Record<string, string> = {}): CmsClient {
  const client = new GraphQLClient(config.endpoint, {
    headers: { ...(config.token ? { Authorization: `Bearer ${config.token}` } : {}), ...extraHeaders },
  });
  return {
    config,
    async request<T>(document: string, variables: Record<string, unknown>): Promise<T> {
      try {
        return await client.request<T>({ document, variables, signal: AbortSignal.timeout(config.timeoutMs) });
      } catch (error) {
        throw describeCmsFailure(error, config);
      }
    },
  };
}
