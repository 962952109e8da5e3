// A site build that cannot be done right fails clearly and writes no pages. A build fails in its first step, the
// content loader, before Astro renders anything: the CMS down and a wrong token are checked on that step alone
// (tests/support/content-sync.ts, no `astro build` each), and invalid content by a real build, which shows that
// the loader's error is the build's failure, printed, with no page written. On the project's shared CMS (no boot
// of its own): it damages an article of this file's own in its database, and puts it back before the file ends.
// (Moved from tests/e2e/site.test.ts, whose project then needs no shared CMS of its own.)
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/ports.ts';
import { sampleArticle, TestCms } from '../support/cms.ts';
import { syncContent } from '../support/content-sync.ts';
import { buildFrom, htmlFiles } from '../support/site.ts';

const ARTICLE_PAGE = path.join('articles', 'sales-vs-marketing', 'index.html');

describe('a build that cannot be done right fails clearly and writes no pages', () => {
  // The shared CMS keeps what other files made: this file's own article is the one damaged, never the seed.
  const SLUG = `site-invalid-${Date.now().toString(36)}`;
  // Unique to this article, so the damage below reaches its rows only (the draft's and the published version's).
  const DAMAGED = `Results and expectations of ${SLUG}`;
  let cms: TestCms;
  let documentId: string | undefined;
  let damaged: number[] = [];

  beforeAll(async () => {
    cms = await TestCms.shared();
    const article = sampleArticle(SLUG, `An article to damage ${SLUG}`);
    const section = (heading: string) => ({ ...article.body[0]!, heading });
    documentId = await cms.editor.createArticle(
      { ...article, body: [section('The problem'), section('The approach'), section(DAMAGED)] },
      { publish: true },
    );
  });
  afterAll(async () => {
    // Undo the damage first: the project's other files build from this CMS, and an invalid article fails them all.
    if (damaged.length > 0) {
      const db = new Database(cms.env.DATABASE_FILENAME!);
      const restore = db.prepare('UPDATE components_article_sections SET heading = ? WHERE id = ?');
      for (const id of damaged) restore.run(DAMAGED, id);
      db.close();
    }
    if (documentId) await cms.editor.deleteArticle(documentId);
  });

  it('fails when the CMS is down, naming the URL, before it has anything to render', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const sync = await syncContent(down);
    expect(sync.error?.message).toContain(`Cannot reach the CMS at ${down}`);
    expect(sync.entries).toEqual({ articles: [], siteSettings: [], consultationCta: [] });
    expect(sync.report).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
  });

  it('fails when the token is wrong, saying what to do, before it has anything to render', async () => {
    const sync = await syncContent(cms.url, { CMS_TOKEN: 'not-a-real-token' });
    expect(sync.error?.message).toMatch(/CMS_TOKEN/);
    expect(sync.error?.message).toMatch(/401/);
    expect(sync.entries).toEqual({ articles: [], siteSettings: [], consultationCta: [] });
    expect(sync.report).toMatchObject({ ok: false });
    // The same Strapi with no token serves the content: the token, not the CMS, was refused.
    const anonymous = await syncContent(cms.url);
    expect(anonymous.error).toBeNull();
    expect(anonymous.entries.articles.length).toBeGreaterThan(0);
  });

  it('fails on invalid content, naming the entry and the field', async () => {
    // Damage the stored content behind Strapi's back, as a bad migration or a direct database edit would.
    const file = cms.env.DATABASE_FILENAME;
    if (!file) throw new Error(`The shared CMS runs on ${cms.database.kind}, not on a SQLite file this test can damage.`);
    const db = new Database(file);
    damaged = db
      .prepare<[string], { id: number }>('SELECT id FROM components_article_sections WHERE heading = ?')
      .all(DAMAGED)
      .map(({ id }) => id);
    const changed = db.prepare("UPDATE components_article_sections SET heading = '' WHERE heading = ?").run(DAMAGED);
    db.close();
    expect(changed.changes).toBeGreaterThan(0);

    // The content step's own error, then the whole build: it fails with that error, printed, and writes nothing.
    const sync = await syncContent(cms.url);
    expect(sync.error?.message).toContain(`Invalid content in article "${SLUG}"`);
    const build = await buildFrom(cms.url);
    expect(build.ok).toBe(false);
    expect(build.output).toContain(`Invalid content in article "${SLUG}"`);
    expect(build.output).toMatch(/body\[2\]\.heading: must not be empty/);
    for (const line of sync.error!.message.split('\n')) expect(build.output).toContain(line.trim());
    expect(build.report).toMatchObject({ ok: false, error: { kind: 'invalid-content' } });
    expect(htmlFiles(build.outDir)).toEqual([]);
    expect(existsSync(path.join(build.outDir, 'articles', SLUG, 'index.html'))).toBe(false);
    expect(existsSync(path.join(build.outDir, ARTICLE_PAGE))).toBe(false);
  });
});
