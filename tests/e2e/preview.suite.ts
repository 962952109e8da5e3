// Draft preview: the admin's Preview button leads to the preview server, which renders the draft with the
// site's own components. Each link is signed for one document and state and expires; the secret is never in a
// link or a log, the token never leaves the server, and the public site is untouched. It runs in
// ./start.test.ts, on the stack `npm start` brought up, behind the front door (./front-door.suite.ts) as
// production runs it: the admin and the preview pages in Chromium through Caddy's public addresses, the suite's
// own requests to the preview server and Strapi directly. npm start's own secret and token (.env); the link
// lifetime, and the log files that show what Strapi and the preview server printed, are passed to the start.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UID } from '@agency/shared';
import { signPreview } from '@agency/shared/server';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RebuildService } from '../../scripts/rebuild/service.ts';
import type { CmsAdmin } from '../../scripts/stack/cms-admin.ts';
import { sampleArticle } from '../support/cms.ts';
import { launchFrontDoorChromium } from './front-door.suite.ts';

/** npm start's stack as this suite reaches it: set by ./start.test.ts once the first start is ready. */
export type PreviewTarget = {
  /** Strapi itself (127.0.0.1:CMS_PORT): the admin API and GraphQL. */
  cmsUrl: string;
  /** The CMS's public origin behind Caddy (PUBLIC_CMS_URL): the admin's, the only one that may frame the preview. */
  publicCmsUrl: string;
  /** The preview server's public origin behind Caddy (PREVIEW_URL): the one the admin's links name. */
  previewUrl: string;
  /** The preview server itself (127.0.0.1:PREVIEW_PORT): where the suite's own requests go. */
  previewDirect: string;
  /** npm start's PREVIEW_SECRET (signs links) and PREVIEW_TOKEN (reads drafts), from its .env. */
  secret: string;
  token: string;
  /** How long the admin's Preview links last (PREVIEW_LINK_TTL_SECONDS, passed to the start). */
  ttlSeconds: number;
  /** The local admin account, and its admin API client (one login for the whole file). */
  admin: { email: string; password: string };
  editor: CmsAdmin;
  /** The rebuild service (POST /hooks/strapi with WEBHOOK_TOKEN, GET /status). */
  rebuildUrl: string;
  webhookToken: string;
  /** npm start's SITE_DIR: the site store, whose `current` is the live build. */
  siteDir: string;
  /** Everything Strapi and the preview server printed so far (npm start's STACK_LOG_DIR). */
  strapiLog: () => string;
  previewLog: () => string;
};

type Status = ReturnType<RebuildService['status']>;

const DRAFT_TITLE = 'A draft only the editor sees';
const OTHER_TITLE = 'Another draft, never published';
const EXPIRED = 'This preview link has expired: open Preview again from the admin.';
const h1 = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1] ?? null;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export const previewSuite = (fixture: PreviewTarget) =>
  describe('draft preview', () => {
    let secret: string;
    let token: string;
    let editor: CmsAdmin;
    /** The article's published title when the suite starts (./admin-publish.suite.ts may have changed the seed's). */
    let publishedTitle: string;
    let documentId: string;
    let otherId: string;
    /** When the draft was saved: the public site's build must begin after it, or it proves nothing. */
    let draftSavedAt: number;
    const responses: Array<{ headers: Headers; body: string; path: string }> = [];
    const signatures = new Set<string>();

    async function get(pathAndQuery: string): Promise<{ status: number; html: string; headers: Headers }> {
      const sig = new URL(pathAndQuery, 'http://x').searchParams.get('sig');
      if (sig) signatures.add(sig);
      const response = await fetch(`${fixture.previewDirect}${pathAndQuery}`, { redirect: 'manual' });
      const html = await response.text();
      responses.push({ headers: response.headers, body: html, path: pathAndQuery });
      return { status: response.status, html, headers: response.headers };
    }

    /** The link the admin's Preview button opens, from the real CMS endpoint. */
    async function adminLink(uid: string, query: string): Promise<URL> {
      const link = await editor.request('GET', `/content-manager/preview/url/${uid}?${query}`);
      const url = new URL(link.data.url);
      expect(url.origin).toBe(fixture.previewUrl);
      return url;
    }

    beforeAll(async () => {
      if (!fixture.editor) throw new Error('npm start is not running (its first start above failed): there is nothing to preview.');
      ({ secret, token, editor } = fixture);
      const article = await editor.findArticle('sales-vs-marketing');
      ({ documentId, title: publishedTitle } = article);
      // No draft yet: the draft's title is the published one.
      expect(article.status, 'the article has an unpublished change before the suite saved one').toBe('published');
      await editor.saveDraft(documentId, { title: DRAFT_TITLE });
      draftSavedAt = Date.now();
      otherId = await editor.createArticle(sampleArticle('another-draft', OTHER_TITLE), { publish: false });
    });

    it('opens from the admin’s Preview button: a link signed for the document, without the secret, showing the draft', async () => {
      const before = nowSeconds();
      const url = await adminLink(UID.article, `documentId=${documentId}&status=draft`);
      expect(url.pathname).toBe(`/preview/articles/${documentId}/`);
      expect([...url.searchParams.keys()].sort()).toEqual(['exp', 'sig', 'status']);
      expect(url.searchParams.get('status')).toBe('draft');
      expect(url.searchParams.get('sig')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(url.href).not.toContain(secret);
      // PREVIEW_LINK_TTL_SECONDS from the CMS's settings.
      const exp = Number(url.searchParams.get('exp'));
      expect(exp).toBeGreaterThanOrEqual(before + fixture.ttlSeconds);
      expect(exp).toBeLessThanOrEqual(nowSeconds() + fixture.ttlSeconds);

      const page = await get(`${url.pathname}${url.search}`);
      expect(page.status).toBe(200);
      expect(h1(page.html)).toBe(DRAFT_TITLE);
      expect(page.html).toContain('data-block="side-note"');
      expect(page.html).toContain('data-cta');
      expect(page.html).toMatch(/<meta name="robots" content="noindex/);
      expect(page.headers.get('content-security-policy')).toBe(`frame-ancestors 'self' ${new URL(fixture.publicCmsUrl).origin}`);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      // Without the trailing slash: the same page, not a redirect the middleware never saw.
      const bare = await get(`${url.pathname.slice(0, -1)}${url.search}`);
      expect(bare.status).toBe(200);
      expect(h1(bare.html)).toBe(DRAFT_TITLE);
    });

    it('shows the published version with a published link, and the public site never shows the draft', async () => {
      const url = await adminLink(UID.article, `documentId=${documentId}&status=published`);
      expect(url.searchParams.get('status')).toBe('published');
      const published = await get(`${url.pathname}${url.search}`);
      expect(published.status).toBe(200);
      expect(h1(published.html)).toBe(publishedTitle);
      expect(publishedTitle).not.toBe(DRAFT_TITLE);
      // A document with no published version gets no link.
      const none = await editor.request('GET', `/content-manager/preview/url/${UID.article}?documentId=${otherId}&status=published`);
      expect(none.data?.url ?? null).toBeNull();

      // The public site, its article page rendered from the CMS after the draft was saved. npm start's live build
      // is older than the draft, and a draft save tells the rebuild service nothing (cms/src/bootstrap/
      // rebuild-webhook.ts), so the service is told that the article changed, as Strapi's webhook tells it on a
      // publish: it renders the article's pages again (incrementally, as every article publish does) and puts them live.
      const status = async () => (await fetch(`${fixture.rebuildUrl}/status`)).json() as Promise<Status>;
      const hook = await fetch(`${fixture.rebuildUrl}/hooks/strapi`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fixture.webhookToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ event: 'entry.publish', model: 'article', uid: UID.article, entry: { documentId } }),
      });
      expect(hook.status).toBe(202);
      const build = async () => (await status()).builds.find((record) => Date.parse(record.startedAt) >= draftSavedAt);
      await expect.poll(async () => (await build())?.result ?? 'not started', { timeout: 120_000 }).not.toMatch(/^(not started|running)$/);
      const record = await build();
      expect(record?.result, `the build after the draft: ${record?.error ?? ''}`).toBe('succeeded');
      expect(Date.parse(record!.startedAt), 'the site was built before the draft existed').toBeGreaterThanOrEqual(draftSavedAt);
      const html = readFileSync(path.join(fixture.siteDir, 'current', 'articles', 'sales-vs-marketing', 'index.html'), 'utf8');
      expect(h1(html)).toBe(publishedTitle);
      expect(html).not.toContain(DRAFT_TITLE);
    });

    it('previews the consultation CTA draft with its own signed link', async () => {
      const ctaDoc = await editor.request('GET', '/content-manager/single-types/api::consultation-cta.consultation-cta');
      const {
        id,
        documentId: ctaId,
        createdAt,
        updatedAt,
        publishedAt,
        createdBy,
        updatedBy,
        locale,
        localizations,
        status,
        ...data
      } = ctaDoc.data;
      void [id, ctaId, createdAt, updatedAt, publishedAt, createdBy, updatedBy, locale, localizations, status];
      await editor.request('PUT', '/content-manager/single-types/api::consultation-cta.consultation-cta', {
        ...data,
        heading: 'A new CTA heading, not yet live',
      });
      const url = await adminLink(UID.consultationCta, 'status=draft');
      expect(url.pathname).toBe('/preview/consultation-cta/');
      expect(url.href).not.toContain(secret);
      const page = await get(`${url.pathname}${url.search}`);
      expect(page.status).toBe(200);
      expect(page.html).toContain('A new CTA heading, not yet live');
    });

    it('opens only the document and state a link was signed for (401 for any other, or any change)', async () => {
      const mine = await adminLink(UID.article, `documentId=${documentId}&status=draft`);
      const other = await adminLink(UID.article, `documentId=${otherId}&status=draft`);
      const cta = await adminLink(UID.consultationCta, 'status=draft');
      expect(h1((await get(`${other.pathname}${other.search}`)).html)).toBe(OTHER_TITLE);

      const refused = async (pathAndQuery: string) => {
        const answer = await get(pathAndQuery);
        expect(answer.status, pathAndQuery).toBe(401);
        expect(answer.html).toContain('This preview link is not valid for this page: open Preview again from the admin.');
        expect(answer.html).not.toContain(DRAFT_TITLE);
        expect(answer.html).not.toContain(OTHER_TITLE);
      };
      const withParam = (url: URL, name: string, value: string) => {
        const query = new URLSearchParams(url.search);
        query.set(name, value);
        return `?${query}`;
      };
      // One document's signature on another document, both ways, and on the CTA's page.
      await refused(`/preview/articles/${otherId}/${mine.search}`);
      await refused(`/preview/articles/${documentId}/${other.search}`);
      await refused(`/preview/consultation-cta/${mine.search}`);
      await refused(`/preview/articles/${documentId}/${cta.search}`);
      // The other state, a later expiry, a changed or missing signature.
      await refused(`${mine.pathname}${withParam(mine, 'status', 'published')}`);
      await refused(`${mine.pathname}${withParam(mine, 'exp', String(Number(mine.searchParams.get('exp')) + 3600))}`);
      const sig = mine.searchParams.get('sig')!;
      await refused(`${mine.pathname}${withParam(mine, 'sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`)}`);
      await refused(`${mine.pathname}?status=draft&exp=${mine.searchParams.get('exp')}`);
      await refused(`${mine.pathname}${withParam(mine, 'status', 'maybe')}`);
      // Signed with another secret.
      const exp = nowSeconds() + 600;
      const forged = signPreview({ type: UID.article, documentId, status: 'draft', expiresAt: exp }, 'not-the-preview-secret-0123');
      await refused(`/preview/articles/${documentId}/?status=draft&exp=${exp}&sig=${forged}`);
    });

    it('reads the path as the router does: another spelling of a link opens the same draft, and none opens without it', async () => {
      const mine = await adminLink(UID.article, `documentId=${documentId}&status=draft`);
      // Astro decodes the path before it matches its pages; the middleware folds it the same way (document-path.ts).
      for (const spelling of [`/preview/%61rticles/${documentId}/`, `/preview/articles/${documentId}`]) {
        const answer = await get(`${spelling}${mine.search}`);
        expect(answer.status, spelling).toBe(200);
        expect(h1(answer.html), spelling).toBe(DRAFT_TITLE);
      }
      for (const spelling of [
        `/PREVIEW/ARTICLES/${documentId}/`,
        `/Preview/articles/${documentId}`,
        `/preview//articles/${documentId}/`,
        `/preview/%61rticles/${documentId}/`,
        `/preview/consultation-%63ta/`,
      ]) {
        const answer = await get(`${spelling}?status=draft&exp=${mine.searchParams.get('exp')}`);
        expect(answer.status, spelling).toBe(401);
        expect(answer.html).not.toContain(DRAFT_TITLE);
      }
    });

    it('refuses an expired link with 410 and says to open Preview again; a forged expired link is 401', async () => {
      const sign = (expiresAt: number) => signPreview({ type: UID.article, documentId, status: 'draft', expiresAt }, secret);
      // The test signs with the same secret as the CMS: a future expiry opens the draft, a past one does not.
      const future = nowSeconds() + 60;
      expect(h1((await get(`/preview/articles/${documentId}/?status=draft&exp=${future}&sig=${sign(future)}`)).html)).toBe(DRAFT_TITLE);
      const past = nowSeconds() - 2;
      const expired = await get(`/preview/articles/${documentId}/?status=draft&exp=${past}&sig=${sign(past)}`);
      expect(expired.status).toBe(410);
      expect(expired.html).toContain(EXPIRED);
      expect(expired.html).not.toContain(DRAFT_TITLE);
      const ctaPast = signPreview({ type: UID.consultationCta, documentId: '', status: 'draft', expiresAt: past }, secret);
      expect((await get(`/preview/consultation-cta/?status=draft&exp=${past}&sig=${ctaPast}`)).status).toBe(410);
      const forged = signPreview({ type: UID.article, documentId, status: 'draft', expiresAt: past }, 'not-the-preview-secret-0123');
      expect((await get(`/preview/articles/${documentId}/?status=draft&exp=${past}&sig=${forged}`)).status).toBe(401);
    });

    it('refuses the old global-secret links, and serves nothing outside /preview', async () => {
      for (const old of [
        `/preview/articles/sales-vs-marketing/?secret=${secret}&status=draft`,
        `/preview/articles/${documentId}/?secret=${secret}&status=draft`,
        `/preview/articles/${documentId}/?secret=${secret}`,
        `/preview/consultation-cta/?secret=${secret}&status=draft`,
        `/preview/articles/${documentId}/`,
      ]) {
        const answer = await get(old);
        expect(answer.status, old).toBe(401);
        expect(answer.html).not.toContain(DRAFT_TITLE);
      }
      expect((await get(`/articles/sales-vs-marketing/?secret=${secret}`)).status).toBe(404);
      expect((await get('/preview/elsewhere/')).status).toBe(404);
      // A valid signature for a document that does not exist: the page says so.
      const exp = nowSeconds() + 60;
      const sig = signPreview({ type: UID.article, documentId: 'no-such-document', status: 'draft', expiresAt: exp }, secret);
      expect((await get(`/preview/articles/no-such-document/?status=draft&exp=${exp}&sig=${sig}`)).status).toBe(404);
    });

    it('shows the draft in the admin’s preview panel: the admin frames a freshly signed link', { timeout: 300_000 }, async () => {
      // The admin SPA is heavy: on 2 busy cores its first load takes a while.
      const UI_TIMEOUT = 120_000;
      const browser = await launchFrontDoorChromium();
      try {
        // The admin at its public address, as editors open it: only that origin may frame the preview.
        const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, ignoreHTTPSErrors: true });
        context.setDefaultTimeout(UI_TIMEOUT);
        context.setDefaultNavigationTimeout(UI_TIMEOUT);
        const page = await context.newPage();
        await page.goto(`${fixture.publicCmsUrl}/admin`);
        await page.getByLabel(/^Email/).fill(fixture.admin.email);
        await page.getByLabel(/^Password/).fill(fixture.admin.password);
        await page.getByRole('button', { name: 'Login' }).click();
        await page.waitForURL((url) => !url.pathname.startsWith('/admin/auth'));
        await page.goto(`${fixture.publicCmsUrl}/admin/content-manager/collection-types/${UID.article}/${documentId}/preview?status=draft`);
        const iframe = page.locator('iframe[data-testid="preview-iframe"], [data-testid="preview-iframe"] iframe').first();
        await iframe.waitFor();
        const src = new URL((await iframe.getAttribute('src'))!);
        signatures.add(src.searchParams.get('sig') ?? '');
        expect(src.origin).toBe(fixture.previewUrl);
        expect(src.pathname).toBe(`/preview/articles/${documentId}/`);
        expect(src.href).not.toContain(secret);
        const framed = page.frameLocator('iframe[data-testid="preview-iframe"], [data-testid="preview-iframe"] iframe').first();
        await expect.poll(() => framed.locator('h1').first().textContent(), { timeout: UI_TIMEOUT }).toBe(DRAFT_TITLE);
      } finally {
        await browser.close();
      }
    });

    it('reloads with the new draft when the admin posts strapiUpdate after a save, and ignores any other origin', async () => {
      const SAVED_TITLE = 'The title the editor just saved';
      const url = await adminLink(UID.article, `documentId=${documentId}&status=draft`);
      signatures.add(url.searchParams.get('sig') ?? '');
      const browser = await launchFrontDoorChromium();
      try {
        const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        // The admin's side: a document from the CMS's own origin (an answer of the real server: Chromium's local
        // network checks refuse a stand-in page framing a loopback address) framing the preview as the Preview
        // panel does, and posting what Strapi posts on save (content-manager's Preview page: { type: 'strapiUpdate' }).
        await page.goto(`${fixture.publicCmsUrl}/preview-refresh-test`);
        await page.evaluate((src) => {
          const frame = document.createElement('iframe');
          frame.name = 'preview';
          frame.src = src;
          document.body.append(frame);
        }, `${fixture.previewUrl}${url.pathname}${url.search}`);
        // Loading the frame takes the preview server a request to the CMS: seconds on a busy machine, not the poll's default 1.
        await expect.poll(() => page.frame({ name: 'preview' })?.url(), { timeout: 30_000 }).toContain('/preview/articles/');
        const frame = page.frame({ name: 'preview' })!;
        await expect.poll(() => frame.locator('h1').textContent(), { timeout: 30_000 }).toBe(DRAFT_TITLE);
        await editor.saveDraft(documentId, { title: SAVED_TITLE });
        // A marker that a reload would clear.
        await frame.evaluate(() => Object.assign(window, { notReloaded: true }));
        // Every reload the frame starts, told to the admin's page: location.reload() fires the Navigation API's
        // `navigate` event before it returns (the control below sees the admin's own message do so).
        await page.evaluate(() => {
          const seen: string[] = [];
          Object.assign(window, { navigations: seen });
          addEventListener('message', (event) => event.data === 'preview-test-navigate' && seen.push('navigate'));
        });
        await frame.evaluate(() =>
          (window as unknown as { navigation: EventTarget }).navigation.addEventListener('navigate', () =>
            parent.postMessage('preview-test-navigate', '*'),
          ),
        );
        // The same message from the preview's own origin (or any page but the admin) changes nothing. The refresh
        // script's listener (added at load) hears it before a later message reaches a listener added now, so by
        // then it has decided, and a reload it started would have fired `navigate`: none is the proof, no sleep.
        const navigated = await frame.evaluate(
          () =>
            new Promise<boolean>((resolve) => {
              let navigating = false;
              (window as unknown as { navigation: EventTarget }).navigation.addEventListener('navigate', () => (navigating = true));
              addEventListener('message', (event) => {
                if ((event.data as { type?: string } | null)?.type === 'preview-test-after') resolve(navigating);
              });
              window.postMessage({ type: 'strapiUpdate' }, '*');
              window.postMessage({ type: 'preview-test-after' }, '*');
            }),
        );
        expect(navigated, 'a strapiUpdate from the preview’s own origin made it reload').toBe(false);
        expect(await frame.evaluate(() => 'notReloaded' in window)).toBe(true);
        expect(await frame.locator('h1').textContent()).toBe(DRAFT_TITLE);
        // From the admin's origin, the frame reloads and shows the saved draft.
        await page.evaluate(
          (target) => document.querySelector('iframe')!.contentWindow!.postMessage({ type: 'strapiUpdate' }, target),
          fixture.previewUrl,
        );
        await expect
          .poll(
            () =>
              frame
                .locator('h1')
                .textContent()
                .catch(() => null),
            { timeout: 10_000 },
          )
          .toBe(SAVED_TITLE);
        expect(await frame.evaluate(() => 'notReloaded' in window)).toBe(false);
        // The control: the reload that did happen was seen as one, so "no navigate" above meant no reload.
        expect(await page.evaluate(() => (window as unknown as { navigations: string[] }).navigations)).toEqual(['navigate']);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
        await editor.saveDraft(documentId, { title: DRAFT_TITLE });
      }
    });

    it('marks every answer, pages and refusals alike, no-store and noindex', () => {
      const statuses = new Set(responses.map((response) => response.headers.get('content-type')?.split(';')[0]));
      expect(statuses).toEqual(new Set(['text/html', 'text/plain']));
      expect(responses.length).toBeGreaterThan(25);
      for (const response of responses) {
        expect(response.headers.get('cache-control'), response.path).toBe('no-store');
        expect(response.headers.get('x-robots-tag'), response.path).toMatch(/noindex/);
      }
    });

    it('keeps the draft token on the server: no response carries it, and without it the CMS refuses drafts', async () => {
      for (const response of responses) {
        expect(response.body).not.toContain(token);
        expect(JSON.stringify([...response.headers])).not.toContain(token);
        expect(response.body).not.toContain(secret);
      }
      const query = (headers: Record<string, string>) =>
        fetch(`${fixture.cmsUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: '{ articles(status: DRAFT) { title } }' }),
        });
      const anonymous = (await (await query({})).json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const forged = await query({ 'x-preview-token': 'forged-token-0123456789' });
      expect(JSON.stringify(await forged.json())).toContain('FORBIDDEN');
    });

    it('never logs the secret, the token or a link’s signature, in the preview server or in Strapi', () => {
      // Strapi logged the admin's requests for the links (and the browser's session) …
      const strapi = fixture.strapiLog();
      expect(strapi).toContain('/content-manager/preview/url/');
      expect(strapi).not.toContain(secret);
      for (const sig of signatures) expect(strapi).not.toContain(sig);
      // … the preview server its start.
      const output = fixture.previewLog();
      // The capture works: the server's startup line is in it.
      expect(output).toContain(new URL(fixture.previewDirect).port);
      expect(signatures.size).toBeGreaterThan(10);
      expect(output).not.toContain(secret);
      expect(output).not.toContain(token);
      for (const sig of signatures) expect(output).not.toContain(sig);
      expect(output).not.toMatch(/[?&](sig|exp|secret)=/);
    });
  });
