// Guards see paths as the routers behind them do (@agency/shared/server's route-path.ts). The facts about Strapi's
// router are checked against the router itself: Strapi's own copy of @koa/router, with routes mounted the way
// Strapi mounts them (a prefixed router per API), so a Strapi upgrade that changes what it treats as equal fails
// here. For every guarded path and every spelling, whatever the router serves, the guard must recognise.
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPath, isUnder, matchRoute, routePath } from '@agency/shared/server';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { CMS_DIR } from '../../scripts/common/paths.ts';
import { freePort } from '../../scripts/stack/ports.ts';

/** The spellings of a path a client can send, for a path given in its plain form. */
function spellings(plain: string): string[] {
  const [first, ...rest] = plain.slice(1).split('/');
  const encodeFirst = (segment: string) => `%${segment.charCodeAt(0).toString(16).toUpperCase()}${segment.slice(1)}`;
  return [
    plain,
    plain.toUpperCase(),
    `/${first!.toUpperCase()}/${rest.join('/')}`.replace(/\/$/, ''),
    `${plain}/`,
    `${plain}//`,
    `/${plain}`,
    `/${first}//${rest.join('/')}`.replace(/\/\/$/, '/'),
    `/${encodeFirst(first!)}${rest.length ? `/${rest.join('/')}` : ''}`,
    `/./${plain.slice(1)}`,
    `/x/..${plain}`,
    `${plain}?x=1`,
  ];
}

describe('routePath, isPath, isUnder, matchRoute', () => {
  it('folds case, trailing and repeated slashes, dot segments and encoded letters; nothing else', () => {
    expect(routePath('/API//Consultation-Requests/')).toBe('/api/consultation-requests');
    expect(routePath('/%61pi/%7Eme/%2e%2e/articles')).toBe('/api/articles');
    expect(routePath('/')).toBe('/');
    expect(routePath('')).toBe('/');
    expect(routePath('/upload?x=/api')).toBe('/upload');
    // An encoded slash stays inside its segment, as in every router; other escapes are kept.
    expect(routePath('/api%2Fconsultation-requests')).toBe('/api%2fconsultation-requests');
    expect(routePath('/a%20b')).toBe('/a%20b');
    expect(routePath('/a%2561')).toBe('/a%2561');
  });

  it('matches a path and a prefix in every spelling, and nothing beside them', () => {
    for (const spelling of spellings('/admin/register-admin')) expect(isPath(spelling, '/admin/register-admin'), spelling).toBe(true);
    expect(isPath('/admin/register-admins', '/admin/register-admin')).toBe(false);
    expect(isPath('/admin/register', '/admin/register-admin')).toBe(false);
    for (const spelling of spellings('/api/consultation-requests')) expect(isUnder(spelling, '/api'), spelling).toBe(true);
    expect(isUnder('/Api', '/api')).toBe(true);
    expect(isUnder('/apis/x', '/api')).toBe(false);
    expect(isUnder('/x/api', '/api')).toBe(false);
    expect(isUnder('/api%2Fx', '/api')).toBe(false);
  });

  it('reads route parameters with their case kept, decoded once', () => {
    expect(matchRoute('/Preview//articles/AbC123/', '/preview/articles/:documentId')).toEqual({ documentId: 'AbC123' });
    expect(matchRoute('/preview/articles/a%2Fb', '/preview/articles/:documentId')).toEqual({ documentId: 'a/b' });
    expect(matchRoute('/preview/articles/%2561', '/preview/articles/:documentId')).toEqual({ documentId: '%61' });
    expect(matchRoute('/preview/articles/%E0%A4%A', '/preview/articles/:documentId')).toBeNull();
    expect(matchRoute('/preview/articles/x/y', '/preview/articles/:documentId')).toBeNull();
    expect(matchRoute('/preview/articles', '/preview/articles/:documentId')).toBeNull();
  });
});

describe("Strapi's router (its own @koa/router), against the guards", () => {
  // Strapi's copy, as @strapi/core resolves it: the router that will serve these paths.
  const strapiRequire = createRequire(createRequire(path.join(CMS_DIR, 'package.json')).resolve('@strapi/core'));
  type Router = {
    post: (path: string, handler: (ctx: { body: unknown }) => void) => void;
    routes: () => unknown;
  };
  const Koa = strapiRequire('koa') as new () => { use: (middleware: unknown) => void; callback: () => http.RequestListener };
  const KoaRouter = strapiRequire('@koa/router') as new (options?: { prefix?: string }) => Router & { use: (...m: unknown[]) => void };

  // Every path a CMS guard decides by (cms/src/middlewares/body-limits.ts, cms/src/bootstrap/first-admin.ts), with
  // the prefix Strapi mounts it under and how the guard asks.
  const guarded = [
    { prefix: '/api', route: '/consultation-requests', guard: (p: string) => isUnder(p, '/api') },
    { prefix: '/api', route: '/consultation-requests/form', guard: (p: string) => isUnder(p, '/api') },
    { prefix: '', route: '/graphql', guard: (p: string) => isUnder(p, '/graphql') },
    { prefix: '/upload', route: '/', guard: (p: string) => isUnder(p, '/upload') },
    { prefix: '/upload', route: '/files/:id/replace', guard: (p: string) => isUnder(p, '/upload') },
    { prefix: '/admin', route: '/register-admin', guard: (p: string) => isPath(p, '/admin/register-admin') },
  ];
  const server = http.createServer();
  let base = '';

  beforeAll(async () => {
    const app = new Koa();
    const root = new KoaRouter();
    for (const { prefix, route } of guarded) {
      const api = new KoaRouter(prefix ? { prefix } : {});
      api.post(route, (ctx) => {
        ctx.body = 'served';
      });
      root.use(api.routes());
    }
    app.use(root.routes());
    server.on('request', app.callback());
    const port = await freePort();
    await listen(server, port);
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => closeServer(server));

  const served = async (pathname: string) => (await fetch(`${base}${pathname}`, { method: 'POST' })).status === 200;

  it('treats letter case and a trailing slash as the same path (what the guards must follow)', async () => {
    expect(await served('/API/consultation-requests')).toBe(true);
    expect(await served('/api/consultation-requests/')).toBe(true);
    expect(await served('/ADMIN/Register-Admin')).toBe(true);
    expect(await served('/Upload')).toBe(true);
  });

  it('serves no spelling of a guarded path that its guard does not recognise', async () => {
    let checked = 0;
    for (const { prefix, route, guard } of guarded) {
      const plain = `${prefix}${route === '/' ? '' : route.replace(':id', '7')}` || '/';
      for (const spelling of spellings(plain)) {
        if (await served(spelling)) {
          checked += 1;
          expect(guard(spelling), `${spelling}: served by the router, missed by the guard`).toBe(true);
        }
      }
    }
    // Each guarded path is served in several spellings (plain, upper case, trailing slash, with a query).
    expect(checked).toBeGreaterThanOrEqual(guarded.length * 4);
  });
});
