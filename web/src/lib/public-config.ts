// Settings the browser needs, read when a page renders and passed to islands as props (never secrets). Page
// components render in both programs (the site build and the preview server), so this reads only the two
// variables both declare, with the site build's declarations (src/settings.ts).
import { defineSettings } from '@agency/shared/server';
import { readSettings, siteBuildSettings } from '../settings.ts';

type Env = Record<string, string | undefined>;

const { CMS_URL, PUBLIC_CMS_URL } = siteBuildSettings.spec;
const publicSettings = defineSettings('site pages', { CMS_URL, PUBLIC_CMS_URL });

/**
 * The CMS's base URL as readers' browsers reach it (PUBLIC_CMS_URL), e.g. `https://cms.example.com`; by
 * default the build's CMS_URL. The consultation form posts to `${url}/api/consultation-requests`.
 */
export function publicCmsUrl(env: Env = process.env): string {
  const settings = readSettings(publicSettings, env);
  return settings.PUBLIC_CMS_URL ?? settings.CMS_URL;
}

/** Where the consultation form sends requests. */
export function consultationEndpoint(env: Env = process.env): string {
  return `${publicCmsUrl(env)}/api/consultation-requests`;
}

/** Where the consultation form posts without JavaScript (a plain urlencoded HTML form; the CMS answers 303 or an error page). */
export function consultationFormAction(env: Env = process.env): string {
  return `${consultationEndpoint(env)}/form`;
}
