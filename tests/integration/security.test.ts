// The public API reads published site content and nothing else; GraphQL's limits hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleArticle, TestCms } from '../support/cms.ts';
import { DATABASES } from '../support/databases.ts';

const DRAFT_TITLE = 'UNPUBLISHED DRAFT TITLE';

describe.each(DATABASES)('public API (%s)', (database) => {
  let cms: TestCms;
  let seededId: string;
  let draftOnlyId: string;

  beforeAll(async () => {
    cms = await TestCms.boot({ database });
    seededId = (await cms.editor.findArticle('sales-vs-marketing')).documentId;
    await cms.editor.saveDraft(seededId, { title: DRAFT_TITLE });
    draftOnlyId = await cms.editor.createArticle(sampleArticle('never-published', `${DRAFT_TITLE} 2`), { publish: false });
  });
  afterAll(async () => {
    await cms?.destroy();
  });

  it('serves only the published version by default', async () => {
    const graphql = await cms.graphql<{ articles: Array<{ slug: string; title: string }> }>('{ articles { slug title } }');
    expect(graphql.errors).toBeUndefined();
    expect(graphql.data!.articles.map((a) => a.slug)).toEqual(['sales-vs-marketing']);
    expect(JSON.stringify(graphql)).not.toContain(DRAFT_TITLE);

    const rest = await cms.rest('/api/articles');
    expect(rest.status).toBe(200);
    expect(rest.body.data.map((a: { slug: string }) => a.slug)).toEqual(['sales-vs-marketing']);
    expect(JSON.stringify(rest.body)).not.toContain(DRAFT_TITLE);
  });

  it('refuses drafts over GraphQL without credentials', async () => {
    for (const query of [
      '{ articles(status: DRAFT) { slug title } }',
      '{ articles_connection(status: DRAFT) { nodes { title } } }',
      `{ article(documentId: "${seededId}", status: DRAFT) { title } }`,
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
      `/api/articles/${seededId}?status=DRAFT`,
      '/api/global?status=x',
      `/api/articles/${seededId}?status=draft`,
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
    // The seeded article has a draft in progress: `publicationFilter=modified` named it to anyone (issue 21).
    for (const path of [
      '/api/articles?publicationFilter=modified',
      '/api/articles?status=published&publicationFilter=modified',
      '/api/articles?publicationFilter=never-published',
      '/api/articles?publicationFilter=published-with-draft',
      '/api/articles?hasPublishedVersion=true',
      '/api/articles?hasPublishedVersion=false',
      `/api/articles/${seededId}?publicationFilter=modified`,
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
      `{ article(documentId: "${seededId}", publicationFilter: MODIFIED) { slug } }`,
      '{ topics(hasPublishedVersion: true) { slug articles { slug } } }',
      '{ global(publicationFilter: MODIFIED) { siteName } }',
    ]) {
      const response = await cms.graphql(query);
      expect(response.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      expect(response.errors?.[0]?.message, query).toMatch(
        // GraphQL hands hasPublishedVersion on as publicationFilter too: the message may name both.
        /^Drafts are not public \(this request asks about them with [^)]*(publicationFilter|hasPublishedVersion)\)/,
      );
      expect(JSON.stringify(response.data ?? null), query).not.toContain('sales-vs-marketing');
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
      '{ articles(publicationFilter: MODIFIED) { slug } }',
      {},
      token,
    );
    expect(modified.errors).toBeUndefined();
    expect(modified.data!.articles.map((a) => a.slug)).toEqual(['sales-vs-marketing']);
  });

  it('still lets an API token read drafts (the guard is about credentials, not a blanket ban)', async () => {
    const token = await cms.createApiToken('read-only');
    const response = await cms.graphql<{ articles: Array<{ title: string }> }>('{ articles(status: DRAFT) { title } }', {}, token);
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
      ['PUT', `/api/articles/${seededId}`],
      ['DELETE', `/api/articles/${seededId}`],
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

describe('production mode', () => {
  let cms: TestCms;
  beforeAll(async () => {
    cms = await TestCms.boot({ env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await cms?.destroy();
  });

  it('turns off GraphQL introspection and the sandbox landing page', async () => {
    const introspection = await cms.graphql('{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection is not allowed/i);

    const page = await fetch(`${cms.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await page.text()).not.toMatch(/<html/i);
  });

  it('creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, who can log in; nobody can register one', async () => {
    const init = await cms.rest('/admin/init');
    expect(init.body.data.hasAdmin).toBe(true);
    const json = { 'content-type': 'application/json' };
    const login = await cms.rest('/admin/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: cms.env.ADMIN_EMAIL, password: cms.env.ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    expect(login.body.data.user.email).toBe(cms.env.ADMIN_EMAIL!.toLowerCase());
    expect(typeof login.body.data.token).toBe('string');

    const register = await cms.rest('/admin/register-admin', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'first@example.com', password: 'Fr3shGuess0fMine', firstname: 'First', lastname: 'Comer' }),
    });
    expect(register.status).toBe(403);
    expect(register.body.error.message).toMatch(/first admin is created at boot from ADMIN_EMAIL and ADMIN_PASSWORD/);
  });

  it('still serves published content', async () => {
    const response = await cms.graphql<{ articles: Array<{ slug: string }> }>('{ articles { slug } }');
    expect(response.data?.articles.map((a) => a.slug)).toEqual(['sales-vs-marketing']);
  });
});

describe('secrets', () => {
  it('refuses to start with a placeholder secret, saying which one and what to do', async () => {
    await expect(TestCms.boot({ env: { NODE_ENV: 'production', APP_KEYS: 'toBeModified1,toBeModified2' } })).rejects.toThrow(
      /APP_KEYS is missing or is a placeholder/,
    );
  });

  it('refuses to start with NODE_ENV unset (Strapi would run in development: sandbox, introspection, dev admin)', async () => {
    // Unset, not blank: the child's environment has no NODE_ENV at all, as on a server where it was forgotten.
    const unset = { NODE_ENV: undefined } as unknown as Record<string, string>;
    await expect(TestCms.boot({ env: unset })).rejects.toThrow(/NODE_ENV must be set to "production" or "development", it is not set\./);
  });
});
