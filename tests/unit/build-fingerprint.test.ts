// What lets npm start reuse the live build (scripts/stack/build-fingerprint.ts): the content fingerprint differs
// whenever the CMS's answers to the site's own queries differ (an entry deleted, unpublished, edited or new, the
// globals changed, on any page of articles), the code fingerprint whenever a setting the build reads does, and
// the decision reuses only the live build the record describes. The CMS here is a stand-in that answers the
// queries with a content state the test changes; start.test.ts checks the same on npm start's real Strapi (a
// publish changes the fingerprint, drafts do not, and a second start then builds nothing).
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_REPORT_ENV } from '@agency/shared';
import { closeServer, listen } from '../../scripts/common/http.ts';
import {
  codeFingerprint,
  contentFingerprint,
  OUTPUT_SETTINGS,
  readLiveRecord,
  recordLiveBuild,
  reuseDecision,
} from '../../scripts/stack/build-fingerprint.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { siteBuildSettings } from '../../web/src/settings.ts';

type Article = { documentId: string; title: string };
type Content = { global: { siteName: string }; articles: Article[] };

const PAGE_SIZE = 100;
const article = (n: number): Article => ({ documentId: `doc-${n}`, title: `Article ${n}` });
const initial = (): Content => ({ global: { siteName: 'Agency' }, articles: Array.from({ length: 150 }, (_, n) => article(n)) });

describe('the build fingerprints', () => {
  let server: Server;
  let url: string;
  /** What the stand-in CMS publishes now. */
  let content = initial();
  const seen: Array<{ authorization: string | null; page: number }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const { variables } = JSON.parse(body) as { variables: { page?: number; pageSize: number } };
        const page = variables.page ?? 1;
        seen.push({ authorization: request.headers.authorization ?? null, page });
        const nodes = content.articles.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
        const pageCount = Math.max(1, Math.ceil(content.articles.length / PAGE_SIZE));
        const connection = { nodes, pageInfo: { page, pageCount, total: content.articles.length } };
        const data = page === 1 ? { global: content.global, articles_connection: connection } : { articles_connection: connection };
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
      });
    });
    const port = await freePort();
    await listen(server, port);
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await closeServer(server);
  });

  it('changes with every change of the content the site shows, on any page of articles, and only then', async () => {
    content = initial();
    const before = await contentFingerprint(url);
    expect(await contentFingerprint(url), 'the same content').toBe(before);
    // Both pages were read: a change on the second counts too.
    expect(seen.slice(-2).map((request) => request.page)).toEqual([1, 2]);

    const changes: Record<string, (c: Content) => void> = {
      'an entry deleted (or unpublished: the public answer no longer has it)': (c) => c.articles.splice(120, 1),
      'an entry edited, on the second page': (c) => (c.articles[140]!.title = 'Edited'),
      'an entry edited, on the first page': (c) => (c.articles[3]!.title = 'Edited'),
      'a new entry': (c) => c.articles.unshift(article(999)),
      'the globals changed': (c) => (c.global.siteName = 'Agency & Co'),
    };
    const fingerprints = new Set([before]);
    for (const [change, apply] of Object.entries(changes)) {
      content = initial();
      apply(content);
      const after = await contentFingerprint(url);
      expect(after, change).not.toBe(before);
      fingerprints.add(after);
    }
    expect(fingerprints.size).toBe(Object.keys(changes).length + 1);
  });

  it('asks as the build does, with CMS_TOKEN when there is one, and says so when the CMS does not answer', async () => {
    content = initial();
    await contentFingerprint(url, 'read-only-token');
    expect(seen.at(-1)?.authorization).toBe('Bearer read-only-token');
    await expect(contentFingerprint(`http://127.0.0.1:${await freePort()}`)).rejects.toThrow();
  });

  it('takes in exactly the build settings that change what the build makes, and NODE_ENV', () => {
    const elsewhere = new Set(['SITE_OUT_DIR', 'SITE_CACHE_DIR', BUILD_REPORT_ENV]);
    expect([...OUTPUT_SETTINGS].sort()).toEqual(
      [...Object.keys(siteBuildSettings.spec).filter((name) => !elsewhere.has(name)), 'NODE_ENV'].sort(),
    );
    const env = { SITE_URL: 'https://example.com', NODE_ENV: 'production', MAIL_UI_PORT: '8025' };
    const code = codeFingerprint(env);
    expect(codeFingerprint({ ...env }), 'the same code and settings').toBe(code);
    expect(codeFingerprint({ ...env, MAIL_UI_PORT: '9025' }), 'a setting the build does not read').toBe(code);
    expect(codeFingerprint({ ...env, SITE_OUT_DIR: '/elsewhere' }), 'where the build goes').toBe(code);
    expect(codeFingerprint({ ...env, SITE_URL: 'https://example.org' })).not.toBe(code);
    expect(codeFingerprint({ ...env, NODE_ENV: 'development' })).not.toBe(code);
  });

  it('reuses only the live build the record describes, made by this code from this content', () => {
    const siteDir = mkdtempSync(path.join(tmpdir(), 'agency-fingerprint-'));
    try {
      const live = path.join(siteDir, 'builds', 'b2');
      const now = { code: 'code-1', content: 'content-1' };
      expect(reuseDecision(live, readLiveRecord(siteDir), now)).toEqual({
        reuse: false,
        why: 'no record of what the live build was made from',
      });
      recordLiveBuild(siteDir, live, now);
      const record = readLiveRecord(siteDir)!;
      expect(record).toMatchObject({ build: 'b2', ...now });
      expect(reuseDecision(live, record, now)).toEqual({ reuse: true, liveAt: record.liveAt });
      expect(reuseDecision(null, record, now).reuse, 'no live build').toBe(false);
      expect(reuseDecision(path.join(siteDir, 'builds', 'b3'), record, now), 'another build is live').toEqual({
        reuse: false,
        why: 'the record is of another build',
      });
      expect(reuseDecision(live, record, { ...now, code: 'code-2' })).toEqual({
        reuse: false,
        why: 'the site’s code or build settings changed',
      });
      expect(reuseDecision(live, record, { ...now, content: 'content-2' })).toEqual({ reuse: false, why: 'the CMS’s content changed' });
      // The start could not ask the CMS: unknown content never matches.
      expect(reuseDecision(live, record, { ...now, content: '' }).reuse).toBe(false);
    } finally {
      rmSync(siteDir, { recursive: true, force: true });
    }
  });
});
