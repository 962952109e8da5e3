// One CMS for the draft-preview and consultation-form suites (tests/e2e/form-and-preview.test.ts runs both on
// it): each needs settings the project's shared CMS does not have (the preview server's address, secret and
// token; the site's origin for CORS, a rate limit of its own and an SMTP server), and the two sets never
// conflict, so one boot from the template serves both, and one site build: the form's site, built once the
// preview suite's drafts are saved, is also the public site that must not show them.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../scripts/stack/ports.ts';
import { ensurePreviewBuild, startPreviewServer, type RunningPreview } from '../../scripts/stack/preview-runner.ts';
import { TestCms } from './cms.ts';
import { buildFrom, serve } from './site.ts';
import { smtpEnv, startMailCatcher } from './smtp.ts';

/** How long the admin's Preview links last (PREVIEW_LINK_TTL_SECONDS). */
export const TTL_SECONDS = 600;
/** Consultation requests accepted per IP address in the rate window (CONSULTATION_RATE_LIMIT). */
export const LIMIT = 6;
/** Where the agency's consultation mails go (LEADS_EMAIL_TO). */
export const AGENCY = 'leads@agency.example';

export type BuiltSite = {
  url: string;
  outDir: string;
  close: () => Promise<void>;
  /** Date.now() when the build began. */ startedAt: number;
};

export type FormAndPreview = {
  cms: TestCms;
  /** The preview server's PREVIEW_SECRET (signs links) and PREVIEW_TOKEN (reads drafts), the CMS's too. */
  secret: string;
  token: string;
  preview: RunningPreview;
  /** Everything the preview server printed after its startup lines (those are in preview.child.tail()). */
  previewLog: string[];
  catcher: Awaited<ReturnType<typeof startMailCatcher>>;
  /**
   * The site built from the CMS (as production builds it) and served on the origin the CMS's CORS allows: made
   * the first time a suite asks, then the same for both.
   */
  site: () => Promise<BuiltSite>;
};

/**
 * Registers the file's beforeAll/afterAll that boot the CMS, the mail catcher and the preview server (stopped
 * afterwards, with the site's server); the object's fields are set once beforeAll has run.
 */
export function formAndPreview(): FormAndPreview {
  const fixture = {
    secret: randomBytes(18).toString('base64url'),
    token: randomBytes(24).toString('base64url'),
    previewLog: [] as string[],
  } as FormAndPreview;
  let built: Promise<BuiltSite> | undefined;

  beforeAll(async () => {
    // The CMS must know the site's and the preview server's origins, so their ports are chosen first.
    const sitePort = await freePort();
    const siteUrl = `http://127.0.0.1:${sitePort}`;
    const previewPort = await freePort();
    // The agency's mail goes to a real SMTP server (the local mail catcher).
    fixture.catcher = await startMailCatcher();
    fixture.cms = await TestCms.boot({
      env: {
        PREVIEW_URL: `http://127.0.0.1:${previewPort}`,
        PREVIEW_SECRET: fixture.secret,
        PREVIEW_TOKEN: fixture.token,
        PREVIEW_LINK_TTL_SECONDS: String(TTL_SECONDS),
        CORS_ORIGINS: siteUrl,
        CONSULTATION_RATE_LIMIT: String(LIMIT),
        CONSULTATION_RATE_WINDOW_MS: '600000',
        ...smtpEnv(fixture.catcher),
        LEADS_EMAIL_TO: AGENCY,
        LEADS_POLL_MS: '200',
      },
    });
    const cmsUrl = fixture.cms.url;
    const env = { ...process.env, CMS_URL: cmsUrl, CMS_TOKEN: '', PREVIEW_SECRET: fixture.secret, PREVIEW_TOKEN: fixture.token };
    await ensurePreviewBuild(env);
    fixture.preview = await startPreviewServer(previewPort, env);
    for (const stream of [fixture.preview.child.process.stdout, fixture.preview.child.process.stderr])
      stream?.on('data', (chunk: Buffer) => fixture.previewLog.push(chunk.toString('utf8')));

    fixture.site = () =>
      (built ??= (async () => {
        const startedAt = Date.now();
        // NODE_ENV as in production: vitest's "test" would reach Vite and ship React's development build.
        const build = await buildFrom(cmsUrl, { PUBLIC_CMS_URL: cmsUrl, SITE_URL: siteUrl, NODE_ENV: 'production' });
        if (!build.ok) throw new Error(`site build failed:\n${build.output}`);
        return { ...(await serve(build.outDir, sitePort)), outDir: build.outDir, startedAt };
      })());
  });
  afterAll(async () => {
    await (await built?.catch(() => undefined))?.close();
    await fixture.preview?.stop();
    await fixture.cms?.destroy();
    await fixture.catcher?.stop();
  });
  return fixture;
}
