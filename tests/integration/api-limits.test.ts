// What one anonymous caller can cost the CMS, and what the public role can do: GraphQL's limits (aliases,
// tokens, cost, depth, directives) refuse an abusive query before it runs, while the site's own queries pass;
// bodies on the content API are small, uploads go to the admin's media library only (temporary files removed);
// CORS never allows credentials; the Public role has exactly the actions docs/security.md lists.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLES_PAGE_QUERY, PAGE_SIZE, PREVIEW_CTA_QUERY, SITE_CONTENT_QUERY } from '@agency/shared';
import { TestCms } from '../support/cms.ts';
import { sleep } from '../../scripts/common/sleep.ts';

const SITE = 'https://agency.example';

/** Roles → users → role → …, `levels` times, with a few fields at each level. */
const chain = (levels: number): string =>
  levels === 0 ? 'name' : `name description type users { username email blocked role { ${chain(levels - 1)} } }`;

describe('API limits', () => {
  let cms: TestCms;
  let tmp: string;

  beforeAll(async () => {
    // Strapi's own temporary directory (uploads are parsed into it), to see what is left behind.
    tmp = mkdtempSync(path.join(tmpdir(), 'agency-cms-tmp-'));
    cms = await TestCms.boot({ env: { SITE_URL: SITE, TMPDIR: tmp } });
  });
  afterAll(async () => {
    await cms?.destroy();
    rmSync(tmp, { recursive: true, force: true });
  });

  describe('GraphQL', () => {
    it('refuses a query with 2,000 aliases with a GraphQL error naming the limit, quickly', async () => {
      // Warm up first: the figure is what the query costs, not the first request's start-up.
      expect((await cms.graphql('{ articles { slug } }')).errors).toBeUndefined();
      const aliases = Array.from({ length: 2000 }, (_, i) => `a${i}: articles { slug title }`).join('\n');
      const started = performance.now();
      const response = await cms.graphql(`{ ${aliases} }`);
      const ms = performance.now() - started;
      console.log(`2,000-alias query refused in ${ms.toFixed(1)} ms`);
      expect(response.data ?? null).toBeNull();
      // 2,000 aliases take over 12,000 tokens: the parser stops at the 2,001st, before anything is validated or run.
      expect(response.errors?.[0]?.message).toMatch(/Token limit of 2000 exceeded|Aliases limit of 30 exceeded/);
      expect(ms).toBeLessThan(1000);
    });

    it('refuses too many tokens, directives, cost or depth, saying which limit', async () => {
      const cases: Array<[string, RegExp]> = [
        [`{ ${Array.from({ length: 31 }, (_, i) => `a${i}: articles { slug }`).join(' ')} }`, /Aliases limit of 30 exceeded, found 31/],
        [`{ articles { ${'slug '.repeat(2100)} } }`, /Token limit of 2000 exceeded/],
        [`{ articles { slug ${'@include(if: true) '.repeat(25)} } }`, /Directives limit of 20 exceeded/],
        // Within the alias, token and depth limits, but each level multiplies the cost.
        [
          `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: usersPermissionsRoles { ${chain(4)} }`).join(' ')} }`,
          /Query Cost limit of 5000 exceeded/,
        ],
        [`{ usersPermissionsRoles { ${chain(5)} } }`, /maximum operation depth of 10|Query depth limit of 10 exceeded/],
      ];
      for (const [query, message] of cases) {
        const response = await cms.graphql(query);
        expect(response.data ?? null, String(message)).toBeNull();
        expect(response.errors?.map((error) => error.message).join('\n'), String(message)).toMatch(message);
      }
    });

    it("passes the site's own queries, the 100-article page included", async () => {
      const site = await cms.graphql(SITE_CONTENT_QUERY, { pageSize: PAGE_SIZE });
      expect(site.errors).toBeUndefined();
      expect(site.data).toMatchObject({ global: expect.any(Object), articles_connection: { pageInfo: { page: 1 } } });
      const page = await cms.graphql(ARTICLES_PAGE_QUERY, { page: 2, pageSize: PAGE_SIZE });
      expect(page.errors).toBeUndefined();
      const preview = await cms.graphql(PREVIEW_CTA_QUERY, { status: 'PUBLISHED' });
      expect(preview.errors).toBeUndefined();
    });
  });

  describe('request bodies', () => {
    const form = { data: { name: 'Ada', email: 'ada@example.com', consent: true, message: 'x'.repeat(200 * 1024) } };

    it('refuses an oversized JSON body on the content API with 413, REST and GraphQL', async () => {
      const rest = await cms.rest('/api/consultation-requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(form),
      });
      expect(rest.status).toBe(413);
      const graphql = await cms.rest('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ articles { slug } } # ${'x'.repeat(200 * 1024)}` }),
      });
      expect(graphql.status).toBe(413);
    });

    it('refuses a content-API body of unknown length (411)', async () => {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(JSON.stringify({ data: { name: 'Ada' } })));
          controller.close();
        },
      });
      const response = await fetch(`${cms.url}/api/consultation-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(411);
    });

    it('refuses multipart on the content API (415), writing no temporary file', async () => {
      const before = readdirSync(tmp);
      for (const target of ['/api/consultation-requests', '/api/upload', '/graphql']) {
        const body = new FormData();
        body.append('data', JSON.stringify(form.data));
        body.append('files', new Blob(['x'.repeat(10_000)], { type: 'text/plain' }), 'note.txt');
        const response = await cms.rest(target, { method: 'POST', body });
        expect(response.status, target).toBe(415);
      }
      expect(readdirSync(tmp)).toEqual(before);
    });

    it("accepts an editor's upload on the admin's /upload, and leaves no temporary file behind, also when refused", async () => {
      const before = readdirSync(tmp);
      const upload = (authorization?: string) => {
        const body = new FormData();
        body.append('files', new Blob(['a small text file'], { type: 'text/plain' }), 'note.txt');
        return cms.rest('/upload', { method: 'POST', body, headers: authorization ? { authorization } : {} });
      };
      // Parsed, then refused for want of credentials: Strapi's own clean-up would skip this one.
      expect([401, 403]).toContain((await upload()).status);
      const token = (await cms.rest('/admin/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: cms.env.ADMIN_EMAIL, password: cms.env.ADMIN_PASSWORD }),
      })) as { body: { data: { token: string } } };
      const accepted = await upload(`Bearer ${token.body.data.token}`);
      expect(accepted.status).toBe(201);
      await sleep(500);
      expect(readdirSync(tmp)).toEqual(before);
    });
  });

  describe('CORS', () => {
    it('never allows credentials, REST or GraphQL, preflight or not', async () => {
      const answers = [
        await fetch(`${cms.url}/api/articles`, { headers: { origin: SITE } }),
        await fetch(`${cms.url}/api/consultation-requests`, {
          method: 'OPTIONS',
          headers: { origin: SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        }),
        await fetch(`${cms.url}/graphql`, {
          method: 'POST',
          headers: { origin: SITE, 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ articles { slug } }' }),
        }),
        await fetch(`${cms.url}/graphql`, {
          method: 'OPTIONS',
          headers: { origin: SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        }),
      ];
      for (const response of answers) {
        expect(response.headers.get('access-control-allow-origin'), response.url).toBe(SITE);
        expect(response.headers.get('access-control-allow-credentials'), response.url).toBeNull();
      }
    });
  });

  describe('the Public role', () => {
    it('may read published site content and send the form: exactly these actions, nothing else', async () => {
      const roles = (await cms.admin('GET', '/users-permissions/roles')) as { roles: Array<{ id: number; type: string }> };
      const publicRole = roles.roles.find((role) => role.type === 'public')!;
      const detail = (await cms.admin('GET', `/users-permissions/roles/${publicRole.id}`)) as {
        role: { permissions: Record<string, { controllers: Record<string, Record<string, { enabled: boolean }>> }> };
      };
      const enabled: string[] = [];
      for (const [type, { controllers }] of Object.entries(detail.role.permissions))
        for (const [controller, actions] of Object.entries(controllers))
          for (const [action, { enabled: on }] of Object.entries(actions)) if (on) enabled.push(`${type}.${controller}.${action}`);
      expect(enabled.sort()).toEqual(
        [
          'api::article.article.find',
          'api::article.article.findOne',
          'api::author.author.find',
          'api::author.author.findOne',
          'api::topic.topic.find',
          'api::topic.topic.findOne',
          'api::consultation-cta.consultation-cta.find',
          'api::global.global.find',
          'api::consultation-request.consultation-request.create',
        ].sort(),
      );
    });
  });
});
