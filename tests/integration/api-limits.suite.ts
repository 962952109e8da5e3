// What one anonymous caller can cost the CMS, and what the public role can do: GraphQL's limits (aliases,
// tokens, cost, depth, directives, and the worst case with lists counted) refuse an abusive query before it
// runs, while the site's own queries pass; REST's populate stays shallow without credentials; bodies on the
// content API are small, uploads go to the admin's media library only (temporary files removed), an upload's
// body is read only for an admin and only up to UPLOAD_MAX_BYTES, and every spelling of a guarded path that
// Strapi's router serves is guarded the same; CORS never allows credentials; the Public role has exactly the
// actions docs/security.md lists.
// It runs in ./incremental.test.ts, on that file's CMS before any of its edits: a CMS of its own (it reads the
// process's /proc/<pid>/io and Strapi's temporary directory), started with apiLimitsEnv and at least
// LIMITS_ARTICLES published articles on the seeded topics (incremental's 240, generated in bulk at its first
// start), which is all this needs: no CMS boot of its own.
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildClientSchema, getIntrospectionQuery, parse, type IntrospectionQuery, type OperationDefinitionNode } from 'graphql';
import {
  ARTICLES_BY_ID_QUERY,
  ARTICLES_PAGE_QUERY,
  PAGE_SIZE,
  PREVIEW_ARTICLE_QUERY,
  PREVIEW_CTA_QUERY,
  SITE_CONTENT_QUERY,
} from '@agency/shared';
import type { TestCms } from '../support/cms.ts';
import { sleep } from '../../scripts/common/sleep.ts';

// The CMS is CommonJS, loaded by path so the root type check does not take cms/ in (as uploads-settings.test.ts).
const CMS_GRAPHQL = path.resolve(import.meta.dirname, '..', '..', 'cms', 'src', 'graphql');
type ListCostOptions = { maxCost: number; defaultLimit: number; maxLimit: number };
const { GRAPHQL_LIMITS, GRAPHQL_PAGES } = (await import(path.join(CMS_GRAPHQL, 'limits.ts'))) as {
  GRAPHQL_LIMITS: { listCost: number };
  GRAPHQL_PAGES: { defaultLimit: number; maxLimit: number };
};
const { operationCost } = (await import(path.join(CMS_GRAPHQL, 'list-cost.ts'))) as {
  operationCost: (
    schema: ReturnType<typeof buildClientSchema>,
    operation: OperationDefinitionNode,
    fragments: (name: string) => unknown,
    options: ListCostOptions,
  ) => number;
};

/**
 * Issue 21: at least 200 articles on the 3 seeded topics, as `npm run bench` generates them (straight into the
 * tables); the "100-article page" and the nested lists need more than 100.
 */
export const LIMITS_ARTICLES = 200;

/** Relation lists inside relation lists, `n` items each: at n = 30 it kept the CMS busy for 17 s and sent 22 MB. */
const nestedLists = (n: number) =>
  `{ articles(pagination: { limit: ${n} }) { topics { articles(pagination: { limit: ${n} }) { topics { ` +
  `articles(pagination: { limit: ${n} }) { slug title intro } } } } } }`;

const SITE = 'https://agency.example';
const MB = 1024 * 1024;

/** Bytes a process has read so far, sockets included (/proc/<pid>/io's rchar). */
const bytesRead = (pid: number) => Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);

type Streamed = { status: number; body: string; ms: number; serverRead: number; closedByServer: boolean };

/**
 * POSTs a body of `total` bytes (declared, or chunked when `total` is null), streamed in 64 KB chunks as fast as
 * the CMS takes them, over a keep-alive connection as a browser's; sending stops when the answer arrives. Says
 * how long the answer took and how many bytes the CMS process read from the start until the connection closed
 * (the server closes it, or after 5 s the test does, and says so).
 */
async function streamBody(cms: TestCms, pathname: string, total: number | null, headers: Record<string, string>): Promise<Streamed> {
  const agent = new http.Agent({ keepAlive: true });
  const before = bytesRead(cms.pid);
  const started = performance.now();
  try {
    return await new Promise<Streamed>((resolve, reject) => {
      const request = http.request(`${cms.url}${pathname}`, {
        method: 'POST',
        agent,
        headers: { connection: 'keep-alive', ...(total === null ? {} : { 'content-length': String(total) }), ...headers },
      });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      let answered = false;
      request.on('error', (error) => {
        if (!answered) reject(error);
      });
      request.on('response', (response) => {
        answered = true;
        const ms = performance.now() - started;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text: string) => (body += text));
        const socket = request.socket!;
        const timer = setTimeout(() => socket.destroy(new Error('kept open')), 5000);
        socket.once('close', () => {
          clearTimeout(timer);
          const closedByServer = !socket.errored || socket.errored.message !== 'kept open';
          resolve({ status: response.statusCode!, body, ms, serverRead: bytesRead(cms.pid) - before, closedByServer });
        });
      });
      const pump = () => {
        while (!answered && (total === null || sent < total)) {
          const piece = total === null ? chunk : chunk.subarray(0, Math.min(chunk.length, total - sent));
          sent += piece.length;
          if (!request.write(piece)) return void request.once('drain', pump);
        }
        if (!answered) request.end();
      };
      pump();
    });
  } finally {
    agent.destroy();
  }
}

/** Roles → users → role → …, `levels` times, with a few fields at each level. */
const chain = (levels: number): string =>
  levels === 0 ? 'name' : `name description type users { username email blocked role { ${chain(levels - 1)} } }`;

/** What the suite's CMS is started with: the site's origin (CORS), and Strapi's own temporary directory `tmp`. */
export const apiLimitsEnv = (tmp: string) => ({ SITE_URL: SITE, TMPDIR: tmp });

/**
 * The CMS the suite reads, started with apiLimitsEnv(tmp) and LIMITS_ARTICLES articles or more; `tmp` is Strapi's
 * temporary directory (uploads are parsed into it), to see what is left behind.
 */
export type LimitsTarget = { cms: TestCms; tmp: string };

/** The API limits, on `target()` (read once the suite starts: set by the file's beforeAll). */
export function apiLimitsSuite(target: () => LimitsTarget): void {
  describe('API limits', () => {
    let cms: TestCms;
    let tmp: string;

    beforeAll(async () => {
      ({ cms, tmp } = target());
      const { data } = await cms.graphql<{ articles_connection: { pageInfo: { total: number } } }>(
        '{ articles_connection { pageInfo { total } } }',
      );
      expect(data?.articles_connection.pageInfo.total, 'published articles on the API limits’ CMS').toBeGreaterThanOrEqual(LIMITS_ARTICLES);
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

      it('refuses relation lists inside relation lists by their worst case, before running them, in under 100 ms', async () => {
        expect((await cms.graphql('{ articles { slug } }')).errors).toBeUndefined();
        for (const query of [nestedLists(30), nestedLists(100), nestedLists(10)]) {
          // Three tries, the fastest counts: the machine may be busy with other work, the refusal is not.
          const times: number[] = [];
          for (let attempt = 0; attempt < 3; attempt++) {
            const started = performance.now();
            const response = await cms.graphql(query);
            times.push(performance.now() - started);
            expect(response.status).toBe(400);
            expect(response.data ?? null).toBeNull();
            expect(response.errors?.[0]?.message).toMatch(
              /^Query cost limit of 60,000 exceeded: this query may return [\d,]+ fields\. Each list counts as many items as its page may hold/,
            );
            if (attempt === 0) console.log(`nested lists (${/limit: (\d+)/.exec(query)![1]} each): ${response.errors![0]!.message}`);
          }
          console.log(`  refused in ${times.map((ms) => ms.toFixed(1)).join(', ')} ms`);
          expect(Math.min(...times)).toBeLessThan(100);
        }
        // Lists without a page size count the default (25): still far too many nested.
        const defaults = await cms.graphql('{ articles { topics { articles { topics { slug } } } } }');
        expect(defaults.errors?.[0]?.message).toMatch(/Query cost limit of 60,000 exceeded/);
        // One level of relation lists, as the site asks, passes and answers.
        const one = await cms.graphql<{ articles: Array<{ topics: unknown[] }> }>(
          `{ articles(pagination: { limit: 100 }) { slug topics(pagination: { limit: 100 }) { slug } } }`,
        );
        expect(one.errors).toBeUndefined();
        expect(one.data!.articles).toHaveLength(100);
      });

      it("keeps the build's largest query under the list cost limit (its worst case, on the CMS's own schema)", async () => {
        const introspection = await cms.graphql<IntrospectionQuery>(getIntrospectionQuery());
        expect(introspection.errors).toBeUndefined();
        const schema = buildClientSchema(introspection.data!);
        const options = { maxCost: GRAPHQL_LIMITS.listCost, ...GRAPHQL_PAGES };
        const costs = Object.entries({
          SITE_CONTENT_QUERY,
          ARTICLES_PAGE_QUERY,
          ARTICLES_BY_ID_QUERY,
          PREVIEW_ARTICLE_QUERY,
          PREVIEW_CTA_QUERY,
        }).map(([name, query]) => {
          const document = parse(query);
          const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
          const fragment = (wanted: string) => document.definitions.find((d) => d.kind === 'FragmentDefinition' && d.name.value === wanted);
          return [name, operationCost(schema, operation, fragment, options)] as const;
        });
        console.log(
          `worst-case cost of the site's queries (limit ${GRAPHQL_LIMITS.listCost}): ${costs.map(([n, c]) => `${n} ${c}`).join(', ')}`,
        );
        for (const [name, cost] of costs) expect(cost, name).toBeLessThanOrEqual(GRAPHQL_LIMITS.listCost);
        // The limit is what the build needs, not far more: the largest query uses most of it.
        expect(Math.max(...costs.map(([, cost]) => cost))).toBeGreaterThan(GRAPHQL_LIMITS.listCost * 0.9);
      });

      it("passes the site's own queries, the 100-article page included", async () => {
        const site = await cms.graphql(SITE_CONTENT_QUERY, { pageSize: PAGE_SIZE });
        expect(site.errors).toBeUndefined();
        expect(site.data).toMatchObject({ global: expect.any(Object), articles_connection: { pageInfo: { page: 1 } } });
        const page = await cms.graphql(ARTICLES_PAGE_QUERY, { page: 2, pageSize: PAGE_SIZE });
        expect(page.errors).toBeUndefined();
        const preview = await cms.graphql(PREVIEW_CTA_QUERY, { status: 'PUBLISHED' });
        expect(preview.errors).toBeUndefined();
        const byId = await cms.graphql(ARTICLES_BY_ID_QUERY, { documentIds: ['x'], pageSize: PAGE_SIZE });
        expect(byId.errors).toBeUndefined();
      });
    });

    describe('REST populate', () => {
      it('refuses without credentials a wildcard, a path deeper than 2, or two relations on one path, saying what is allowed', async () => {
        for (const [query, problem] of [
          ['populate=*', /"\*" populates everything/],
          ['populate=topics.articles', /"topics\.articles" crosses 2 relations, which multiply/],
          ['populate[topics][populate][articles][populate][topics]=true', /"topics\.articles\.topics" is 3 levels deep/],
          ['populate[topics][populate]=*', /"topics\.\*" populates everything/],
          ['populate[0]=cover&populate[1]=author.articles', /"author\.articles" crosses 2 relations/],
        ] as const) {
          const started = performance.now();
          const response = await cms.rest(`/api/articles?${query}`);
          const ms = performance.now() - started;
          expect(response.status, query).toBe(400);
          expect(response.body.data, query).toBeNull();
          expect(response.body.error.message, query).toMatch(problem);
          expect(response.body.error.message).toMatch(/Name each relation to include, at most 2 levels deep/);
          console.log(`REST ${query} refused in ${ms.toFixed(1)} ms`);
        }
        expect((await cms.rest('/api/topics?populate=articles.topics')).status).toBe(400);
      });

      it('still populates named relations 2 levels deep without credentials, and anything with an API token', async () => {
        const allowed = await cms.rest('/api/articles?populate[0]=topics&populate[1]=seo.shareImage&populate[2]=author.photo');
        expect(allowed.status).toBe(200);
        expect(allowed.body.data[0].topics.length).toBeGreaterThan(0);
        const token = await cms.createApiToken('read-only');
        const deep = await cms.rest('/api/articles?populate=topics.articles&pagination[pageSize]=1', {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(deep.status).toBe(200);
        expect(deep.body.data[0].topics[0].articles.length).toBeGreaterThan(0);
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
        // Refused for want of credentials before it is parsed, so no temporary file is written at all.
        expect((await upload()).status).toBe(401);
        const token = (await cms.rest('/admin/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: cms.env.ADMIN_EMAIL, password: cms.env.ADMIN_PASSWORD }),
        })) as { body: { data: { token: string } } };
        const accepted = await upload(`Bearer ${token.body.data.token}`);
        expect(accepted.status).toBe(201);
        // Strapi removes the parsed upload's file after answering: wait for that (not a sleep), then compare.
        const deadline = Date.now() + 5000;
        while (readdirSync(tmp).length !== before.length && Date.now() < deadline) await sleep(25);
        expect(readdirSync(tmp)).toEqual(before);
      });
    });

    describe('uploads: credentials before the body, and a size cap', () => {
      const multipart = { 'content-type': 'multipart/form-data; boundary=----agency-test' };
      const adminToken = async () =>
        (
          (await cms.rest('/admin/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: cms.env.ADMIN_EMAIL, password: cms.env.ADMIN_PASSWORD }),
          })) as { body: { data: { token: string } } }
        ).body.data.token;

      it('answers an anonymous 100 MB upload with 401 before reading its body, and closes the connection', async () => {
        // Warm up: the figure is the refusal, not the first request's start-up.
        expect((await cms.rest('/_health')).status).toBe(204);
        for (const [pathname, authorization] of [
          ['/upload', undefined],
          ['/UPLOAD/', undefined],
          ['/upload', 'Bearer not-a-token'],
        ] as const) {
          const answer = await streamBody(cms, pathname, 100 * MB, { ...multipart, ...(authorization ? { authorization } : {}) });
          console.log(
            `anonymous 100 MB upload to ${pathname}${authorization ? ' (a bad token)' : ''}: ${answer.status} in ${answer.ms.toFixed(1)} ms, ` +
              `${(answer.serverRead / 1024).toFixed(0)} KB read by the CMS`,
          );
          expect(answer.status, pathname).toBe(401);
          expect(JSON.parse(answer.body).error.message).toMatch(/Missing or invalid credentials: uploads are for signed-in admins/);
          expect(answer.ms, pathname).toBeLessThan(200);
          expect(answer.closedByServer, pathname).toBe(true);
          expect(answer.serverRead, pathname).toBeLessThan(MB);
        }
      });

      it("refuses an admin's upload over UPLOAD_MAX_BYTES (50 MB) with 413 before reading it, and one of unknown length with 411", async () => {
        const authorization = `Bearer ${await adminToken()}`;
        const tooLarge = await streamBody(cms, '/upload', 50 * MB + 1, { ...multipart, authorization });
        console.log(
          `admin's 50 MB + 1 byte upload: ${tooLarge.status} in ${tooLarge.ms.toFixed(1)} ms, ${(tooLarge.serverRead / 1024).toFixed(0)} KB read`,
        );
        expect(tooLarge.status).toBe(413);
        expect(JSON.parse(tooLarge.body).error.message).toBe(
          'This upload is 50 MB (52428801 bytes); an upload may be at most 50 MB (UPLOAD_MAX_BYTES=52428800).',
        );
        expect(tooLarge.serverRead).toBeLessThan(MB);
        const unknown = await streamBody(cms, '/upload', null, { ...multipart, authorization });
        expect(unknown.status).toBe(411);
        expect(JSON.parse(unknown.body).error.message).toBe('An upload needs a Content-Length header.');
        expect(unknown.serverRead).toBeLessThan(MB);

        // The counter does see a body the CMS reads: an admin's 2 MB upload is read, and stored.
        const before = bytesRead(cms.pid);
        const form = new FormData();
        form.append('files', new Blob([Buffer.alloc(2 * MB, 'b')], { type: 'text/plain' }), 'two-megabytes.txt');
        const accepted = await fetch(`${cms.url}/upload`, { method: 'POST', headers: { authorization }, body: form });
        expect(accepted.status).toBe(201);
        expect(bytesRead(cms.pid) - before).toBeGreaterThan(2 * MB);
      });
    });

    describe('every spelling of a guarded path', () => {
      // What Strapi's router serves as /api/consultation-requests, /graphql or /upload (case, a trailing slash), and
      // what it answers 404 only after strapi::body has read the body (repeated slashes, encoded letters, dot segments).
      const spell = (path: string) => {
        const [first, ...rest] = path.slice(1).split('/');
        const tail = rest.length ? `/${rest.join('/')}` : '';
        return [
          path.toUpperCase(),
          `/${first!.toUpperCase()}${tail}`,
          `${path}/`,
          `/${path}`,
          `/${first}/${tail}`,
          `/%${first!.charCodeAt(0).toString(16)}${first!.slice(1)}${tail}`,
          `/x/..${path}`,
        ];
      };
      const json = { 'content-type': 'application/json' };
      const bigJson = JSON.stringify({ data: { name: 'Ada', email: 'ada@example.com', consent: true, message: 'x'.repeat(600 * 1024) } });

      it('keeps the 100 KB limit (413) and the length rule (411) on the content API and the form, however the path is written', async () => {
        for (const target of [...spell('/api/consultation-requests'), ...spell('/api/consultation-requests/form'), ...spell('/graphql')]) {
          const large = await cms.rest(target, { method: 'POST', headers: json, body: bigJson });
          expect(large.status, target).toBe(413);
          const chunked = await fetch(`${cms.url}${target}`, {
            method: 'POST',
            headers: json,
            body: new Blob([JSON.stringify({ data: { name: 'Ada' } })]).stream(),
            duplex: 'half',
          } as RequestInit);
          expect(chunked.status, target).toBe(411);
        }
      });

      it('refuses multipart off the upload routes (415), and an anonymous upload (401), however the path is written', async () => {
        const form = () => {
          const body = new FormData();
          body.append('files', new Blob(['x'.repeat(10_000)], { type: 'text/plain' }), 'note.txt');
          return body;
        };
        for (const target of [...spell('/api/upload'), ...spell('/api/consultation-requests')]) {
          expect((await cms.rest(target, { method: 'POST', body: form() })).status, target).toBe(415);
        }
        for (const target of [...spell('/upload'), ...spell('/upload/files/1/replace')]) {
          expect((await cms.rest(target, { method: 'POST', body: form() })).status, target).toBe(401);
        }
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
}
