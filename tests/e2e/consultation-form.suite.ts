// The consultation form in a real browser: the site built from a real Strapi, served on the origin Strapi's
// CORS allows, driven in Chromium, with JavaScript on and off. No JavaScript before the form scrolls into view,
// and within its budget (scripts/bench/js-weight.ts); with JavaScript: an error summary focused, field errors
// next to the fields, an inline thank-you; without: the same form posts to the CMS, which answers the site's
// thank-you page or its own form page with the summary focused and the values kept; one stored request per
// submission (checked in the admin API); the flood message; axe-clean everywhere. It runs in ./start.test.ts,
// on the stack `npm start` brought up, behind the front door (./front-door.suite.ts) as production runs it: the
// live site at its public address (the origin the CMS's CORS allows), the form posting to the CMS's public
// address, the agency's mail in npm start's local mail catcher. The rate limit is passed to the start.
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_JS_BUDGET_BYTES, FORM_OWN_CHUNK_BUDGET_BYTES, formJsProblems, weighIsland } from '../../scripts/bench/js-weight.ts';
import type { CmsAdmin } from '../../scripts/stack/cms-admin.ts';
import { UID } from '@agency/shared';
import type { StoredConsultationRequest } from '../support/cms.ts';
import { mailbox } from '../support/smtp.ts';
import { launchFrontDoorChromium } from './front-door.suite.ts';

/** npm start's stack as this suite reaches it: set by ./start.test.ts once the first start is ready. */
export type FormTarget = {
  /** The site's public origin behind Caddy (SITE_URL), the one the CMS's CORS allows. */
  siteUrl: string;
  /** The CMS's public origin behind Caddy (PUBLIC_CMS_URL): where the form posts. */
  publicCmsUrl: string;
  /** npm start's SITE_DIR: the site store, whose `current` is the live build. */
  siteDir: string;
  /** The local admin's admin API client (one login for the whole file). */
  editor: CmsAdmin;
  /** npm start's local mail catcher (MAIL_UI_PORT), and where it sends the agency's mail (LEADS_EMAIL_TO: ADMIN_EMAIL). */
  mailUrl: string;
  agency: string;
  /** Consultation requests accepted per address in the window (CONSULTATION_RATE_LIMIT, passed to the start). */
  limit: number;
};

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const REQUESTS = `/content-manager/collection-types/${UID.consultationRequest}`;
const ARTICLE = '/articles/sales-vs-marketing/';
const THANKS = '/consultation/thanks/';

type Stored = StoredConsultationRequest;

export const consultationFormSuite = (fixture: FormTarget) =>
  describe('the consultation form', () => {
    let browser: Browser;
    /** The live build's directory. */
    let outDir: string;
    /** Requests stored before this suite ran (the front door's and the mail catcher's tests send some): not its. */
    const earlier = new Set<string>();

    const allStored = async (): Promise<Stored[]> =>
      (await fixture.editor.request('GET', `${REQUESTS}?page=1&pageSize=100&sort=id:ASC`)).results as Stored[];
    /** The requests this suite's submissions stored, oldest first. */
    const stored = async (): Promise<Stored[]> => (await allStored()).filter((request) => !earlier.has(request.documentId));
    /** A page behind the front door (Caddy's `tls internal` certificate). */
    const newPage = (options: BrowserContextOptions = {}) => browser.newPage({ ignoreHTTPSErrors: true, ...options });

    /** Opens the article, scrolls to the form and waits until React has hydrated it. */
    async function openForm(): Promise<Page> {
      const page = await newPage();
      await page.goto(`${fixture.siteUrl}${ARTICLE}`);
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

    /** axe on the form (default) or, with `selector` null, on the whole page. */
    async function axeViolations(page: Page, selector: string | null = '[data-consultation]'): Promise<string[]> {
      // Evaluated, not added as a <script>: the page's CSP (script hashes only) would refuse an inline script.
      await page.evaluate(readFileSync(AXE, 'utf8'));
      const result = await page.evaluate(async (include) => {
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
        return axe.run(include ? { include: [[include]] } : document, { resultTypes: ['violations'] });
      }, selector);
      return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
    }

    beforeAll(async () => {
      if (!fixture.editor) throw new Error('npm start is not running (its first start above failed): there is no form to send.');
      outDir = realpathSync(path.join(fixture.siteDir, 'current'));
      for (const request of await allStored()) earlier.add(request.documentId);
      browser = await launchFrontDoorChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('requests no script until the form scrolls into view, then loads the island', async () => {
      const page = await newPage();
      const scripts: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(request.url());
      });
      await page.goto(`${fixture.siteUrl}${ARTICLE}`, { waitUntil: 'load' });
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      // The form is there as HTML (rendered at build time), below the fold: a real form that posts to the CMS.
      const form = page.locator('.consultation-form');
      expect(await form.count()).toBe(1);
      expect(await form.evaluate((element) => element.getBoundingClientRect().top > window.innerHeight)).toBe(true);
      expect(await form.getAttribute('method')).toBe('post');
      expect(await form.getAttribute('action')).toBe(`${fixture.publicCmsUrl}/api/consultation-requests/form`);
      expect(await form.evaluate((element) => (element as HTMLFormElement).enctype)).toBe('application/x-www-form-urlencoded');
      expect(await page.locator('.consultation-form button[type="submit"]').isEnabled()).toBe(true);
      expect(scripts).toEqual([]);

      await form.scrollIntoViewIfNeeded();
      await page.locator('.consultation-form[data-hydrated] button[type="submit"]:enabled').waitFor();
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.every((url) => url.startsWith(fixture.siteUrl))).toBe(true);
      await page.close();
    });

    it('keeps the island within its JavaScript budget (≤ 75 KB gzip in all, its own chunk ≤ 8 KB)', () => {
      const weight = weighIsland(outDir, `${ARTICLE.slice(1)}index.html`, 'ConsultationForm');
      expect(formJsProblems(weight)).toEqual([]);
      expect(weight.totalGzip).toBeLessThanOrEqual(FORM_JS_BUDGET_BYTES);
      expect(weight.ownChunkGzip).toBeLessThanOrEqual(FORM_OWN_CHUNK_BUDGET_BYTES);
      // The figures measured, for the log: the component, React's runtime and what they import.
      console.log(`Form JS: ${weight.files.map((file) => `${file.file} ${file.gzip} B`).join(', ')}; total ${weight.totalGzip} B gzip.`);
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
      expect(await page.locator('[data-form-status]').getAttribute('aria-live')).toBe('polite');
      // The error summary comes first in the form, has the focus, and links each message to its field.
      const summary = page.locator('[data-error-summary]');
      expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary'))).toBe(true);
      expect(await summary.locator('h4').textContent()).toBe('Please correct the 3 fields marked below.');
      expect(await summary.locator('a').evaluateAll((links) => links.map((a) => [a.getAttribute('href'), a.textContent]))).toEqual(
        Object.entries(expected).map(([field, message]) => [`#consultation-${field}`, message]),
      );
      await summary.getByRole('link', { name: expected.email }).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('consultation-email');
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

    /**
     * axe on what a page without JavaScript shows: axe runs asynchronously, which such a page cannot, so its DOM is
     * copied into a page with JavaScript (no scripts of its own come along: the copy has no island runtime).
     */
    async function axeWithoutJavaScript(page: Page, selector: string | null): Promise<string[]> {
      const copy = await browser.newPage({ colorScheme: 'light' });
      try {
        const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
        await copy.setContent(html, { waitUntil: 'load' });
        return await axeViolations(copy, selector);
      } finally {
        await copy.close();
      }
    }

    /** The article in a context with JavaScript disabled: the form as the HTML the build wrote. */
    async function openWithoutJavaScript(): Promise<Page> {
      const context = await browser.newContext({ javaScriptEnabled: false, ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await page.goto(`${fixture.siteUrl}${ARTICLE}`);
      await page.locator('[data-consultation]').scrollIntoViewIfNeeded();
      return page;
    }

    /** Clicks "Send my request" and returns the status of the CMS's answer to the form post. */
    async function submitForm(page: Page, label = 'Send my request'): Promise<number> {
      const answer = page.waitForResponse(
        (response) => response.url().endsWith('/api/consultation-requests/form') && response.request().method() === 'POST',
      );
      await page.getByRole('button', { name: label }).click();
      return (await answer).status();
    }

    it('without JavaScript, a valid request posts to the CMS, which sends the reader to the thank-you page and mails the agency', async () => {
      const page = await openWithoutJavaScript();
      const scripts: string[] = [];
      page.on('request', (request) => request.resourceType() === 'script' && scripts.push(request.url()));
      expect(await axeWithoutJavaScript(page, '[data-consultation]')).toEqual([]);
      const before = (await stored()).length;
      await fillValid(page, 'no-script@example.com');
      await page.locator('#consultation-name').fill('Ada Without-Script');
      expect(await submitForm(page)).toBe(303);
      await page.waitForURL(`${fixture.siteUrl}${THANKS}`);
      expect(await page.locator('h1').textContent()).toBe('Thank you — your request is on its way.');
      expect(await page.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex');
      expect(await page.getByRole('link', { name: 'Back to the home page' }).getAttribute('href')).toBe('/');
      expect(await axeWithoutJavaScript(page, null)).toEqual([]);
      expect(scripts).toEqual([]);

      const requests = await stored();
      expect(requests).toHaveLength(before + 1);
      expect(requests.at(-1)).toMatchObject({
        name: 'Ada Without-Script',
        email: 'no-script@example.com',
        phone: '+44 20 7946 0000',
        preferredTime: 'Weekday mornings',
        message: 'Our rebrand.',
        consent: true,
        requestStatus: 'new',
      });

      // The agency is told: its mail arrives at the SMTP server, with the reader's details.
      const mail = await mailbox(fixture.mailUrl).waitFor((m) => m.Subject === 'Consultation request from Ada Without-Script');
      expect(mail.To.map((to) => to.Address)).toEqual([fixture.agency]);
      expect(mail.ReplyTo.map((to) => to.Address)).toEqual(['no-script@example.com']);
      for (const value of ['no-script@example.com', '+44 20 7946 0000', 'Weekday mornings', 'Our rebrand.'])
        expect(mail.Text).toContain(value);
      await page.context().close();
    });

    it('without JavaScript, an invalid request comes back as a form page: summary focused, errors tied to fields, values kept', async () => {
      const page = await openWithoutJavaScript();
      const before = (await stored()).length;
      const message = '<b>Our rebrand</b> & "more"';
      await page.locator('#consultation-email').fill('ada@');
      await page.locator('#consultation-message').fill(message);
      expect(await submitForm(page)).toBe(422);
      expect(page.url()).toBe(`${fixture.publicCmsUrl}/api/consultation-requests/form`);

      // The summary is first and has the focus; each message links to its field, which points back at it.
      const expected = {
        name: 'Please enter your name',
        email: 'Please enter a valid email address, like name@example.com',
        consent: 'Please agree so we can contact you',
      };
      // The page's autofocus: on a busy machine it can take longer than the poll's default second.
      await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 10_000 }).toBe('consultation-summary');
      const summary = page.locator('[data-error-summary]');
      expect(await summary.locator('h2').textContent()).toBe('Please correct the 3 fields marked below.');
      expect(await summary.locator('a').evaluateAll((links) => links.map((a) => [a.getAttribute('href'), a.textContent]))).toEqual(
        Object.entries(expected).map(([field, text]) => [`#consultation-${field}`, text]),
      );
      for (const [field, text] of Object.entries(expected)) {
        const input = page.locator(`#consultation-${field}`);
        expect(await input.getAttribute('aria-invalid'), field).toBe('true');
        expect(await input.getAttribute('aria-describedby'), field).toBe(`consultation-${field}-error`);
        expect(await page.locator(`#consultation-${field}-error`).textContent(), field).toBe(text);
      }
      // What the reader typed is kept, as text.
      expect(await page.locator('#consultation-email').inputValue()).toBe('ada@');
      expect(await page.locator('#consultation-message').inputValue()).toBe(message);
      expect(await page.locator('b').count()).toBe(0);
      expect(await axeWithoutJavaScript(page, null)).toEqual([]);
      expect(await stored()).toHaveLength(before);

      // Fixed on that page and sent again: stored, and the reader lands on the site's thank-you page.
      await page.locator('#consultation-name').fill('Grace Hopper');
      await page.locator('#consultation-email').fill('grace@example.com');
      await page.locator('#consultation-consent').check();
      expect(await submitForm(page)).toBe(303);
      await page.waitForURL(`${fixture.siteUrl}${THANKS}`);
      const requests = await stored();
      expect(requests).toHaveLength(before + 1);
      expect(requests.at(-1)).toMatchObject({ name: 'Grace Hopper', email: 'grace@example.com', message, consent: true, phone: null });
      await page.context().close();
    });

    it('is clean for axe in the dark colour scheme too', async () => {
      const page = await newPage({ colorScheme: 'dark' });
      await page.goto(`${fixture.siteUrl}${ARTICLE}`);
      await page.locator('[data-consultation]').scrollIntoViewIfNeeded();
      await page.locator('.consultation-form[data-hydrated]').waitFor();
      await page.getByRole('button', { name: 'Send my request' }).click();
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    });

    it('tells a reader who floods the form to wait (429), and stores no more than the limit', async () => {
      let last = '';
      let sent = 0;
      const before = (await stored()).length;
      for (let attempt = 0; attempt < fixture.limit + 2; attempt++) {
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
        sent++;
        await page.close();
      }
      expect(last).toMatch(/^You have sent several requests in a short time\. Please try again in \d+ (seconds|minutes)\.$/);
      // Every post of this suite (JSON or form, valid or not) came from this one address: the requests stored
      // are those the limit let through, no more.
      expect(await stored()).toHaveLength(before + sent);
      expect(before + sent).toBeLessThanOrEqual(fixture.limit);
    });
  });
