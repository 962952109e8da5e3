// Incremental publishing (web/src/incremental/, scripts/rebuild/publishers.ts) against a real CMS with a few
// hundred articles that have topics and authors: after any sequence of publishes, edits, unpublishes and
// deletes, the site the rebuild service keeps up incrementally equals a full build of the same content, file
// for file and byte for byte. The sequence is random, from a seed that is fixed unless TEST_SEED sets it
// (tests/support/seed.ts); the seed is printed, and TEST_SEED=<seed> replays a failure.
//
// The comparison ignores nothing: every file of the full build, pages, images, compressed copies, the search
// index, must be in the incremental build with the same bytes, and there must be no other file.
//
// It also checks what an incremental publish costs: it fetches only the changed articles (one GraphQL request
// here), renders a fraction of the pages, and what it cannot scope (the site settings) is built in full; and a
// CMS that is down makes it fall back to a full build that fails saying so, the live site untouched.
//
// What it costs: one Strapi boot (the articles are written into its database before it starts; the outage is a
// gate closing between the publisher and the CMS, ../support/cms-gate.ts) and four full builds of 240
// articles, each one the publisher makes anyway: the first, the outage's fallback (which fails), the build once
// the CMS is back (a new worker's) and the site settings' (the warm worker's). No full build is made only to be
// compared with: the outage comes halfway through the sequence, so the build once the CMS is back is compared
// with the site the first half made incrementally, and the settings' build, after the last step, with the site
// the second half made on top of it. Every incremental step is in one of the two comparisons.
// Every step is published on top of the step before, so a page a step leaves wrong stays wrong until a later
// step happens to render that very page again: the comparison at the end of a half catches it unless a later
// step of the same half rendered that page again, and rendered it right. AGENCY_INCREMENTAL_COMPARE_EVERY=1
// adds a reference build after every step, to find the step that went wrong (a full build each, so CI makes
// none; that the right pages are rendered again at each step is held to a brute-force oracle by the unit
// test web/test/affected-paths.test.ts).
//
// The same CMS first carries the API limits (./api-limits.suite.ts), before any edit here: they need a CMS of
// their own with a few hundred generated articles on the seeded topics, which is this one (one boot fewer).
// @test-lane: own
import { cpSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UID } from '@agency/shared';
import { buildSite } from '../../scripts/rebuild/build-site.ts';
import { localPublisher, type Publisher } from '../../scripts/rebuild/publishers.ts';
import { SiteStore } from '../../scripts/rebuild/site-store.ts';
import { WarmBuilder } from '../../scripts/rebuild/warm-builder.ts';
import type { WebhookEvent } from '../../scripts/rebuild/webhook-event.ts';
import { TestCms, sampleArticle } from '../support/cms.ts';
import { CmsGate } from '../support/cms-gate.ts';
import { replayHint, seededRandom, suiteSeed } from '../support/seed.ts';
import { apiLimitsEnv, apiLimitsSuite, LIMITS_ARTICLES } from './api-limits.suite.ts';

const GENERATED = Number(process.env.AGENCY_INCREMENTAL_ARTICLES ?? 240);
const STEPS = Number(process.env.AGENCY_INCREMENTAL_STEPS ?? 10);
/** After this step the CMS goes down and comes back: the first of the two comparisons every run makes. */
const OUTAGE_AFTER = Math.ceil(STEPS / 2);
/** 0: no reference builds besides the publisher's own full builds; n: one after every n-th step too. */
const COMPARE_EVERY = Number(process.env.AGENCY_INCREMENTAL_COMPARE_EVERY ?? 0);

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** The differences between two builds: files only in one, and files whose bytes differ. */
function differences(expected: string, actual: string): string[] {
  const want = files(expected);
  const got = new Set(files(actual));
  const problems: string[] = [];
  for (const file of want) {
    if (!got.has(file)) problems.push(`missing: ${file}`);
    else if (!readFileSync(path.join(expected, file)).equals(readFileSync(path.join(actual, file)))) problems.push(`differs: ${file}`);
    got.delete(file);
  }
  for (const file of got) problems.push(`extra: ${file}`);
  return problems;
}

type Live = { documentId: string; slug: string };

let cms: TestCms;
/** Strapi's own temporary directory (the API limits check what uploads leave in it). */
let strapiTmp: string;

beforeAll(async () => {
  strapiTmp = mkdtempSync(path.join(tmpdir(), 'agency-cms-tmp-'));
  // Written in bulk into the template's copy before the CMS starts on it: no restart for the content. At least
  // what the API limits need, should AGENCY_INCREMENTAL_ARTICLES ask for fewer.
  cms = await TestCms.boot({
    env: apiLimitsEnv(strapiTmp),
    articles: { count: Math.max(GENERATED, LIMITS_ARTICLES), taxonomy: true },
  });
}, 600_000);

afterAll(async () => {
  await cms?.destroy();
  if (strapiTmp) rmSync(strapiTmp, { recursive: true, force: true });
});

// First, on the content as generated: the API limits read it and change no article.
apiLimitsSuite(() => ({ cms, tmp: strapiTmp }));

describe('incremental publishing', () => {
  /** What the publisher reaches the CMS through: closed, the CMS is down for it. */
  let gate: CmsGate;
  let dir: string;
  let store: SiteStore;
  let publisher: Publisher;
  /** Only for AGENCY_INCREMENTAL_COMPARE_EVERY's reference builds: made at the first. */
  let referenceBuilder: WarmBuilder | undefined;
  let topics: string[];
  let authors: string[];
  let published: Live[];
  let drafts: Live[];
  let builds = 0;
  /** What each step did and how it was published: said when a comparison fails. */
  const log: string[] = [];
  const seed = suiteSeed('incremental publishing');
  const next = seededRandom(seed);
  const pickIndex = (length: number) => Math.floor(next() * length);

  const event = (name: string, documentId: string): WebhookEvent => ({
    event: name,
    uid: UID.article,
    model: 'article',
    at: new Date().toISOString(),
    documentId,
  });

  /** A full build of what the CMS has now, by a builder of its own (AGENCY_INCREMENTAL_COMPARE_EVERY only). */
  async function fullBuild(): Promise<string> {
    referenceBuilder ??= new WarmBuilder();
    const outDir = path.join(dir, `reference-${++builds}`);
    // Through the gate too: both builds read the CMS at the same URL, as any URL the pages carry must match.
    const build = await buildSite({ cmsUrl: gate.url, outDir, env: { CMS_TOKEN: '' }, builder: referenceBuilder });
    expect(build.ok, build.output).toBe(true);
    return outDir;
  }

  async function publishedArticles(): Promise<Live[]> {
    const { data } = await cms.graphql<{ articles: Live[] }>(`{ articles(pagination: { limit: 1000 }) { documentId slug } }`);
    return data!.articles;
  }

  beforeAll(async () => {
    const { data } = await cms.graphql<{ topics: Array<{ documentId: string }>; authors: Array<{ documentId: string }> }>(
      `{ topics { documentId } authors { documentId } }`,
    );
    topics = data!.topics.map((topic) => topic.documentId);
    authors = data!.authors.map((author) => author.documentId);
    published = await publishedArticles();
    drafts = [];
    dir = mkdtempSync(path.join(tmpdir(), 'agency-incremental-'));
    store = new SiteStore(path.join(dir, 'store'));
    gate = await CmsGate.open(cms.url);
    publisher = localPublisher({ store, cmsUrl: gate.url, env: { CMS_TOKEN: '' } });
    const first = await publisher.publish('start', [{ event: 'start', uid: null, model: null, at: new Date().toISOString() }]);
    expect(first.detail).toMatch(/warm|cold/);
    expect(first.detail).not.toMatch(/incremental:/);
    console.info(`incremental publishing: ${replayHint(seed)}`);
  }, 600_000);

  afterAll(async () => {
    await publisher?.close?.();
    await referenceBuilder?.close();
    await gate?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** One editor action, done through the admin API as the Content Manager does; returns its webhook event. */
  async function act(): Promise<{ what: string; event: WebhookEvent }> {
    const roll = next();
    if (roll < 0.3 || published.length < 5) {
      // Edit and publish: a new title, and now and then new topics or another author.
      const article = published[pickIndex(published.length)]!;
      const form = await cms.editor.articleForm(article.documentId);
      const changes: Record<string, unknown> = { title: `Edited ${article.slug} ${Math.round(next() * 1e6)}` };
      if (next() < 0.5) changes.topics = { set: [{ documentId: topics[pickIndex(topics.length)]! }] };
      if (next() < 0.3) changes.author = { set: [{ documentId: authors[pickIndex(authors.length)]! }] };
      await cms.editor.publish(article.documentId, { ...form, ...changes });
      published = published.filter((a) => a !== article).concat(article);
      return { what: `edit ${article.slug}`, event: event('entry.publish', article.documentId) };
    }
    if (roll < 0.45) {
      const article = published[pickIndex(published.length)]!;
      await cms.editor.unpublish(article.documentId);
      published = published.filter((a) => a !== article);
      drafts.push(article);
      return { what: `unpublish ${article.slug}`, event: event('entry.unpublish', article.documentId) };
    }
    if (roll < 0.6) {
      const article = published[pickIndex(published.length)]!;
      await cms.editor.deleteArticle(article.documentId);
      published = published.filter((a) => a !== article);
      return { what: `delete ${article.slug}`, event: event('entry.delete', article.documentId) };
    }
    if (roll < 0.75 && drafts.length > 0) {
      const article = drafts.splice(pickIndex(drafts.length), 1)[0]!;
      await cms.editor.publish(article.documentId);
      published.push(article);
      return { what: `publish again ${article.slug}`, event: event('entry.publish', article.documentId) };
    }
    const slug = `new-${seed}-${Math.round(next() * 1e9)}`;
    const documentId = await cms.editor.createArticle(
      { ...sampleArticle(slug), topics: { set: [{ documentId: topics[pickIndex(topics.length)]! }] } },
      { publish: true },
    );
    published.push({ documentId, slug });
    return { what: `new ${slug}`, event: event('entry.publish', documentId) };
  }

  /**
   * The live build, kept under `name`: the store keeps only the last few builds, and the publishes that follow
   * may prune the live one before it is compared. Kept as hard links, not copied: a build is never written into
   * once made (a publish replaces files in a new build, web/src/incremental/spare-copy.ts), and the links keep
   * its files when the store removes its directory.
   */
  function keepLive(name: string): string {
    const live = store.liveDir()!;
    const kept = path.join(dir, name);
    for (const file of files(live)) {
      mkdirSync(path.dirname(path.join(kept, file)), { recursive: true });
      linkSync(path.join(live, file), path.join(kept, file));
    }
    return kept;
  }

  /**
   * Steps `first` to `last` of the sequence: one to three editor actions each, published incrementally on top of
   * the step before. With AGENCY_INCREMENTAL_COMPARE_EVERY, compared with a reference build after every n-th.
   */
  async function steps(first: number, last: number): Promise<void> {
    for (let step = first; step <= last; step++) {
      // One to three actions per publish, as a quiet window batches them.
      const actions = [];
      for (let count = 1 + pickIndex(3); count > 0; count--) actions.push(await act());
      const result = await publisher.publish(
        `step-${step}`,
        actions.map((action) => action.event),
      );
      log.push(`step ${step}: ${actions.map((action) => action.what).join(', ')} → ${result.detail}`);
      expect(result.detail, log.join('\n')).toMatch(/incremental: \d+ of \d+ pages rendered, \d+ removed, 1 GraphQL request\(s\)/);
      if (COMPARE_EVERY <= 0 || step % COMPARE_EVERY !== 0) continue;
      const expected = await fullBuild();
      expectEqualBuilds(expected, store.liveDir()!, `after step ${step} with a reference build`);
      rmSync(expected, { recursive: true, force: true });
    }
  }

  /**
   * Fails, saying how to replay the run, when `actual` differs from the full build `expected` in any file; with
   * AGENCY_INCREMENTAL_KEEP set, copies both there first (to read the differences).
   */
  function expectEqualBuilds(expected: string, actual: string, when: string): void {
    const problems = differences(expected, actual);
    if (problems.length > 0 && process.env.AGENCY_INCREMENTAL_KEEP) {
      cpSync(expected, path.join(process.env.AGENCY_INCREMENTAL_KEEP, 'full'), { recursive: true });
      cpSync(actual, path.join(process.env.AGENCY_INCREMENTAL_KEEP, 'incremental'), { recursive: true });
    }
    expect(
      problems,
      `${replayHint(seed)}; compared ${when} (AGENCY_INCREMENTAL_COMPARE_EVERY=1 compares after every step, to find the one that went wrong)\n${log.join('\n')}`,
    ).toEqual([]);
  }

  it('keeps the site equal to a full build, file for file, through a random sequence of publishes, edits, unpublishes and deletes; with the CMS down halfway, falls back to a full build, which fails saying so with the live site untouched; once it is back, a full build equal to the incremental site, and incremental publishes again on top of it', async () => {
    await steps(1, OUTAGE_AFTER);

    // The CMS goes down for the publisher: the incremental publish cannot fetch, nor can the full build after it.
    const live = store.liveDir();
    const incremental = keepLive('before-outage');
    const article = published[0]!;
    await gate.close();
    try {
      await expect(publisher.publish('cms-down', [event('entry.publish', article.documentId)])).rejects.toThrow(/Cannot reach the CMS/);
      expect(store.liveDir()).toBe(live);
    } finally {
      await gate.open();
    }
    // The failed build replaced the worker, which holds no build to extend: a full build, and it says why.
    const result = await publisher.publish('cms-back', [event('entry.publish', article.documentId)]);
    log.push(`the CMS back after the outage → ${result.detail}`);
    expect(result.detail).toMatch(/full build, not incremental: no warm worker holds the live build/);
    // Nothing was edited since the last step: this full build, by a new worker, is what the first half's
    // incremental site must equal.
    expectEqualBuilds(store.liveDir()!, incremental, `after step ${OUTAGE_AFTER}, with the full build after the outage`);

    // The second half: incremental again (each step checks it), on top of the new worker's full build.
    await steps(OUTAGE_AFTER + 1, STEPS);
    console.info(log.join('\n'));
  }, 1_200_000);

  it('builds in full what it cannot scope: the site settings', async () => {
    const before = keepLive('before-settings');
    const result = await publisher.publish('global', [
      { event: 'entry.publish', uid: UID.global, model: 'global', at: new Date().toISOString() },
    ]);
    expect(result.detail).not.toMatch(/incremental:/);
    expect(result.detail).toMatch(/warm build/);
    // Nothing changed in the CMS: the full build equals the site before it, which the second half of the
    // sequence made incrementally.
    expectEqualBuilds(store.liveDir()!, before, `after step ${STEPS}, with the site settings' full build`);
  }, 300_000);
});
