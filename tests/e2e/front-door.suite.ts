// The production front door: Debian's `caddy` with the repository's Caddyfile (web/caddy/Caddyfile, `tls
// internal`) in front of a real Strapi, a real preview server and a real site build activated in a site store,
// as docker-compose.yml runs it. Checked: precompressed br and gzip, immutable caching for hashed assets and
// revalidation for pages, the security headers (and that our own static server sends the same), HTTP → HTTPS,
// the CSP enforced in Chromium with a clean console while the form island works, and preview framing.
// It runs in ./start.test.ts, in front of the stack `npm start` brings up (its Strapi, preview server, site store
// and static server, started with the public addresses below), which is all this needs: no CMS boot or site
// build of its own.
import http from 'node:http';
import { readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsGet, httpsRequest, startCaddy, type RunningCaddy } from '../../scripts/bench/caddy.ts';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../scripts/ops/chromium.ts';
import { COMPARED_HEADERS, IMMUTABLE, SECURITY_HEADERS } from '../../scripts/rebuild/headers.ts';
import type { CmsAdmin } from '../../scripts/stack/cms-admin.ts';
import { freePort } from '../../scripts/stack/ports.ts';

const HOSTS = { site: 'site.test', cms: 'cms.test', preview: 'preview.test' };
const ARTICLE = '/articles/sales-vs-marketing/';

/** What the suite stands in front of: set by ./start.test.ts once `npm start` is ready, before the suite runs. */
export type FrontDoor = {
  /** Caddy's ports, chosen before the stack starts (its public addresses name them: frontDoorEnv). */
  ports: { http: number; https: number };
  cmsPort: number;
  previewPort: number;
  /** The port of npm start's own static server (scripts/rebuild/static-server.ts), serving the same live build. */
  sitePort: number;
  /** npm start's SITE_DIR: the site store, whose `current` Caddy serves. */
  siteDir: string;
  /** The local admin account (.env's ADMIN_EMAIL and ADMIN_PASSWORD). */
  admin: { email: string; password: string };
  /**
   * Caddy with the repository's Caddyfile in front of them, started once for the whole file: the draft-preview
   * and consultation-form suites (./preview.suite.ts, ./consultation-form.suite.ts) reach the stack through it too.
   */
  caddy: RunningCaddy;
  /**
   * That account's admin API client, one for the whole file: Strapi allows 5 admin logins per address and account
   * in 5 minutes, and this suite and ./admin-publish.suite.ts log in through Caddy and the admin panel too.
   */
  editor: CmsAdmin;
};

const originOf = (ports: FrontDoor['ports'], host: string) => `https://${host}:${ports.https}`;

/** Caddy in front of npm start's CMS, preview server and live site (its store's `current`), on `ports`. */
export function startFrontDoor(options: { ports: FrontDoor['ports']; cmsPort: number; previewPort: number; siteDir: string }) {
  return startCaddy({
    hosts: HOSTS,
    siteRoot: path.join(options.siteDir, 'current'),
    cmsUpstream: `127.0.0.1:${options.cmsPort}`,
    previewUpstream: `127.0.0.1:${options.previewPort}`,
    ports: options.ports,
  });
}

/**
 * Chromium for pages behind the front door: the made-up hosts resolve to this machine; Chromium would then treat
 * a page from a route (no address) as public and refuse its frames' requests to a local address (Local Network
 * Access), which production never sees. Its contexts need `ignoreHTTPSErrors` (Caddy's `tls internal`).
 */
export function launchFrontDoorChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS, '--host-resolver-rules=MAP *.test 127.0.0.1', '--disable-features=LocalNetworkAccessChecks'],
  });
}

/**
 * The public addresses the stack runs with behind Caddy, as production sets them (docker-compose.yml): the site's
 * (canonical links, the CMS's CORS), the preview server's (the admin's Preview links) and the CMS's as browsers
 * reach it (where the form posts, which the preview server lets frame it); and the one proxy hop in front of the
 * CMS, so that it reads the address and the scheme Caddy forwards (a form re-posted from the CMS's own page
 * comes from its https origin).
 */
export function frontDoorEnv(ports: FrontDoor['ports']): {
  SITE_URL: string;
  PREVIEW_URL: string;
  PUBLIC_CMS_URL: string;
  TRUSTED_PROXY_HOPS: string;
} {
  return {
    SITE_URL: originOf(ports, HOSTS.site),
    PREVIEW_URL: originOf(ports, HOSTS.preview),
    PUBLIC_CMS_URL: originOf(ports, HOSTS.cms),
    TRUSTED_PROXY_HOPS: '1',
  };
}

export const frontDoorSuite = (fixture: FrontDoor) =>
  describe('Caddy in front of the site, the CMS and the preview server', () => {
    let ports: FrontDoor['ports'];
    let origin: (host: string) => string;
    let admin: CmsAdmin;
    let cmsPort: number;
    let previewPort: number;
    let siteRoot: string;
    let caddy: RunningCaddy;
    let browser: Browser;
    let asset: string;

    const viaCaddy = (pathname: string, headers: Record<string, string> = {}, host = HOSTS.site) =>
      httpsGet({ agent: caddy.agent, port: caddy.httpsPort, host, path: pathname, headers });
    // node:http, not fetch: fetch would add its own Accept-Encoding.
    const viaOurs = (pathname: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) =>
        http
          .get({ host: '127.0.0.1', port: fixture.sitePort, path: pathname, headers }, (response) => {
            response.resume();
            resolve({ status: response.statusCode ?? 0, headers: response.headers });
          })
          .on('error', reject),
      );

    beforeAll(async () => {
      if (!fixture.siteDir) throw new Error('npm start is not running (its first start above failed): nothing to put Caddy in front of.');
      ({ ports, cmsPort, previewPort } = fixture);
      origin = (host: string) => originOf(ports, host);
      admin = fixture.editor;
      // npm start's rebuild service built the site into its store and switched it live; Caddy serves `current`.
      siteRoot = path.join(fixture.siteDir, 'current');
      asset = `/_astro/${readdirSync(path.join(realpathSync(siteRoot), '_astro')).find((file) => file.endsWith('.js'))!}`;

      caddy = fixture.caddy;
      browser = await launchFrontDoorChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('serves the build’s precompressed br and gzip files, and the plain file to clients that accept neither', async () => {
      for (const pathname of [ARTICLE, asset]) {
        const plain = await viaCaddy(pathname);
        expect(plain.status).toBe(200);
        expect(plain.headers['content-encoding']).toBeUndefined();
        const br = await viaCaddy(pathname, { 'accept-encoding': 'gzip, deflate, br' });
        expect(br.headers['content-encoding'], pathname).toBe('br');
        expect(br.headers.vary).toBe('Accept-Encoding');
        expect(br.body.length).toBeLessThan(plain.body.length);
        expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
        const gzip = await viaCaddy(pathname, { 'accept-encoding': 'gzip' });
        expect(gzip.headers['content-encoding'], pathname).toBe('gzip');
        expect(zlib.gunzipSync(gzip.body).equals(plain.body)).toBe(true);
      }
    });

    it('caches hashed assets for a year and revalidates pages, with the security headers on every answer', async () => {
      expect((await viaCaddy(asset)).headers['cache-control']).toBe(IMMUTABLE);
      for (const pathname of ['/', ARTICLE, '/rss.xml', '/no-such-page/']) {
        const response = await viaCaddy(pathname);
        expect(response.status, pathname).toBe(pathname === '/no-such-page/' ? 404 : 200);
        expect(response.headers['cache-control'], pathname).toBe('no-cache');
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers[name], `${pathname} ${name}`).toBe(value);
      }
    });

    it('sends the same security and caching headers as our own static server (npm start, serve-site)', async () => {
      const differences: string[] = [];
      for (const pathname of [
        '/',
        ARTICLE,
        asset,
        '/rss.xml',
        '/sitemap.xml',
        '/robots.txt',
        '/favicon.svg',
        '/no-such.xml',
        '/no-such-page/',
      ]) {
        for (const encoding of ['', 'gzip', 'br, gzip']) {
          const headers: Record<string, string> = encoding ? { 'accept-encoding': encoding } : {};
          const [theirs, mine] = [await viaCaddy(pathname, headers), await viaOurs(pathname, headers)];
          const label = `${pathname} (${encoding || 'identity'})`;
          if (mine.status !== theirs.status) differences.push(`${label}: status ${mine.status}, Caddy ${theirs.status}`);
          for (const name of COMPARED_HEADERS) {
            const [a, b] = [mine.headers[name] ?? null, theirs.headers[name] ?? null];
            if (a !== b) differences.push(`${label}: ${name} ${a}, Caddy ${b}`);
          }
        }
      }
      expect(differences).toEqual([]);
    });

    it('redirects HTTP to HTTPS', async () => {
      const location = await new Promise<string | undefined>((resolve, reject) =>
        http
          .get({ host: '127.0.0.1', port: caddy.httpPort, path: `${ARTICLE}?from=http`, headers: { host: HOSTS.site } }, (response) => {
            response.resume();
            expect(response.statusCode).toBe(308);
            resolve(response.headers.location);
          })
          .on('error', reject),
      );
      // Caddy leaves out the port when it is its HTTPS port (443 in production).
      expect(location).toBe(`https://${HOSTS.site}${ARTICLE}?from=http`);
    });

    /** A fresh page in Chromium that records console errors, page errors and CSP violations. */
    async function open(): Promise<{ page: Page; problems: string[] }> {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      await page.exposeFunction('reportViolation', (text: string) => problems.push(`CSP: ${text}`));
      await page.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (event) =>
          (window as unknown as { reportViolation: (text: string) => void }).reportViolation(
            `${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`,
          ),
        ),
      );
      return { page, problems };
    }

    /**
     * Resolves once the page has run every task queued before this call (a message posted now runs after them):
     * a CSP violation already raised has had its event dispatched, and its report and console errors, sent to
     * this process before this answer, have been recorded.
     */
    const drained = (page: Page) =>
      page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => resolve();
            channel.port2.postMessage(null);
          }),
      );

    it('enforces the CSP in Chromium with no violation and a clean console, and the form island still works', async () => {
      for (const pathname of ['/', ARTICLE]) {
        const { page, problems } = await open();
        const response = await page.goto(`${origin(HOSTS.site)}${pathname}`, { waitUntil: 'load' });
        expect(response?.status()).toBe(200);
        // The policy the page carries: hashes for its own scripts and styles, nothing inline allowed otherwise.
        const meta = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
        expect(meta).toMatch(/script-src[^;]*'sha256-/);
        expect(meta).not.toMatch(/unsafe-inline/);
        if (pathname === ARTICLE) {
          await page.locator('[data-consultation]').scrollIntoViewIfNeeded();
          await page.locator('.consultation-form[data-hydrated] button[type="submit"]:enabled').waitFor();
          await page.locator('#consultation-name').fill('Ada Lovelace');
          await page.locator('#consultation-email').fill('ada@example.com');
          await page.locator('#consultation-phone').fill('+44 20 7946 0000');
          await page.locator('#consultation-preferredTime').fill('Weekday mornings');
          await page.locator('#consultation-message').fill('Our rebrand.');
          await page.locator('#consultation-consent').check();
          // The form posts through Caddy to the CMS's public address.
          const answer = page.waitForResponse(
            (r) => r.url() === `${origin(HOSTS.cms)}/api/consultation-requests` && r.request().method() === 'POST',
          );
          await page.getByRole('button', { name: 'Send my request' }).click();
          expect((await answer).status()).toBe(201);
          await page.locator('[data-consultation-success]').waitFor();
        }
        // Every violation raised so far has been reported: none is still on its way.
        await drained(page);
        expect(problems, pathname).toEqual([]);
        await page.context().close();
      }
    });

    /** The first heading a page on `parentHost` shows of `url` in an iframe (null: nothing), and what Chromium said. */
    async function framedHeading(parentHost: string, url: string): Promise<{ heading: string | null; messages: string[] }> {
      const { page } = await open();
      // The parent page itself is made up here (the admin's own page is Strapi's); the framed page is the real one.
      await page.route(`${origin(parentHost)}/frame-host`, (route) =>
        route.fulfill({ contentType: 'text/html', body: `<!doctype html><iframe src="${url}" width="800" height="600"></iframe>` }),
      );
      const messages: string[] = [];
      page.on('console', (message) => messages.push(message.text()));
      await page.goto(`${origin(parentHost)}/frame-host`);
      await page.locator('iframe').waitFor();
      const heading = async () => {
        const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
        return frame ? await frame.evaluate(() => document.querySelector('h1')?.textContent ?? null).catch(() => null) : null;
      };
      // One of two things ends it: the frame shows its page, or Chromium refuses it and says why in the console.
      let shown: string | null = null;
      await expect
        .poll(async () => (shown = await heading()) !== null || messages.some((text) => /frame-ancestors/.test(text)), {
          timeout: 20_000,
          message: `${parentHost} framing ${url}: neither a heading in the frame nor Chromium's refusal; console: ${messages.join(' | ')}`,
        })
        .toBe(true);
      await page.context().close();
      return { heading: shown, messages };
    }

    it('lets only the admin’s origin frame the preview, and nobody frame the site', async () => {
      // The link the admin's Preview button opens.
      const { documentId } = await admin.findArticle('sales-vs-marketing');
      const link = await admin.request('GET', `/content-manager/preview/url/api::article.article?documentId=${documentId}&status=draft`);
      const previewPage = new URL(link.data.url as string);
      expect(previewPage.origin).toBe(origin(HOSTS.preview));
      const direct = await viaCaddy(`${previewPage.pathname}${previewPage.search}`, {}, HOSTS.preview);
      expect(direct.status).toBe(200);
      expect(direct.headers['content-security-policy']).toBe(`frame-ancestors 'self' ${origin(HOSTS.cms)}`);
      expect(direct.headers['strict-transport-security']).toBeTruthy();
      const heading = /<h1[^>]*>([^<]*)<\/h1>/.exec(direct.body.toString('utf8'))?.[1];
      expect(heading).toBeTruthy();
      expect((await framedHeading(HOSTS.cms, previewPage.href)).heading).toBe(heading);
      // Refused for its frame-ancestors, not for anything else.
      for (const [parent, url] of [
        [HOSTS.site, previewPage.href],
        [HOSTS.cms, `${origin(HOSTS.site)}${ARTICLE}`],
      ] as const) {
        const { heading: shown, messages } = await framedHeading(parent, url);
        expect(shown, `${parent} frames ${url}`).not.toBe(heading);
        expect(messages.join('\n'), `${parent} frames ${url}`).toMatch(/frame-ancestors/);
      }
    });

    it('proxies the CMS', async () => {
      const health = await viaCaddy('/_health', {}, HOSTS.cms);
      expect(health.status).toBeLessThan(300);
      const articles = await viaCaddy('/api/articles?fields[0]=slug', {}, HOSTS.cms);
      expect(articles.status).toBe(200);
      expect(JSON.parse(articles.body.toString('utf8')).data.length).toBeGreaterThan(0);
    });

    it('keeps the CMS admin to ADMIN_ALLOW’s networks: panel and admin API refused (403) elsewhere, the public API open', async () => {
      // A second Caddy in front of the same CMS, allowing the admin from a network this test is not in.
      const guarded = await startCaddy({
        hosts: HOSTS,
        siteRoot,
        cmsUpstream: `127.0.0.1:${cmsPort}`,
        previewUpstream: `127.0.0.1:${previewPort}`,
        adminAllow: '10.0.0.0/8 192.168.0.0/16',
      });
      const via = (target: RunningCaddy, path: string, method = 'GET', body?: string) =>
        httpsRequest({
          agent: target.agent,
          port: target.httpsPort,
          host: HOSTS.cms,
          path,
          method,
          body,
          headers: body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {},
        });
      try {
        const login = JSON.stringify(fixture.admin);
        for (const [path, method, body] of [
          ['/admin', 'GET'],
          ['/admin/login', 'POST', login],
          ['/content-manager/collection-types/api::article.article', 'GET'],
          ['/upload/files', 'GET'],
        ] as const) {
          const refused = await via(guarded, path, method, body);
          expect(refused.status, `${method} ${path}`).toBe(403);
          expect(refused.body.toString('utf8')).toContain('not reachable from this network (ADMIN_ALLOW)');
          // The same request through the Caddy without ADMIN_ALLOW (everyone: the default) reaches Strapi.
          expect((await via(caddy, path, method, body)).status, `${method} ${path} by default`).not.toBe(403);
        }
        expect((await via(caddy, '/admin/login', 'POST', login)).status).toBe(200);
        // Readers' requests are untouched: the content API, GraphQL, uploaded files' path and the health check.
        expect((await via(guarded, '/api/articles?fields[0]=slug')).status).toBe(200);
        expect((await via(guarded, '/graphql', 'POST', JSON.stringify({ query: '{ articles { slug } }' }))).status).toBe(200);
        expect((await via(guarded, '/_health')).status).toBeLessThan(300);
        expect((await via(guarded, '/uploads/no-such-file.png')).status).toBe(404);
      } finally {
        await guarded.stop();
      }
    });

    it('limits request bodies per host (413): 2 MB on the CMS, 256 MB on its uploads, 16 KB on the preview', async () => {
      // Strapi refuses big bodies itself, below Caddy's limits (which are a backstop above them), so an upstream that
      // reads every body to its end and counts the bytes shows what Caddy lets through: for each request (by its
      // path), the bytes it had read when the request closed, complete or cut off.
      const seen = new Map<string, { resolve: (bytes: number) => void; promise: Promise<number> }>();
      const watch = (url: string) => {
        let resolve!: (bytes: number) => void;
        const promise = new Promise<number>((done) => (resolve = done));
        seen.set(url, { resolve, promise });
        return promise;
      };
      const counter = http.createServer((request, response) => {
        let bytes = 0;
        request.on('data', (chunk: Buffer) => (bytes += chunk.length));
        request.on('end', () => response.end(`read ${bytes}`));
        request.on('close', () => seen.get(request.url!)?.resolve(bytes));
      });
      const counterPort = await freePort();
      await listen(counter, counterPort);
      const limited = await startCaddy({
        hosts: HOSTS,
        siteRoot,
        cmsUpstream: `127.0.0.1:${counterPort}`,
        previewUpstream: `127.0.0.1:${counterPort}`,
      });
      let request = 0;
      /** POSTs `bytes` through Caddy; resolves with its answer and what the upstream had read when its side closed. */
      const post = async (host: string, path: string, bytes: number, declared: boolean) => {
        const url = `${path}?request=${++request}`;
        const read = watch(url);
        const answer = await httpsRequest({
          agent: limited.agent,
          port: limited.httpsPort,
          host,
          path: url,
          method: 'POST',
          body: Buffer.alloc(bytes, 0x61),
          // Without Content-Length, node:https streams the body chunked: a body of unknown length, as a flood is.
          headers: declared ? { 'content-length': String(bytes) } : {},
        }).catch((error: Error) => ({ status: 0, body: Buffer.from(error.message) }));
        // Caddy streams every body to the upstream as it comes: the upstream's side closes, complete or cut off.
        return { status: answer.status, read: await read };
      };
      try {
        for (const [host, path, limit] of [
          [HOSTS.cms, '/api/consultation-requests', 2_000_000],
          [HOSTS.preview, '/preview/article/x', 16_000],
        ] as const) {
          const within = await post(host, path, limit - 1000, false);
          expect(within, `${host}${path} within the limit`).toEqual({ status: 200, read: limit - 1000 });
          const over = await post(host, path, limit * 2, false);
          expect(over.status, `${host}${path} twice the limit, chunked`).toBe(413);
          expect(over.read, 'the upstream never got more than the limit').toBeLessThanOrEqual(limit);
          // A declared length over the limit: refused too (413 by current Caddy, 502 by Debian's 2.6, which reports the
          // cut-off body as an upstream error); the upstream never gets the whole body.
          const declared = await post(host, path, limit * 2, true);
          expect([413, 502], `${host}${path} twice the limit, declared`).toContain(declared.status);
          expect(declared.read).toBeLessThanOrEqual(limit);
        }
        // The admin's uploads take more than the CMS's 2 MB.
        expect(await post(HOSTS.cms, '/upload', 3_000_000, false)).toEqual({ status: 200, read: 3_000_000 });
      } finally {
        await limited.stop();
        await closeServer(counter);
      }
    });
  });
