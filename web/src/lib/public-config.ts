// Settings the browser needs, read at build time and passed to islands as props (never secrets).
import { CmsError, cmsConfig, redactUrl } from './cms.ts';

type Env = Record<string, string | undefined>;

/**
 * The CMS's base URL as readers' browsers reach it (PUBLIC_CMS_URL), e.g. `https://cms.example.com`; by
 * default the build's CMS_URL. The consultation form posts to `${url}/api/consultation-requests`.
 */
export function publicCmsUrl(env: Env = process.env): string {
  const raw = env.PUBLIC_CMS_URL?.trim();
  if (!raw) return cmsConfig(env).url;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new CmsError('config', `PUBLIC_CMS_URL must be an http(s) URL such as https://cms.example.com, but it is "${redactUrl(raw)}".`);
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new CmsError('config', `PUBLIC_CMS_URL must be the CMS's base http(s) URL without credentials, query or fragment, but it is "${redactUrl(raw)}".`);
  }
  return parsed.href.replace(/\/+$/, '');
}

/** Where the consultation form sends requests. */
export function consultationEndpoint(env: Env = process.env): string {
  return `${publicCmsUrl(env)}/api/consultation-requests`;
}
