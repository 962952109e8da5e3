// The content layer's loader (src/content/loader.ts) against a stand-in CMS: how many requests a build sends,
// that the three collections share them, that every run starts from an empty store (fresh content, never a
// stale entry), the log line, and what it writes to the build report, on success and on failure.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoaderContext } from 'astro/loaders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CmsError } from '../../src/cms/errors.ts';
import { cmsLoaders, type CmsLoaderOptions } from '../../src/content/loader.ts';
import { CONTENT_FETCHED } from '../../src/lib/build-report-file.ts';
import { startFakeCms, type FakeCms } from '../support/fake-cms.ts';
import { rawArticle, rawArticles } from '../support/fixtures.ts';

type Stored = { id: string; data: Record<string, unknown> };

/** Astro's store for one collection, as far as the loader uses it. */
function memoryStore(initial: Stored[] = []) {
  const entries = new Map(initial.map((entry) => [entry.id, entry]));
  return {
    entries,
    store: {
      clear: () => entries.clear(),
      set: (entry: Stored) => (entries.set(entry.id, entry), true),
    },
  };
}

type Collections = Record<'articles' | 'siteSettings' | 'consultationCta', ReturnType<typeof memoryStore>>;

/** One content sync as Astro runs it: every collection's loader at once. Resolves to the stores. */
async function sync(loaders: ReturnType<typeof cmsLoaders>, previous?: Collections): Promise<Collections> {
  const stores: Collections = previous ?? { articles: memoryStore(), siteSettings: memoryStore(), consultationCta: memoryStore() };
  const logger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
  await Promise.all(
    (Object.keys(stores) as Array<keyof Collections>).map((collection) =>
      loaders[collection].load({ collection, store: stores[collection].store, logger } as unknown as LoaderContext),
    ),
  );
  return stores;
}

const tempFile = (name: string) => path.join(mkdtempSync(path.join(tmpdir(), 'web-loader-')), name);
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('the CMS content loader', () => {
  let cms: FakeCms;
  const lines: string[] = [];
  const options = (env: Record<string, string> = {}): CmsLoaderOptions => ({
    env: { CMS_URL: cms.url, ...env },
    command: 'build',
    log: (line) => lines.push(line),
  });

  beforeAll(async () => {
    cms = await startFakeCms({ articles: [] });
  });
  afterAll(async () => {
    await cms?.close();
  });

  it.each([0, 1, 99, 100, 101, 250, 1000])(
    'fetches %i articles in at most ⌈N/100⌉ + 2 requests, shared by the three collections',
    async (count) => {
      cms.content = { articles: rawArticles(count) };
      cms.requests.length = 0;
      lines.length = 0;
      const stores = await sync(cmsLoaders(options()));

      const budget = Math.ceil(count / 100) + 2;
      expect(cms.requests.length).toBeLessThanOrEqual(budget);
      expect(cms.requests.length).toBe(Math.max(1, Math.ceil(count / 100)));
      expect(cms.requests[0]!.operation).toBe('SiteContent');
      expect(
        cms.requests
          .slice(1)
          .map((r) => r.variables.page)
          .sort((a, b) => Number(a) - Number(b)),
      ).toEqual(Array.from({ length: cms.requests.length - 1 }, (_, i) => i + 2));

      expect([...stores.articles.entries.keys()]).toEqual(rawArticles(count).map((a) => a.slug));
      expect(stores.siteSettings.entries.get('global')?.data).toMatchObject({ siteName: expect.any(String) });
      expect(stores.consultationCta.entries.get('consultation-cta')?.data).toMatchObject({ heading: expect.any(String) });
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            `^\\[cms\\] Fetched ${count} articles, the CTA and site settings from ${cms.url} in ${cms.requests.length} GraphQL requests \\(\\d+ ms\\)\\.$`,
          ),
        ),
      ]);
    },
  );

  it('stores the validated articles, keyed by slug', async () => {
    cms.content = { articles: [rawArticle(7)] };
    const stores = await sync(cmsLoaders(options()));
    const article = stores.articles.entries.get('sales-vs-marketing-7')?.data;
    expect(article).toMatchObject({ documentId: 'doc7', title: expect.stringContaining('(7)') });
    // Validated by the shared schema: blocks carry their kind, not GraphQL's __typename.
    expect((article!.body as Array<{ kind: string }>).map((block) => block.kind)).toContain('side-note');
  });

  it('fetches again on every run and keeps nothing from an earlier one', async () => {
    const loaders = cmsLoaders(options());
    cms.content = { articles: [rawArticle(1), rawArticle(2)] };
    cms.requests.length = 0;
    const stores = await sync(loaders);
    expect([...stores.articles.entries.keys()]).toEqual(['sales-vs-marketing-1', 'sales-vs-marketing-2']);

    // An editor unpublishes article 1 and publishes article 3; the next build (same loaders, same store) sees it.
    cms.content = { articles: [rawArticle(2), rawArticle(3)] };
    await sync(loaders, stores);
    expect(cms.requests).toHaveLength(2);
    expect([...stores.articles.entries.keys()]).toEqual(['sales-vs-marketing-2', 'sales-vs-marketing-3']);
  });

  it('clears an entry left in the store by an earlier build before loading', async () => {
    cms.content = { articles: [rawArticle(1)] };
    const stale = {
      articles: memoryStore([{ id: 'deleted-long-ago', data: {} }]),
      siteSettings: memoryStore(),
      consultationCta: memoryStore(),
    };
    await sync(cmsLoaders(options()), stale);
    expect([...stale.articles.entries.keys()]).toEqual(['sales-vs-marketing-1']);
  });

  it('sends nothing and stores nothing when only types are wanted (astro sync, astro check, the preview build)', async () => {
    cms.requests.length = 0;
    lines.length = 0;
    // The preview server's build asks for types only, whatever its command (src/preview/content.config.ts).
    for (const only of [{ command: 'sync' }, { command: 'check' }, { command: 'build', typesOnly: true }]) {
      // The store is left as it is: a build running at the same time may be reading it.
      const other = {
        articles: memoryStore([{ id: 'being-built', data: {} }]),
        siteSettings: memoryStore(),
        consultationCta: memoryStore(),
      };
      await sync(cmsLoaders({ ...options(), ...only }), other);
      expect([...other.articles.entries.keys()]).toEqual(['being-built']);
    }
    expect(cms.requests).toHaveLength(0);
    expect(lines).toEqual([]);
  });

  describe('the build report', () => {
    it('records the content figures, still "not finished" until the pages are written', async () => {
      cms.content = { articles: rawArticles(150) };
      const file = tempFile('report.json');
      await sync(cmsLoaders(options({ SITE_BUILD_REPORT: file })));
      const report = readJson(file);
      expect(report).toEqual({ ok: false, content: { articles: 150, requests: 2, fetchMs: expect.any(Number) }, error: CONTENT_FETCHED });
      // Written atomically: no temporary file is left beside it.
      expect(readdirSync(path.dirname(file))).toEqual(['report.json']);
    });

    it('records why the CMS could not be reached, with the message the build prints', async () => {
      const file = tempFile('report.json');
      const down = `http://127.0.0.1:9`;
      const failure = sync(cmsLoaders(options({ CMS_URL: down, SITE_BUILD_REPORT: file })));
      await expect(failure).rejects.toThrow(`Cannot reach the CMS at ${down}`);
      await expect(failure).rejects.toBeInstanceOf(CmsError);
      expect(readJson(file)).toEqual({
        ok: false,
        error: { kind: 'unreachable', message: expect.stringMatching(/^Cannot reach the CMS at http:\/\/127\.0\.0\.1:9 \(/) },
      });
    });

    it.each([
      [
        'invalid-content',
        { articles: [rawArticle(1, { title: '' })] },
        'Invalid content in article "sales-vs-marketing-1":\n  - title: must not be empty',
      ],
      [
        'invalid-content',
        { articles: [rawArticle(1, { title: '' }), rawArticle(2, { intro: '' })] },
        '2 entries in the CMS have invalid content',
      ],
      ['missing-content', { global: null, articles: [] }, 'The CMS has no published site settings (Global)'],
      [
        'duplicate-slug',
        { articles: [rawArticle(1), rawArticle(2, { slug: 'sales-vs-marketing-1' })] },
        'Two published articles share the slug',
      ],
    ])('records %s with its precise message', async (kind, content, message) => {
      cms.content = content;
      const file = tempFile('report.json');
      await expect(sync(cmsLoaders(options({ SITE_BUILD_REPORT: file })))).rejects.toThrow(message);
      expect(readJson(file)).toEqual({ ok: false, error: { kind, message: expect.stringContaining(message) } });
    });

    it('records a bad setting as a config failure', async () => {
      const file = tempFile('report.json');
      await expect(sync(cmsLoaders(options({ CMS_TIMEOUT_MS: 'soon', SITE_BUILD_REPORT: file })))).rejects.toMatchObject({
        kind: 'config',
      });
      expect(readJson(file)).toEqual({ ok: false, error: { kind: 'config', message: expect.stringMatching(/^CMS_TIMEOUT_MS must be/) } });
    });
  });
});
