// The public API reads published site content and nothing else; GraphQL's limits hold. On the run's shared CMS
// of each database kind (drafts are filtered in the database's queries), with articles of this file's own: other
// files add theirs, so every list is narrowed to these slugs. The production CMS's introspection, first admin
// and content are checked in operations.test.ts, on its production CMS.
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleArticle, TestCms } from '../support/cms.ts';
import { DATABASES } from '../support/databases.ts';

const DRAFT_TITLE = 'UNPUBLISHED DRAFT TITLE';
/** Published, with a draft in progress titled DRAFT_TITLE. */
const PUBLISHED = 'security-published';
/** Never published: its only version is a draft titled `${DRAFT_TITLE} 2`. */
const DRAFT_ONLY = 'security-never-published';
const MINE_GRAPHQL = `filters: { slug: { in: ["${PUBLISHED}", "${DRAFT_ONLY}"] } }`;
const MINE_REST = `filters[slug][$in][0]=${PUBLISHED}&filters[slug][$in][1]=${DRAFT_ONLY}`;

describe.each(DATABASES)('public API (%s)', (database) => {
  let cms: TestCms;
  let publishedId: string;
  let draftOnlyId: string;

  beforeAll(async () => {
    cms = await TestCms.shared(database);
    publishedId = await cms.editor.createArticle(sampleArticle(PUBLISHED), { publish: true });
    await cms.editor.saveDraft(publishedId, { title: DRAFT_TITLE });
    draftOnlyId = await cms.editor.createArticle(sampleArticle(DRAFT_ONLY, `${DRAFT_TITLE} 2`), { publish: false });
  });

  it('serves only the published version by default', async () => {
    const graphql = await cms.graphql<{ articles: Array<{ slug: string; title: string }> }>(`{ articles(${MINE_GRAPHQL}) { slug title } }`);
    expect(graphql.errors).toBeUndefined();
    expect(graphql.data!.articles.map((a) => a.slug)).toEqual([PUBLISHED]);
    expect(JSON.stringify(graphql)).not.toContain(DRAFT_TITLE);
    expect(JSON.stringify(await cms.graphql('{ articles(pagination: { limit: 100 }) { slug title } }'))).not.toContain(DRAFT_TITLE);

    const rest = await cms.rest(`/api/articles?${MINE_REST}`);
    expect(rest.status).toBe(200);
    expect(rest.body.data.map((a: { slug: string }) => a.slug)).toEqual([PUBLISHED]);
    expect(JSON.stringify(rest.body)).not.toContain(DRAFT_TITLE);
    expect(JSON.stringify((await cms.rest('/api/articles?pagination[pageSize]=100')).body)).not.toContain(DRAFT_TITLE);
  });

  it('refuses drafts over GraphQL without credentials', async () => {
    for (const query of [
      '{ articles(status: DRAFT) { slug title } }',
      '{ articles_connection(status: DRAFT) { nodes { title } } }',
      `{ article(documentId: "${publishedId}", status: DRAFT) { title } }`,
      `{ article(documentId: "${draftOnlyId}", status: DRAFT) { title } }`,
      '{ global(status: DRAFT) { siteName } }',
    ]) {
      const response = await cms.graphql(query);
      expect(response.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      expect(response.errors?.[0]?.message).toMatch(/Drafts are not public/);
      expect(JSON.stringify(response)).not.toContain(DRAFT_TITLE);
    }
    const unpublished = await cms.graphql(`{ article(documentId: "${draftOnlyId}") { title } }`);
    expect(unpublished.data?.article ?? null).toBeNull();
  });

  it('refuses drafts over REST without credentials', async () => {
    for (const path of [
      '/api/articles?status=draft',
      // Strapi treats any status but 'published' as draft: every spelling must be refused.
      '/api/articles?status=DRAFT',
      '/api/articles?status=Draft',
      '/api/articles?status=',
      '/api/articles?status=anything',
      '/api/articles?status[0]=draft',
      `/api/articles/${publishedId}?status=DRAFT`,
      '/api/global?status=x',
      `/api/articles/${publishedId}?status=draft`,
      `/api/articles/${draftOnlyId}?status=draft`,
      '/api/global?status=draft',
    ]) {
      const response = await cms.rest(path);
      expect(response.status, path).toBe(403);
      expect(JSON.stringify(response.body)).not.toContain(DRAFT_TITLE);
    }
    expect((await cms.rest(`/api/articles/${draftOnlyId}`)).status).toBe(404);
  });

  it('refuses every other question about drafts without credentials: publicationFilter, hasPublishedVersion, also inside populate', async () => {
    // PUBLISHED has a draft in progress: `publicationFilter=modified` named it to anyone (issue 21).
    for (const path of [
      '/api/articles?publicationFilter=modified',
      '/api/articles?status=published&publicationFilter=modified',
      '/api/articles?publicationFilter=never-published',
      '/api/articles?publicationFilter=published-with-draft',
      '/api/articles?hasPublishedVersion=true',
      '/api/articles?hasPublishedVersion=false',
      `/api/articles/${publishedId}?publicationFilter=modified`,
      '/api/topics?hasPublishedVersion=false&populate=articles',
      '/api/global?publicationFilter=modified',
    ]) {
      const response = await cms.rest(path);
      expect(response.status, path).toBe(403);
      expect(response.body.data ?? null, path).toBeNull();
      expect(response.body.error.message, path).toMatch(
        /^Drafts are not public \(this request asks about them with (publicationFilter|hasPublishedVersion)\)/,
      );
    }
    // Inside populate, Strapi's own query validation refuses them first (400, naming the key); the guard would next.
    for (const path of [
      '/api/articles?populate[topics][status]=draft',
      '/api/articles?populate[topics][publicationFilter]=modified',
      '/api/articles?populate[author][hasPublishedVersion]=false',
    ]) {
      const response = await cms.rest(path);
      expect([400, 403], path).toContain(response.status);
      expect(response.body.data ?? null, path).toBeNull();
      expect(response.body.error.message, path).toMatch(/status|publicationFilter|hasPublishedVersion/);
    }
    for (const query of [
      '{ articles(publicationFilter: MODIFIED) { slug } }',
      '{ articles(status: PUBLISHED, publicationFilter: PUBLISHED_WITH_DRAFT) { slug } }',
      '{ articles(hasPublishedVersion: false) { slug } }',
      '{ articles_connection(publicationFilter: MODIFIED) { pageInfo { total } } }',
      `{ article(documentId: "${publishedId}", publicationFilter: MODIFIED) { slug } }`,
      '{ topics(hasPublishedVersion: true) { slug articles { slug } } }',
      '{ global(publicationFilter: MODIFIED) { siteName } }',
    ]) {
      const response = await cms.graphql(query);
      expect(response.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      expect(response.errors?.[0]?.message, query).toMatch(
        // GraphQL hands hasPublishedVersion on as publicationFilter too: the message may name both.
        /^Drafts are not public \(this request asks about them with [^)]*(publicationFilter|hasPublishedVersion)\)/,
      );
      expect(JSON.stringify(response.data ?? null), query).not.toContain(PUBLISHED);
    }
    // Relations take no such arguments: GraphQL refuses them before anything runs.
    for (const query of [
      '{ articles { topics(status: DRAFT) { slug } } }',
      '{ articles { topics(publicationFilter: MODIFIED) { slug } } }',
    ]) {
      const response = await cms.graphql(query);
      expect(response.errors?.[0]?.extensions?.code, query).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    // An API token still may ask.
    const token = await cms.createApiToken('read-only');
    const modified = await cms.graphql<{ articles: Array<{ slug: string }> }>(
      `{ articles(${MINE_GRAPHQL}, publicationFilter: MODIFIED) { slug } }`,
      {},
      token,
    );
    expect(modified.errors).toBeUndefined();
    expect(modified.data!.articles.map((a) => a.slug)).toEqual([PUBLISHED]);
  });

  it('still lets an API token read drafts (the guard is about credentials, not a blanket ban)', async () => {
    const token = await cms.createApiToken('read-only');
    const response = await cms.graphql<{ articles: Array<{ title: string }> }>(
      `{ articles(${MINE_GRAPHQL}, status: DRAFT) { title } }`,
      {},
      token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.articles.map((a) => a.title).sort()).toEqual([DRAFT_TITLE, `${DRAFT_TITLE} 2`].sort());
  });

  it('exposes nothing else publicly', async () => {
    for (const query of [
      '{ usersPermissionsUsers { username email } }',
      '{ usersPermissionsRoles { name } }',
      '{ uploadFiles { name } }',
      '{ i18NLocales { code } }',
    ]) {
      const response = await cms.graphql(query);
      expect(response.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
    }
    // Content is edited in the admin only: there are no mutations for the site's types.
    const mutation = await cms.graphql('mutation { deleteArticle(documentId: "x") { documentId } }');
    expect(mutation.status).toBe(400);
    expect(mutation.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    expect((await cms.rest('/api/users')).status).toBe(403);
    const register = await cms.rest('/api/auth/local/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'mallory', email: 'mallory@example.com', password: 'Passw0rd!Passw0rd' }),
    });
    expect(register.status).toBe(403);
    for (const write of [
      ['POST', '/api/articles'],
      ['PUT', `/api/articles/${publishedId}`],
      ['DELETE', `/api/articles/${publishedId}`],
      ['PUT', '/api/global'],
    ] as const) {
      const response = await cms.rest(write[1], { method: write[0], headers: { 'content-type': 'application/json' }, body: '{"data":{}}' });
      expect([403, 404, 405], `${write[0]} ${write[1]}`).toContain(response.status);
    }
  });

  it('rejects a query deeper than 10 levels, and accepts one within the limit', async () => {
    const nest = (depth: number): string => (depth <= 1 ? 'name' : `users { role { ${nest(depth - 2)} } }`);
    const deep = await cms.graphql(`{ usersPermissionsRoles { ${nest(11)} } }`);
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0]?.message).toMatch(/exceeds maximum operation depth of 10/);

    const shallow = await cms.graphql(`{ usersPermissionsRoles { ${nest(7)} } }`);
    expect(shallow.errors?.[0]?.message ?? '').not.toMatch(/maximum operation depth/);
  });

  it('caps page size at 100 (maxLimit), over GraphQL and REST', async () => {
    const graphql = await cms.graphql<{ articles_connection: { pageInfo: { pageSize: number } } }>(
      '{ articles_connection(pagination: { pageSize: 1000 }) { pageInfo { pageSize } } }',
    );
    expect(graphql.errors).toBeUndefined();
    expect(graphql.data!.articles_connection.pageInfo.pageSize).toBe(100);

    const rest = await cms.rest('/api/articles?pagination[pageSize]=1000');
    expect(rest.body.meta.pagination.pageSize).toBe(100);
  });
});

// Settings are refused by the rule in cms/test/settings.test.ts; this is the one real boot the CMS refuses for
// them (secret files and the upload settings go through the same reader: compose.test.ts,
// operations.test.ts and tests/unit/uploads-settings.test.ts read them there): one start with two bad settings, both named at once.
describe('secrets and NODE_ENV, refused at boot', () => {
  let refusal: Error;
  beforeAll(async () => {
    // NODE_ENV unset, not blank: the child's environment has no NODE_ENV at all, as on a server where it was forgotten.
    const env = { NODE_ENV: undefined, APP_KEYS: 'toBeModified1,toBeModified2' } as unknown as Record<string, string>;
    refusal = await TestCms.boot({ env }).then(
      async (cms) => {
        await cms.destroy();
        return new Error('The CMS started with NODE_ENV unset and a placeholder APP_KEYS.');
      },
      (error: Error) => error,
    );
  });

  it('refuses to start with a placeholder secret, saying which one and what to do', () => {
    expect(refusal.message).toMatch(/APP_KEYS is missing or is a placeholder/);
    expect(refusal.message).not.toContain('toBeModified');
  });

  it('refuses to start with NODE_ENV unset (Strapi would run in development: sandbox, introspection, dev admin)', () => {
    expect(refusal.message).toMatch(/NODE_ENV must be set to "production" or "development", it is not set\./);
  });
});
