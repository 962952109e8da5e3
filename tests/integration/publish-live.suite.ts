// Publish → live: Strapi's own webhook drives the real rebuild service, which publishes the real site (an
// article's publish incrementally, web/src/incremental/) and switches it live atomically. Failures keep the last
// good site serving: that proof, a build failing while the CMS is out of reach, is the fault chain's in
// ./rebuild-faults.test.ts, which runs this suite on its stack (one stack, one first build, for both).
//
// On the run's shared CMS: an article of this suite's own, whose publishes reach the stack's service through the
// broker's webhook record.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { sleep } from '../../scripts/common/sleep.ts';
import { sampleArticle } from '../support/cms.ts';
import type { RecordedHook } from '../support/fixture-broker.ts';
import type { TestStack } from '../support/stack.ts';

const SLUG = `publish-live-${randomBytes(4).toString('hex')}`;
const ARTICLE = `/articles/${SLUG}/`;
const h1 = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? null;
const entryOf = (call: RecordedHook) => (call.body as { entry?: { documentId?: string } }).entry?.documentId;

/**
 * The suite, on a stack the caller boots: an article's publish incremental, and a quiet window of 1 s bounded by
 * a maximum wait of 5 s (quietMs 1000, maxWaitMs 5000), so that a 2 s burst behind a publish that started at
 * once (an incremental one, done in a second or two) is one batch, whatever the moment Strapi's call for the
 * real publish in it arrives. `created`: the entries it makes, which the caller deletes once its stack is gone
 * (the shared CMS outlives the file).
 */
export function publishLiveSuite(fixture: { stack: () => TestStack; created: string[] }): void {
  // Each test waits for one or two builds: on a loaded 2-core machine one has taken over a minute.
  describe('publish → live', { timeout: 300_000 }, () => {
    let stack: TestStack;
    let documentId: string;

    beforeAll(async () => {
      stack = fixture.stack();
      // Published once the stack runs: an incremental publish of its own, live before the tests.
      documentId = await stack.cms.editor.createArticle(sampleArticle(SLUG), { publish: true });
      fixture.created.push(documentId);
      await stack.waitForSite(ARTICLE, (status) => status === 200);
      await stack.service.idle();
    });

    it('shows a published edit on the served site', async () => {
      await stack.cms.editor.saveDraft(documentId, { title: 'Published through the admin' });
      await stack.cms.editor.publish(documentId);
      await stack.waitForSite(ARTICLE, (status, html) => status === 200 && h1(html) === 'Published through the admin');
      // The page is served as soon as the pages are switched live; the publish ends once its search index follows.
      await stack.service.idle();
      const status = await stack.status();
      expect(status.builds[0]?.result).toBe('succeeded');
      // The article count checked against the pages comes from the build's report. The service's worker built the
      // site at start, and Strapi's webhook names the entry, so this publish is incremental (web/src/incremental/):
      // one GraphQL request for the article, a few pages rendered, then the search index made again.
      // The page count is the live site's: the shared CMS's articles, other files' included.
      const { data } = await stack.cms.graphql<{ articles_connection: { pageInfo: { total: number } } }>(
        `{ articles_connection { pageInfo { total } } }`,
      );
      expect(status.builds[0]?.detail).toMatch(new RegExp(`^${data!.articles_connection.pageInfo.total} article page\\(s\\) live; `));
      expect(status.builds[0]?.detail).toMatch(
        /^\d+ article page\(s\) live; incremental: \d+ of \d+ pages rendered, 0 removed, 1 GraphQL request\(s\); fetch \d+, paths \d+, copy \d+ \(made ahead\), render \d+, images \d+, compression \d+ ms; live in \d+ ms \(build \d+, check and switch \d+\); incremental build, worker \d+ MiB; then search index made again in \d+ ms$/,
      );
      expect(status.builds[0]?.trigger.join(' ')).toContain('entry.publish api::article.article');
    });

    it('takes an unpublished article off the site (404, gone from the home page), and brings it back on publish', async () => {
      await stack.cms.editor.unpublish(documentId);
      await stack.waitForSite(ARTICLE, (status) => status === 404);
      const home = await (await fetch(`${stack.siteUrl}/`)).text();
      expect(home).not.toContain(ARTICLE);

      await stack.cms.editor.publish(documentId);
      await stack.waitForSite(ARTICLE, (status, html) => status === 200 && h1(html) === 'Published through the admin');
      expect(await (await fetch(`${stack.siteUrl}/`)).text()).toContain(ARTICLE);
    });

    it('does not rebuild or change the site when an editor only saves a draft', async () => {
      await stack.service.idle();
      const builds = stack.service.history.length;
      await stack.hooks!.clear();
      await stack.cms.editor.saveDraft(documentId, { title: 'Just a draft' });
      // Then a publish of another article: Strapi calls for it, in order, after any call the draft save made.
      const marker = await stack.cms.editor.createArticle(sampleArticle(`${SLUG}-marker`), { publish: true });
      fixture.created.push(marker);
      const calls = await stack.hooks!.waitFor((call) => entryOf(call) === marker);
      // Strapi called for the marker only: nothing about the draft reached the rebuild service.
      expect(calls.map((call) => entryOf(call))).toEqual([marker]);
      // The one build since is the marker's, and the article still shows its published title.
      await stack.waitForSite(`/articles/${SLUG}-marker/`, (status) => status === 200);
      await stack.service.idle();
      expect(stack.service.history.slice(builds).map((build) => build.trigger)).toEqual([['entry.publish api::article.article']]);
      expect(h1(await (await fetch(`${stack.siteUrl}${ARTICLE}`)).text())).toBe('Published through the admin');
    });

    it('refuses calls without the right token (401) and malformed bodies (400), building nothing', async () => {
      await stack.service.idle();
      const builds = (await stack.status()).builds.length;
      const publishEvent = { event: 'entry.publish', model: 'article', uid: 'api::article.article', entry: null };

      const missing = await stack.hook(publishEvent, null);
      expect(missing.status).toBe(401);
      const wrong = await stack.hook(publishEvent, 'not-the-token');
      expect(wrong.status).toBe(401);
      expect((await wrong.json()).error).toMatch(/bearer token/);

      const malformed = await stack.hook('{"event": ');
      expect(malformed.status).toBe(400);
      expect((await malformed.json()).error).toMatch(/not JSON/);
      const noEvent = await stack.hook({ model: 'article' });
      expect(noEvent.status).toBe(400);

      const ignored = await stack.hook({ event: 'entry.update', model: 'article', uid: 'api::article.article', entry: null });
      expect(ignored.status).toBe(202);
      expect(await ignored.json()).toMatchObject({ status: 'ignored' });

      // The service decides as it answers: with nothing queued or building after the answers, nothing will be built.
      expect(await stack.status()).toMatchObject({ building: false, queued: [], retry: null });
      expect((await stack.status()).builds.length).toBe(builds);
      const status = JSON.stringify(await stack.status());
      expect(status).not.toContain(stack.token);
    });

    it('coalesces a burst of 50 publish events in 2 s into at most 2 builds, and serves the last publish', async () => {
      await stack.service.idle();
      const before = (await stack.status()).builds.length;
      const start = Date.now();
      let real: Promise<void> | undefined;
      for (let i = 0; i < 50; i++) {
        await sleep(start + i * 40 - Date.now());
        if (i === 25) {
          // A real publish in the middle of the burst: its content must be live at the end. The burst goes on
          // while Strapi takes it (on a loaded machine, long enough for a quiet window of its own).
          real = (async () => {
            await stack.cms.editor.saveDraft(documentId, { title: 'Last publish of the burst' });
            await stack.cms.editor.publish(documentId);
          })();
          continue;
        }
        // As Strapi sends it, naming its entry: each an incremental publish.
        const response = await stack.hook({ event: 'entry.publish', model: 'article', uid: 'api::article.article', entry: { documentId } });
        expect(response.status).toBe(202);
      }
      await real;
      await sleep(100);
      await stack.service.idle();
      const builds = (await stack.status()).builds.length - before;
      expect(builds).toBeGreaterThanOrEqual(1);
      expect(builds).toBeLessThanOrEqual(2);
      expect(h1(await (await fetch(`${stack.siteUrl}${ARTICLE}`)).text())).toBe('Last publish of the burst');
    });
  });
}
