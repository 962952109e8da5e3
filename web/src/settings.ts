// Every environment variable web/ reads, declared once per program with its default and a description:
// the site build (astro build with astro.config.mjs, its content loader and pages) and the preview server
// (astro.preview.config.mjs, built once, then rendering drafts on request). docs/configuration.md lists the
// same variables; a test holds the two together. A bad value fails with one CmsError (kind `config`) naming
// every problem, so the build's and the preview's error handling treat it like any other CMS problem.
import { BUILD_REPORT_ENV } from '@agency/shared';
import {
  SettingsError,
  defineSettings,
  httpUrl,
  integer,
  port,
  secret,
  text,
  type SettingsDefinition,
  type SettingsOf,
  type SettingsSpec,
} from '@agency/shared/server';
import { CmsError } from './cms/errors.ts';
import { IMAGE_HOSTS_PATTERN } from './images/image-hosts.ts';
import { writeBuildReport } from './lib/build-report-file.ts';

type Env = Record<string, string | undefined>;

const DEFAULT_CMS_URL = 'http://127.0.0.1:1337';
/** The default size limit of one image the build downloads (IMAGE_MAX_BYTES): far above any photo a page shows. */
export const DEFAULT_MAX_IMAGE_BYTES = 50 * 1024 * 1024;
const DEFAULT_SITE_URL = 'http://127.0.0.1:4321';

/** Read by both programs: how to reach the CMS, and the site's public URL. */
const common = {
  CMS_URL: httpUrl(DEFAULT_CMS_URL, 'The CMS (Strapi) the site reads its content from, as this machine reaches it.'),
  CMS_TOKEN: secret({ minLength: 1, required: false }, 'A read-only Strapi API token; unset, the site reads as the Public role.'),
  CMS_TIMEOUT_MS: integer(30_000, { min: 1, max: 600_000, unit: 'milliseconds' }, 'How long one GraphQL request to the CMS may take.'),
  PUBLIC_CMS_URL: httpUrl(
    null,
    "The CMS's base URL as readers' browsers reach it: the consultation form posts there and images load from it.",
    'CMS_URL',
  ),
  SITE_URL: httpUrl(DEFAULT_SITE_URL, "The site's public URL, for canonical, Open Graph, sitemap and feed URLs."),
};

export const siteBuildSettings = defineSettings('site build', {
  ...common,
  SITE_OUT_DIR: text('./dist', 'Where the build writes the site: an absolute path, or one relative to web/.'),
  SITE_CACHE_DIR: text(
    './node_modules/.astro',
    "Astro's cache directory (absolute, or relative to web/): the build's images and their originals, kept so an unchanged image is not encoded again; keep it between builds.",
  ),
  [BUILD_REPORT_ENV]: text(null, 'A file the build writes its JSON report to (shared/src/build-report.ts); unset, no report.'),
  IMAGE_HOSTS: text(
    null,
    'Hosts besides the CMS that rich-text images may be fetched from (a bucket, its CDN), comma-separated, e.g. media.example.com,cdn.example.com:8443; any other host fails the build.',
    { pattern: IMAGE_HOSTS_PATTERN, problem: 'must be host names separated by commas, such as media.example.com,cdn.example.com' },
  ),
  IMAGE_TIMEOUT_MS: integer(
    30_000,
    { min: 1, max: 600_000, unit: 'milliseconds' },
    'How long the download of one image (its answer and the whole file) may take.',
  ),
  IMAGE_MAX_BYTES: integer(
    DEFAULT_MAX_IMAGE_BYTES,
    { min: 1024, max: 2 ** 31, unit: 'bytes' },
    'The largest image the build downloads; a larger one fails the build, naming the entry.',
  ),
});

export const previewServerSettings = defineSettings('preview server', {
  ...common,
  // Optional here so the preview server still builds without them: without PREVIEW_SECRET every request is
  // refused (401: no link can be verified), without PREVIEW_TOKEN every page says how to set it (src/cms/preview.ts).
  PREVIEW_TOKEN: secret(
    { minLength: 16, required: false, hint: 'npm start generates it into .env' },
    "Sent to the CMS as X-Preview-Token so it serves drafts; the CMS's PREVIEW_TOKEN.",
  ),
  PREVIEW_SECRET: secret(
    { minLength: 16, required: false, hint: 'npm start generates it into .env' },
    "Verifies the signature of the Strapi admin's preview links; the CMS's PREVIEW_SECRET.",
  ),
  PREVIEW_OUT_DIR: text('./.preview-dist', 'Where the preview server is built: an absolute path, or one relative to web/.'),
  HOST: text('localhost', 'The address the preview server listens on (read by the Node adapter).'),
  PORT: port(4321, 'The port the preview server listens on (read by the Node adapter).'),
});

export type SiteBuildSettings = SettingsOf<typeof siteBuildSettings.spec>;
export type PreviewServerSettings = SettingsOf<typeof previewServerSettings.spec>;

/** Reads one program's settings; a bad value becomes a CmsError of kind `config` listing every problem. */
export function readSettings<S extends SettingsSpec>(definition: SettingsDefinition<S>, env: Env = process.env): SettingsOf<S> {
  try {
    return definition.read(env);
  } catch (error) {
    // No `cause`: the message already lists every problem, and Astro would print it twice.
    if (error instanceof SettingsError) throw new CmsError('config', error.message);
    throw error;
  }
}

/**
 * The site build's settings. A bad value is also written to the build report (when SITE_BUILD_REPORT names
 * one), since the build stops before anything else could write it.
 */
export function readSiteBuildSettings(env: Env = process.env): SiteBuildSettings {
  try {
    return readSettings(siteBuildSettings, env);
  } catch (error) {
    const reportFile = env[BUILD_REPORT_ENV]?.trim();
    if (reportFile && error instanceof CmsError)
      writeBuildReport(reportFile, { ok: false, error: { kind: error.kind, message: error.message } });
    throw error;
  }
}
