// The CMS is closed by default: in production nobody becomes the admin by being first. Followed on ONE production
// CMS from its first start on an empty database, restarted with the settings an operator changes, because each
// step is about what a database without (then with) an admin does: without ADMIN_EMAIL / ADMIN_PASSWORD there is
// no admin and /admin/register-admin stays shut in every spelling Strapi's router would take; with both, the first
// admin is created and logs in, and the production CMS serves content with its limits and its rebuild webhook;
// restarted without ADMIN_PASSWORD it still starts. Three starts, each one the proof needs (was five). The
// restarts also follow the rebuild webhook (from webhook-registration.test.ts, which reads it on the shared CMS):
// registered at the first start, still one and updated in place when the settings change, removed when REBUILD_URL
// is unset. Refusals are rules proved by unit tests: ADMIN_EMAIL without ADMIN_PASSWORD while no admin exists
// (cms/test/first-admin.test.ts, the rule src/bootstrap/first-admin.ts applies with what the database says), a
// weak ADMIN_PASSWORD (cms/test/settings.test.ts); security.test.ts boots the one real refused start.
// It is also the run's one first start whose seed a test follows (from seed.test.ts, which reads the seed on the
// shared CMSes, all copies of another first start): the first start seeded exactly the client's content and
// nothing more, the restart without ADMIN_PASSWORD neither undoes an editor's published change nor brings back
// an article they deleted (the seed runs on the first start only), and `npm run seed` restores what is missing.
// One database, Postgres when the run has it (what production runs on), SQLite otherwise.
// @test-lane: own
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArticleSchema,
  AuthorSchema,
  ConsultationCtaSchema,
  PAGE_SIZE,
  SITE_CONTENT_QUERY,
  SiteSettingsSchema,
  TopicSchema,
  UID,
  parseEntry,
  type SiteContentResult,
} from '@agency/shared';
import { run } from '../../scripts/common/children.ts';
import { CMS_DIR } from '../../scripts/common/paths.ts';
import { CmsAdmin, withoutSystemFields } from '../../scripts/stack/cms-admin.ts';
import { TestCms } from '../support/cms.ts';
import { DATABASES } from '../support/databases.ts';
import { asKitParagraphs, kitParagraphs } from '../support/kit.ts';

const EMAIL = 'ops@example.com';
const PASSWORD = 'Wq7-first-Boss-Zk3x';
const HOOK_URL = 'http://127.0.0.1:4999/hooks/strapi';
const NEW_HOOK_URL = 'http://127.0.0.1:5000/hooks/strapi';

const json = { 'content-type': 'application/json' };
/** A test that starts Strapi (each step here restarts it; `npm run seed` loads it) gets a hook's time limit (vitest.config.ts): boots are slow on a busy machine. */
const STARTS_STRAPI = 300_000;

const database = DATABASES.includes('postgres') ? 'postgres' : 'sqlite';

async function siteContent(cms: TestCms) {
  const response = await cms.graphql<SiteContentResult>(SITE_CONTENT_QUERY, { pageSize: PAGE_SIZE });
  expect(response.errors).toBeUndefined();
  return response.data!;
}

async function login(cms: TestCms, email: string, password: string) {
  return cms.rest('/admin/login', { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
}

/** The rebuild webhooks the admin lists (the first admin signs in for it). */
async function rebuildWebhooks(cms: TestCms) {
  const token = (await login(cms, EMAIL, PASSWORD)).body.data.token as string;
  const list = await cms.rest('/admin/webhooks', { headers: { authorization: `Bearer ${token}` } });
  expect(list.status).toBe(200);
  return (list.body.data as Array<{ name: string; url: string; headers: Record<string, string> }>).filter((hook) =>
    /^Site rebuild/.test(hook.name),
  );
}

describe(`the first admin in production (one CMS from its first start, ${database})`, () => {
  let cms: TestCms;
  beforeAll(async () => {
    cms = await TestCms.boot({
      database,
      fresh: true,
      env: { NODE_ENV: 'production', ADMIN_EMAIL: '', ADMIN_PASSWORD: '', REBUILD_URL: HOOK_URL, WEBHOOK_TOKEN: 'prod-token-0123456789' },
    });
  });
  afterAll(async () => {
    await cms?.destroy();
  });

  it('without ADMIN_EMAIL / ADMIN_PASSWORD has no admin, and keeps /admin/register-admin shut, however it is written: 403 saying how the first admin is made', async () => {
    expect((await cms.rest('/admin/init')).body.data.hasAdmin).toBe(false);
    // Strapi's router takes the first four for the route itself (case, a trailing slash); the guard takes more.
    for (const path of [
      '/admin/register-admin',
      '/admin/register-admin/',
      '/ADMIN/register-admin',
      '/Admin/Register-Admin/',
      '/admin//register-admin',
      '/%61dmin/register-admin',
    ]) {
      const register = await cms.rest(path, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'first@example.com', password: 'Fr3shGuess0fMine', firstname: 'First', lastname: 'Comer' }),
      });
      expect(register.status, path).toBe(403);
      expect(register.body.error.message).toMatch(/Registration is closed in production.*ADMIN_EMAIL and ADMIN_PASSWORD/);
    }
    expect((await cms.rest('/admin/init')).body.data.hasAdmin).toBe(false);
  });

  it(
    'creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, who can log in; nobody can register one',
    async () => {
      // The first start registered the rebuild webhook (read in its log: the admin API needs an admin).
      expect(
        cms.output.filter((line) => line.includes(`Rebuild webhook → ${HOOK_URL}`)),
        "the first start's log",
      ).toHaveLength(1);
      cms.env.ADMIN_EMAIL = EMAIL;
      cms.env.ADMIN_PASSWORD = PASSWORD;
      // The operator moves the rebuild service at the same time (the webhook test below).
      cms.env.REBUILD_URL = NEW_HOOK_URL;
      cms.env.WEBHOOK_TOKEN = 'second-token-0123456789';
      await cms.restart();
      expect((await cms.rest('/admin/init')).body.data.hasAdmin).toBe(true);
      const signedIn = await login(cms, EMAIL, PASSWORD);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.data.user.email).toBe(EMAIL);
      expect(typeof signedIn.body.data.token).toBe('string');

      const register = await cms.rest('/admin/register-admin', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: 'first@example.com', password: 'Fr3shGuess0fMine', firstname: 'First', lastname: 'Comer' }),
      });
      expect(register.status).toBe(403);
      expect(register.body.error.message).toMatch(/first admin is created at boot from ADMIN_EMAIL and ADMIN_PASSWORD/);
    },
    STARTS_STRAPI,
  );

  it('turns off GraphQL introspection and the sandbox landing page', async () => {
    const introspection = await cms.graphql('{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection is not allowed/i);

    const page = await fetch(`${cms.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await page.text()).not.toMatch(/<html/i);
  });

  it('still serves published content', async () => {
    const response = await cms.graphql<{ articles: Array<{ slug: string }> }>('{ articles { slug } }');
    expect(response.data?.articles.map((a) => a.slug)).toEqual(['sales-vs-marketing']);
  });

  it('seeded exactly the client’s content at its first start: the article, the agency as its author, three topics', async () => {
    const data = await siteContent(cms);
    expect(data.articles_connection.pageInfo.total).toBe(1);
    const article = parseEntry(ArticleSchema, data.articles_connection.nodes[0], 'seeded article');
    expect(article.slug).toBe('sales-vs-marketing');
    expect(asKitParagraphs(article, parseEntry(ConsultationCtaSchema, data.consultationCta, 'seeded CTA'))).toEqual(kitParagraphs());
    expect(data.authors_connection.nodes.map((raw) => parseEntry(AuthorSchema, raw, 'an author').slug)).toEqual(['branding-agency']);
    expect(data.topics_connection.pageInfo.total).toBe(3);
    expect(data.topics_connection.nodes.map((raw) => parseEntry(TopicSchema, raw, 'a topic').name)).toEqual([
      'Marketing',
      'Sales',
      'Strategy',
    ]);
    const authors = await cms.rest('/api/authors?populate=articles');
    expect(authors.status).toBe(200);
    expect(
      authors.body.data.map((a: { slug: string; articles: Array<{ slug: string }> }) => [a.slug, a.articles.map((x) => x.slug)]),
    ).toEqual([['branding-agency', ['sales-vs-marketing']]]);
  });

  it('registers the rebuild webhook in production mode too, with a localhost URL (the admin would refuse one), once across boots, updated in place when its settings change', async () => {
    // Registered at the first boot (its log, above), then booted again with another URL and token: still exactly
    // one, with the new settings.
    const hooks = await rebuildWebhooks(cms);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ url: NEW_HOOK_URL, headers: { Authorization: 'Bearer second-token-0123456789' } });
  });

  it('lets the first admin publish a change to the seeded Global and delete the seeded article (for the restart below)', async () => {
    // As in the admin panel (cms.editor knows only the variables: blank at the first boot).
    const editor = new CmsAdmin(cms.url, { email: EMAIL, password: PASSWORD });
    const global = `/content-manager/single-types/${UID.global}`;
    const draft = withoutSystemFields((await editor.request('GET', global)).data as Record<string, unknown>);
    await editor.request('POST', `${global}/actions/publish`, { ...draft, siteName: 'An editor’s site name' });
    await editor.deleteArticle((await editor.findArticle('sales-vs-marketing')).documentId);
    const data = await siteContent(cms);
    expect(parseEntry(SiteSettingsSchema, data.global, 'global').siteName).toBe('An editor’s site name');
    expect(data.articles_connection.pageInfo.total).toBe(0);
  });

  it(
    'needs ADMIN_PASSWORD only until the first admin exists: restarted without it, the CMS starts and the admin logs in',
    async () => {
      // The operator removes the first password from the server's settings once the admin exists (and stops
      // rebuilding the site on publish: the last test).
      cms.env.ADMIN_PASSWORD = '';
      delete cms.env.REBUILD_URL;
      await cms.restart();
      const signedIn = await login(cms, EMAIL, PASSWORD);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.data.token).toBeTruthy();
    },
    STARTS_STRAPI,
  );

  it('keeps the editor’s published change across the restart, and does not bring back the deleted article', async () => {
    const data = await siteContent(cms);
    expect(parseEntry(SiteSettingsSchema, data.global, 'global').siteName).toBe('An editor’s site name');
    expect(data.articles_connection.pageInfo.total).toBe(0);
  });

  it(
    '`npm run seed` restores what is missing, and keeps what is there',
    async () => {
      const seeded = await run(process.execPath, [path.join(CMS_DIR, 'scripts', 'seed.mts')], { cwd: CMS_DIR, env: cms.env });
      expect(seeded.output).toContain('created article "sales-vs-marketing"');
      expect(seeded.output).toContain(
        'kept author "branding-agency", topic "sales", topic "marketing", topic "strategy", consultation CTA, global settings',
      );
      expect(seeded.code).toBe(0);

      const data = await siteContent(cms);
      const restored = parseEntry(ArticleSchema, data.articles_connection.nodes[0], 'restored article');
      // Linked again to the author and topics that were kept.
      expect(restored.author?.slug).toBe('branding-agency');
      expect(restored.topics.map((topic) => topic.slug)).toEqual(['marketing', 'sales', 'strategy']);
      expect(asKitParagraphs(restored, parseEntry(ConsultationCtaSchema, data.consultationCta, 'CTA'))).toEqual(kitParagraphs());
      // What was there stays as the editor left it.
      expect(parseEntry(SiteSettingsSchema, data.global, 'global').siteName).toBe('An editor’s site name');
    },
    STARTS_STRAPI,
  );

  it('removes the rebuild webhook when REBUILD_URL is unset (the restart above)', async () => {
    expect(await rebuildWebhooks(cms)).toHaveLength(0);
  });
});
