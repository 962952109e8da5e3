// An editor's whole round trip in a real browser: log in to the Strapi admin, change an article's title, press
// Publish, and see the new title on the static site (article page and home page card) once Strapi's webhook has
// made the rebuild service build and switch the site live. On the project's shared CMS (default settings are
// all this needs), with an article of this file's own; the publish makes the site's only build.
import path from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { sampleArticle, TestCms } from '../support/cms.ts';
import { hookChannel, sharedCms } from '../support/fixtures.ts';
import { TestStack } from '../support/stack.ts';

// The shared CMS keeps what other files made: this file's own article, never the seeded one they may read.
const SLUG = `admin-publish-${Date.now().toString(36)}`;
const SEED_TITLE = `An article an editor is about to retitle ${SLUG}`;
// The admin SPA is heavy: on 2 busy cores its first load takes a while.
const UI_TIMEOUT = 90_000;

/** Closes Strapi's guided tour / onboarding dialogs if one is open; harmless when none is. */
async function dismissOnboarding(page: Page): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const dialog = page.getByRole('dialog').or(page.getByRole('alertdialog')).first();
    if (!(await dialog.isVisible().catch(() => false))) return;
    // Not the publish confirmation: only dialogs offering to skip or close a tour.
    const skip = dialog.getByRole('button', { name: /skip|close|dismiss|not now|maybe later|got it/i }).first();
    if (await skip.isVisible().catch(() => false)) await skip.click();
    else await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
  }
}

describe('an editor publishes a change in the admin', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    const shared = await sharedCms('sqlite');
    const cms = await TestCms.shared('sqlite');
    await cms.editor.createArticle(sampleArticle(SLUG, SEED_TITLE), { publish: true });
    // Its webhook call has reached the broker before the rebuild service listens: the service sees only the edit.
    await hookChannel(shared).waitFor((call) => JSON.stringify(call.body).includes(SLUG));
    stack = await TestStack.boot({ shared: true, firstBuild: false });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.destroy();
  });

  it('logs in, edits the title, publishes, and the site shows the new title within seconds', async () => {
    const { documentId, title } = await stack.cms.editor.findArticle(SLUG);
    expect(title).toBe(SEED_TITLE);
    const newTitle = `Sales or marketing? Edited in the admin ${Date.now().toString(36)}`;

    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    context.setDefaultTimeout(UI_TIMEOUT);
    context.setDefaultNavigationTimeout(UI_TIMEOUT);
    const page = await context.newPage();
    const screenshot = path.join(tmpdir(), `admin-publish-failure-${Date.now()}.png`);
    try {
      // Log in like an editor.
      await page.goto(`${stack.cms.url}/admin`);
      await page.getByLabel(/^Email/).fill(stack.cms.env.ADMIN_EMAIL!);
      await page.getByLabel(/^Password/).fill(stack.cms.env.ADMIN_PASSWORD!);
      await page.getByRole('button', { name: 'Login' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'));
      await page.getByRole('navigation').first().waitFor();
      await dismissOnboarding(page);

      // Content Manager → Article → the seeded entry (by URL; the ids come from the admin API).
      await page.goto(`${stack.cms.url}/admin/content-manager/collection-types/api::article.article/${documentId}`);
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
      await stack.waitForSite(`/articles/${SLUG}/`, (status, html) => status === 200 && html.includes(`<h1>${escaped}</h1>`), 60_000);
      const liveAfter = performance.now() - clicked;
      await stack.waitForSite('/', (status, html) => status === 200 && html.includes(escaped), 10_000);
      console.log(`click on Publish → new title served in ${(liveAfter / 1000).toFixed(1)} s`);

      // And in a browser: the article page and the card, with no console errors.
      const site = await context.newPage();
      const problems: string[] = [];
      site.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      site.on('pageerror', (error) => problems.push(error.message));
      const response = await site.goto(`${stack.siteUrl}/articles/${SLUG}/`);
      expect(response?.status()).toBe(200);
      expect(await site.locator('h1').textContent()).toBe(newTitle);
      await site.goto(`${stack.siteUrl}/`);
      const card = site.locator('[data-article-card]').filter({ has: site.getByRole('link', { name: newTitle, exact: true }) });
      expect(await card.count()).toBe(1);
      expect(await site.locator('[data-article-card] h2').allTextContents()).not.toContain(SEED_TITLE);
      expect(problems).toEqual([]);

      // One publish, one build: the draft save Publish did on the way did not rebuild.
      const status = await stack.status();
      expect(status.builds).toHaveLength(1);
      expect(status.builds[0]?.result).toBe('succeeded');
      expect(status.builds[0]?.trigger).toContain('entry.publish api::article.article');
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
