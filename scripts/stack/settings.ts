// The settings `npm start` reads, declared once (docs/configuration.md lists the same; a test holds them
// together). They come from the root .env (generated with fresh secrets on the first start) overridden by the
// real environment. npm start runs the rebuild service in-process, so it reads that service's variables too,
// declared in scripts/rebuild/settings.ts; everything else in .env (database, Strapi's secrets…) is passed
// through to the CMS and the site build, which read their own.
import { defineSettings, httpUrl, port, text } from '@agency/shared/server';
import { rebuildRelationProblems, rebuildServiceSettings, serveSiteSettings } from '../rebuild/settings.ts';

const rebuild = rebuildServiceSettings.spec;

/** The local mail catcher (mail-catcher-main.ts): npm start runs the same one when SMTP_HOST is unset. */
export const mailCatcherSettings = defineSettings('mail catcher', {
  MAIL_CATCHER_HOST: text('127.0.0.1', 'The address the mail catcher listens on, SMTP and HTTP (0.0.0.0 in a container).'),
  MAIL_SMTP_PORT: port(1025, "The local mail catcher's SMTP port (npm start points the CMS's SMTP_PORT at it)."),
  MAIL_UI_PORT: port(8025, "The local mail catcher's web page and Mailpit-compatible API (/api/v1/messages)."),
});
const catcher = mailCatcherSettings.spec;

export const stackSettings = defineSettings(
  'npm start',
  {
    CMS_PORT: port(1337, 'npm start: the port Strapi listens on (its admin is at /admin).'),
    SITE_PORT: serveSiteSettings.spec.SITE_PORT,
    PREVIEW_PORT: port(4323, 'npm start: the port of the draft preview server (the admin’s Preview button opens it).'),
    SITE_URL: httpUrl(null, 'The site’s public URL, for canonical links, the sitemap and the CMS’s CORS.', 'http://127.0.0.1:SITE_PORT'),
    REBUILD_URL: httpUrl(null, 'Where Strapi sends its publish webhook.', 'http://127.0.0.1:REBUILD_PORT/hooks/strapi'),
    PREVIEW_URL: httpUrl(null, 'Where the admin’s Preview button points.', 'http://127.0.0.1:PREVIEW_PORT'),
    ADMIN_EMAIL: text(null, 'The local editor account the CMS creates in development; npm start prints it with the admin URL.'),
    WEBHOOK_TOKEN: rebuild.WEBHOOK_TOKEN,
    REBUILD_MODE: rebuild.REBUILD_MODE,
    REBUILD_PORT: rebuild.REBUILD_PORT,
    REBUILD_QUIET_MS: rebuild.REBUILD_QUIET_MS,
    REBUILD_MAX_WAIT_MS: rebuild.REBUILD_MAX_WAIT_MS,
    REBUILD_RETRY_BASE_MS: rebuild.REBUILD_RETRY_BASE_MS,
    REBUILD_RETRY_MAX_MS: rebuild.REBUILD_RETRY_MAX_MS,
    SITE_DIR: rebuild.SITE_DIR,
    SMTP_HOST: text(
      null,
      'The mail server the CMS sends consultation mails through; unset: npm start runs a local mail catcher and points the CMS at it.',
    ),
    MAIL_SMTP_PORT: catcher.MAIL_SMTP_PORT,
    MAIL_UI_PORT: catcher.MAIL_UI_PORT,
    STACK_LOG_DIR: text(
      null,
      "A directory npm start writes Strapi's and the preview server's output to (cms.log, preview.log); unset: only their last lines are kept, for error messages.",
    ),
  },
  {
    check: (values) => [
      ...rebuildRelationProblems(values),
      // Relay mode sends builds to GitHub: the local site would never be built. It is for the standalone service.
      ...(values.REBUILD_MODE === 'github'
        ? [
            'REBUILD_MODE=github is for `npm run rebuild-service` (relaying to CI); npm start builds the site locally. Unset REBUILD_MODE for npm start.',
          ]
        : []),
    ],
  },
);
