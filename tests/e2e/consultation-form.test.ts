// The consultation form in a real browser: the site built from a real Strapi, served on the origin Strapi's
// CORS allows, driven in Chromium. No JavaScript before the form scrolls into view; field errors next to the
// fields; one stored request per submission (checked in the admin API); the flood message; axe-clean.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/ports.ts';
import { launchChromium } from '../support/browser.ts';
import { UID } from '@agency/shared';
import { TestCms, type StoredConsultationRequest } from '../support/cms.ts';
import { buildFrom, serve } from '../support/site.ts';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const REQUESTS = `/content-manager/collection-types/${UID.consultationRequest}`;
const ARTICLE = '/articles/sales-vs-marketing/';
const LIMIT = 3;

type Stored = StoredConsultationRequest;

describe('the consultation form', () => {
  let cms: TestCms;
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serve>>;

  const stored = async (): Promise<Stored[]> => (await cms.admin('GET', `${REQUESTS}?page=1&pageSize=100&sort=id:ASC`)).results as Stored[];

  /** Opens the article, scrolls to the form and waits until React has hydrated it. */
  async function openForm(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${site.url}${ARTICLE}`);
    await page.locator('[data-consultation]').scrollIntoViewIfNeeded();
    await page.locator('.consultation-form[data-hydrated] button[type="submit"]:enabled').waitFor();
    return page;
  }

  async function fillValid(page: Page, email: string): Promise<void> {
    await page.locator('#consultation-name').fill('Ada Lovelace');
    await page.locator('#consultation-email').fill(email);
    await page.locator('#consultation-phone').fill('+44 20 7946 0000');
    await page.locator('#consultation-preferredTime').fill('Weekday mornings');
    await page.locator('#consultation-message').fill('Our rebrand.');
    await page.locator('#consultation-consent').check();
  }

  async function axeViolations(page: Page): Promise<string[]> {
    // Evaluated, not added as a <script>: the page's CSP (script hashes only) would refuse an inline script.
    await page.evaluate(readFileSync(AXE, 'utf8'));
    const result = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              context: unknown,
              options: unknown,
            ) => Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }> }>;
          };
        }
      ).axe;
      return axe.run({ include: [['[data-consultation]']] }, { resultTypes: ['violations'] });
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
  }

  beforeAll(async () => {
    // The CMS must know the site's origin for CORS, so the site's port is chosen first.
    const sitePort = await freePort();
    const siteUrl = `http://127.0.0.1:${sitePort}`;
    cms = await TestCms.boot({
      env: { CORS_ORIGINS: siteUrl, CONSULTATION_RATE_LIMIT: String(LIMIT), CONSULTATION_RATE_WINDOW_MS: '600000' },
    });
    const build = await buildFrom(cms.url, { PUBLIC_CMS_URL: cms.url, SITE_URL: siteUrl });
    if (!build.ok) throw new Error(`site build failed:\n${build.output}`);
    site = await serve(build.outDir, sitePort);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await cms?.destroy();
  });

  it('requests no script until the form scrolls into view, then loads the island', async () => {
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await page.goto(`${site.url}${ARTICLE}`, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    // The form is there as HTML (rendered at build time), below the fold, its button disabled until hydrated.
    const form = page.locator('.consultation-form');
    expect(await form.count()).toBe(1);
    expect(await form.evaluate((element) => element.getBoundingClientRect().top > window.innerHeight)).toBe(true);
    expect(await page.locator('.consultation-form button[type="submit"]').isDisabled()).toBe(true);
    expect(scripts).toEqual([]);

    await form.scrollIntoViewIfNeeded();
    await page.locator('.consultation-form[data-hydrated] button[type="submit"]:enabled').waitFor();
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((url) => url.startsWith(site.url))).toBe(true);
    await page.close();
  });

  it('shows field errors next to the fields, announced and linked, and sends nothing', async () => {
    const page = await openForm();
    const posts: string[] = [];
    page.on('request', (request) => request.method() === 'POST' && posts.push(request.url()));
    await page.locator('#consultation-email').fill('ada@');
    await page.getByRole('button', { name: 'Send my request' }).click();

    const expected = {
      name: 'Please enter your name',
      email: 'Please enter a valid email address, like name@example.com',
      consent: 'Please agree so we can contact you',
    };
    for (const [field, message] of Object.entries(expected)) {
      const input = page.locator(`#consultation-${field}`);
      expect(await input.getAttribute('aria-invalid'), field).toBe('true');
      const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
      expect(describedBy.split(' ')).toContain(`consultation-${field}-error`);
      expect(await page.locator(`#consultation-${field}-error`).textContent()).toBe(message);
      // Next to its field: the message follows the control inside the same field group.
      expect(
        await page
          .locator(`#consultation-${field}-error`)
          .evaluate((el, id) => el.parentElement!.contains(document.getElementById(id)), `consultation-${field}`),
      ).toBe(true);
    }
    expect(await page.locator('#consultation-phone').getAttribute('aria-invalid')).toBeNull();
    const status = page.locator('[data-form-status]');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect(await status.textContent()).toBe('Please correct the 3 fields marked below.');
    // The first invalid field has the focus.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('consultation-name');
    expect(await axeViolations(page)).toEqual([]);

    // Fixing a field clears its message.
    await page.locator('#consultation-name').fill('Ada');
    expect(await page.locator('#consultation-name').getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('#consultation-name-error').count()).toBe(0);

    expect(posts).toEqual([]);
    expect(await stored()).toEqual([]);
    await page.close();
  });

  it('sends a valid request: a thank-you replaces the form, and exactly one request is stored', async () => {
    const page = await openForm();
    expect(await axeViolations(page)).toEqual([]);
    await fillValid(page, 'ada@example.com');
    const answer = page.waitForResponse(
      (response) => response.url().endsWith('/api/consultation-requests') && response.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Send my request' }).click();
    expect((await answer).status()).toBe(201);

    const success = page.locator('[data-consultation-success]');
    await success.waitFor();
    expect(await success.textContent()).toMatch(/Thank you/);
    expect(await page.locator('.consultation-form').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-consultation-success'))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    const requests = await stored();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+44 20 7946 0000',
      preferredTime: 'Weekday mornings',
      message: 'Our rebrand.',
      consent: true,
      requestStatus: 'new',
    });
    await page.close();
  });

  it('is clean for axe in the dark colour scheme too', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.goto(`${site.url}${ARTICLE}`);
    await page.locator('[data-consultation]').scrollIntoViewIfNeeded();
    await page.locator('.consultation-form[data-hydrated]').waitFor();
    await page.getByRole('button', { name: 'Send my request' }).click();
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('tells a reader who floods the form to wait (429), and stores no more than the limit', async () => {
    let last = '';
    for (let attempt = 0; attempt < LIMIT + 2; attempt++) {
      const page = await openForm();
      await fillValid(page, `flood${attempt}@example.com`);
      const answer = page.waitForResponse(
        (response) => response.url().endsWith('/api/consultation-requests') && response.request().method() === 'POST',
      );
      await page.getByRole('button', { name: 'Send my request' }).click();
      const status = (await answer).status();
      if (status === 429) {
        const message = page.locator('[data-form-status]');
        await message.filter({ hasText: /try again/ }).waitFor();
        last = (await message.textContent()) ?? '';
        // The form stays, filled in, so the reader can send it later.
        expect(await page.locator('#consultation-email').inputValue()).toBe(`flood${attempt}@example.com`);
        expect(await page.getByRole('button', { name: 'Send my request' }).isEnabled()).toBe(true);
        await page.close();
        break;
      }
      expect(status).toBe(201);
      await page.close();
    }
    expect(last).toMatch(/^You have sent several requests in a short time\. Please try again in \d+ (seconds|minutes)\.$/);
    // One request from the test before, then LIMIT - 1 more before the limit was reached.
    expect(await stored()).toHaveLength(LIMIT);
  });
});
