// An editor's whole round trip in a real browser: log in to the Strapi admin, change an article's title, press
// Publish, and see the new title on the static site (article page and home page card) once Strapi's webhook has
// made the rebuild service build and switch the site live. It runs in ./start.test.ts, on the stack `npm start`
// brought up (what its last line promises: "Publish in the admin and the site rebuilds within seconds"): its
// Strapi, rebuild service and site, whose live build the publish updates (incrementally, as npm start and
// production do), so it pays for no CMS boot and no full site build of its own.
import path from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RebuildService } from '../../scripts/rebuild/service.ts';
import type { CmsAdmin } from '../../scripts/stack/cms-admin.ts';
import { dismissOnboarding } from '../support/admin-ui.ts';
import { launchChromium } from '../support/browser.ts';
import { waitForSite } from '../support/wait-for-site.ts';

/** The running stack: set by ./start.test.ts once `npm start` is ready, before the suite runs. */
export type PublishTarget = {
  cmsUrl: string;
  siteUrl: string;
  /** The rebuild service (GET /status). */
  rebuildUrl: string;
  /** The local admin account (.env's ADMIN_EMAIL and ADMIN_PASSWORD). */
  admin: { email: string; password: string };
  /** Its admin API client, logged in once for the whole file (Strapi rate-limits admin logins). */
  editor: CmsAdmin;
  /** What npm start has printed so far: shown when the site never shows the change. */
  output: () => string;
};

// The seeded article: npm start's database has the seed only. The test's last step is the stack's second start.
const SLUG = 'sales-vs-marketing';
const SEED_TITLE = 'What’s the difference between sales and marketing?';
// The admin SPA is heavy: on 2 busy cores its first load takes a while.
const UI_TIMEOUT = 90_000;

type Status = ReturnType<RebuildService['status']>;

export const adminPublishSuite = (target: PublishTarget) =>
  describe('an editor publishes a change in the admin', () => {
    let browser: Browser;
    let editor: CmsAdmin;
    const status = async () => (await fetch(`${target.rebuildUrl}/status`)).json() as Promise<Status>;

    beforeAll(async () => {
      if (!target.cmsUrl) throw new Error('npm start is not running (its first start above failed): there is no admin to publish in.');
      editor = target.editor;
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('logs in, edits the title, publishes, and the site shows the new title within seconds', async () => {
      const { documentId, title } = await editor.findArticle(SLUG);
      // The start's own build is live and done: the builds after it are the publish's.
      const before = await status();
      expect(before.building).toBe(false);
      expect(title).toBe(SEED_TITLE);
      const newTitle = `Sales or marketing? Edited in the admin ${Date.now().toString(36)}`;

      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      context.setDefaultTimeout(UI_TIMEOUT);
      context.setDefaultNavigationTimeout(UI_TIMEOUT);
      const page = await context.newPage();
      const screenshot = path.join(tmpdir(), `admin-publish-failure-${Date.now()}.png`);
      try {
        // Log in like an editor.
        await page.goto(`${target.cmsUrl}/admin`);
        await page.getByLabel(/^Email/).fill(target.admin.email);
        await page.getByLabel(/^Password/).fill(target.admin.password);
        await page.getByRole('button', { name: 'Login' }).click();
        await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'));
        await page.getByRole('navigation').first().waitFor();
        await dismissOnboarding(page);

        // Content Manager → Article → the seeded entry (by URL; the ids come from the admin API).
        await page.goto(`${target.cmsUrl}/admin/content-manager/collection-types/api::article.article/${documentId}`);
        const titleField = page.getByLabel(/^title/i);
        await expect.poll(() => titleField.inputValue(), { timeout: UI_TIMEOUT }).toBe(SEED_TITLE);
        await dismissOnboarding(page);

        await titleField.fill(newTitle);
        await page.getByRole('button', { name: 'Publish', exact: true }).click();
        const clicked = performance.now();
        // Publish saves the change and publishes in one go; if Strapi asks to confirm, confirm. Done when the
        // success notification appears (the "Published" badge was there before the edit, so it proves nothing).
        const confirm = page
          .getByRole('alertdialog')
          .getByRole('button', { name: /^(publish|confirm|yes)/i })
          .first();
        const done = page.getByText('Published document').first();
        const failed = page
          .getByRole('alert')
          .or(page.getByRole('status'))
          .filter({ hasText: /warning|error|could not|failed/i })
          .first();
        const deadline = Date.now() + UI_TIMEOUT;
        for (;;) {
          if (await done.isVisible()) break;
          if (await failed.isVisible()) throw new Error(`Publishing failed in the admin: ${await failed.textContent()}`);
          if (await confirm.isVisible()) await confirm.click();
          if (Date.now() > deadline) throw new Error('The admin showed no "Published document" notification.');
          await page.waitForTimeout(200);
        }
        await page.getByRole('heading', { name: newTitle }).waitFor();

        // The site: the article's <h1>, then the home page card, both served from the new build.
        const escaped = newTitle.replace(/&/g, '&amp;').replace(/</g, '&lt;');
        const log = () => target.output().split('\n');
        await waitForSite(
          target.siteUrl,
          `/articles/${SLUG}/`,
          (code, html) => code === 200 && html.includes(`<h1>${escaped}</h1>`),
          60_000,
          log(),
        );
        const liveAfter = performance.now() - clicked;
        await waitForSite(target.siteUrl, '/', (code, html) => code === 200 && html.includes(escaped), 10_000, log());
        console.log(`click on Publish → new title served in ${(liveAfter / 1000).toFixed(1)} s`);

        // And in a browser: the article page and the card, with no console errors.
        const site = await context.newPage();
        const problems: string[] = [];
        site.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
        site.on('pageerror', (error) => problems.push(error.message));
        const response = await site.goto(`${target.siteUrl}/articles/${SLUG}/`);
        expect(response?.status()).toBe(200);
        expect(await site.locator('h1').textContent()).toBe(newTitle);
        await site.goto(`${target.siteUrl}/`);
        const card = site.locator('[data-article-card]').filter({ has: site.getByRole('link', { name: newTitle, exact: true }) });
        expect(await card.count()).toBe(1);
        expect(await site.locator('[data-article-card] h2').allTextContents()).not.toContain(SEED_TITLE);
        expect(problems).toEqual([]);

        // One publish, one build: the draft save Publish did on the way did not rebuild. (The publish's build
        // ends after its pages are live: its search index comes next, in the same build.)
        await expect.poll(async () => (await status()).building, { timeout: 60_000 }).toBe(false);
        const after = await status();
        const builds = after.builds.slice(0, after.builds.length - before.builds.length);
        expect(builds).toHaveLength(1);
        expect(builds[0]?.result).toBe('succeeded');
        expect(builds[0]?.trigger).toContain('entry.publish api::article.article');
        console.log(`the publish's build: ${builds[0]?.detail}`);
      } catch (error) {
        await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n(screenshot of the admin: ${screenshot})`, {
          cause: error,
        });
      } finally {
        await context.close();
      }
    });
  });
