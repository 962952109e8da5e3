// The parts of the CMS client that need no server: configuration, error wording, and validation of what
// the CMS returned. Requests against a real Strapi are covered by the integration and e2e tests.
import { InvalidContentError, seed, type ArticlesPageResult, type SiteContentResult } from '@agency/shared';
import { ClientError } from 'graphql-request';
import { describe, expect, it } from 'vitest';
import { CmsError, cmsConfig, describeCmsFailure, toSiteContent, type CmsConfig } from '../src/lib/cms.ts';

describe('cmsConfig', () => {
  it('defaults to the local Strapi, no token, a 30 s timeout', () => {
    expect(cmsConfig({})).toEqual({
      url: 'http://127.0.0.1:1337',
      endpoint: 'http://127.0.0.1:1337/graphql',
      token: null,
      timeoutMs: 30_000,
    });
  });

  it('reads CMS_URL (dropping trailing slashes), CMS_TOKEN and CMS_TIMEOUT_MS', () => {
    expect(cmsConfig({ CMS_URL: 'https://cms.example.com/', CMS_TOKEN: ' abc ', CMS_TIMEOUT_MS: '5000' })).toEqual({
      url: 'https://cms.example.com',
      endpoint: 'https://cms.example.com/graphql',
      token: 'abc',
      timeoutMs: 5000,
    });
    expect(cmsConfig({ CMS_URL: 'http://host:8080/strapi//' }).endpoint).toBe('http://host:8080/strapi/graphql');
    expect(cmsConfig({ CMS_URL: '  ', CMS_TOKEN: '' })).toMatchObject({ url: 'http://127.0.0.1:1337', token: null });
  });

  it.each(['localhost:1337', 'ftp://cms.example.com', 'not a url', 'http://user:pw@cms', 'http://cms/?x=1'])('rejects CMS_URL=%j with a clear error', (url) => {
    expect(() => cmsConfig({ CMS_URL: url })).toThrow(CmsError);
    try {
      cmsConfig({ CMS_URL: url });
    } catch (error) {
      expect(error).toMatchObject({ name: 'CmsError', kind: 'config' });
      expect((error as Error).message).toMatch(/^CMS_URL must be/);
      // The URL is quoted back, except any credentials in it: messages reach logs and the public /status.
      expect((error as Error).message).toContain(url.replace('user:pw@', '***@'));
      expect((error as Error).message).not.toContain('user:pw');
    }
  });

  it('rejects a timeout that is not a positive number', () => {
    expect(() => cmsConfig({ CMS_TIMEOUT_MS: 'soon' })).toThrow(/CMS_TIMEOUT_MS must be a positive number/);
    expect(() => cmsConfig({ CMS_TIMEOUT_MS: '0' })).toThrow(CmsError);
  });
});

describe('describeCmsFailure', () => {
  const config: CmsConfig = cmsConfig({});
  const withToken: CmsConfig = { ...config, token: 'secret' };
  const systemError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1337`), { code });
  const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
  const clientError = (status: number, errors?: Array<{ message: string; extensions?: { code: string } }>, body = '') =>
    new ClientError({ status, headers: new Headers(), body, ...(errors ? { errors: errors as never } : {}) }, { query: 'query { x }' });

  it.each([
    ['ECONNREFUSED', fetchFailed(systemError('ECONNREFUSED'))],
    ['ENOTFOUND', fetchFailed(systemError('ENOTFOUND'))],
    ['ECONNREFUSED', fetchFailed(Object.assign(new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')]), { code: 'ECONNREFUSED' }))],
    ['ECONNREFUSED', fetchFailed(new AggregateError([systemError('ECONNREFUSED')]))],
    ['no answer within 30 s', new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
    ['bad port', fetchFailed(new Error('bad port'))],
  ])('says the CMS cannot be reached (%s) and how to start it', (cause, error) => {
    const described = describeCmsFailure(error, config);
    expect(described).toBeInstanceOf(CmsError);
    expect(described.name).toBe('CmsError');
    expect(described.kind).toBe('unreachable');
    expect(described.message).toBe(
      `Cannot reach the CMS at http://127.0.0.1:1337 (${cause}). Is Strapi running? ('npm start' starts it; CMS_URL points elsewhere.)`,
    );
    expect(described.cause).toBe(error);
  });

  it('says a rejected token must be replaced or unset', () => {
    const described = describeCmsFailure(clientError(401, undefined, '{"error":{"message":"Missing or invalid credentials"}}'), withToken);
    expect(described.kind).toBe('unauthorized');
    expect(described.message).toContain('rejected the token in CMS_TOKEN');
    expect(described.message).toContain('read-only API token');
    expect(described.message).toContain('unset CMS_TOKEN');
    // The cause is short: graphql-request's own message embeds the whole query.
    expect(String((described.cause as Error).message)).toMatch(/^HTTP 401: /);
    expect(String((described.cause as Error).message).length).toBeLessThan(400);
  });

  it('explains a 401 without a token', () => {
    expect(describeCmsFailure(clientError(401), config).message).toMatch(/requires authentication.*set CMS_TOKEN/);
  });

  it('explains HTTP 403 and GraphQL "Forbidden access" for a token and for the Public role', () => {
    expect(describeCmsFailure(clientError(403), withToken)).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('The token in CMS_TOKEN') });
    const forbidden = clientError(200, [{ message: 'Forbidden access', extensions: { code: 'FORBIDDEN' } }]);
    const described = describeCmsFailure(forbidden, config);
    expect(described.kind).toBe('forbidden');
    expect(described.message).toContain('Public role');
    expect(described.message).toContain('CMS_TOKEN');
  });

  it('lists every GraphQL error message', () => {
    const described = describeCmsFailure(
      clientError(400, [{ message: 'Cannot query field "foo" on type "Article".' }, { message: 'Unknown fragment "X".' }]),
      config,
    );
    expect(described.kind).toBe('graphql');
    expect(described.message).toBe(
      'The CMS at http://127.0.0.1:1337/graphql answered with GraphQL errors:\n  - Cannot query field "foo" on type "Article".\n  - Unknown fragment "X".',
    );
  });

  it('says when there is no GraphQL endpoint', () => {
    expect(describeCmsFailure(clientError(404, undefined, 'Not Found'), config)).toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining('GraphQL plugin'),
    });
  });

  it('reports other HTTP errors with their status', () => {
    expect(describeCmsFailure(clientError(500, undefined, 'Internal Server Error'), config).message).toBe(
      'The CMS at http://127.0.0.1:1337/graphql answered HTTP 500: Internal Server Error',
    );
  });

  it('says when the answer is not GraphQL', () => {
    const described = describeCmsFailure(new Error('Invalid execution result: result is not object or array. \nGot:\n<html>'), config);
    expect(described.kind).toBe('bad-response');
    expect(described.message).toContain('Does CMS_URL point at Strapi');
  });

  it('passes a CmsError through unchanged', () => {
    const error = new CmsError('missing-content', 'x');
    expect(describeCmsFailure(error, config)).toBe(error);
  });
});

// ---------------------------------------------------------------------------------------------------

type RawArticle = Record<string, unknown>;

/** The seed article as the GraphQL API returns it (raw shape, before validation). */
function rawArticle(index: number, overrides: RawArticle = {}): RawArticle {
  const article = seed.salesVsMarketing;
  return {
    documentId: `doc${index}`,
    slug: `${article.slug}-${index}`,
    title: `${article.title} (${index})`,
    intro: article.intro,
    publishedAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    seo: article.seo,
    body: article.body.map((block) =>
      block.kind === 'section'
        ? { __typename: 'ComponentArticleSection', heading: block.heading, body: block.body }
        : { __typename: 'ComponentArticleSideNote', label: block.label, body: block.body },
    ),
    ...overrides,
  };
}

const pageInfo = (page: number, pageCount: number, total: number) => ({ page, pageCount, total });

function firstPage(nodes: RawArticle[], info = pageInfo(1, nodes.length ? 1 : 0, nodes.length), extra: Partial<SiteContentResult> = {}): SiteContentResult {
  return { global: seed.siteSettings, consultationCta: seed.consultationCta, articles_connection: { nodes, pageInfo: info }, ...extra };
}

const laterPage = (nodes: RawArticle[], info: ReturnType<typeof pageInfo>): ArticlesPageResult => ({ articles_connection: { nodes, pageInfo: info } });

describe('toSiteContent', () => {
  it('turns a valid answer into typed content', () => {
    const content = toSiteContent(firstPage([rawArticle(1), rawArticle(2)]));
    expect(content.site).toEqual(seed.siteSettings);
    expect(content.cta).toEqual(seed.consultationCta);
    expect(content.articles.map((a) => a.slug)).toEqual(['sales-vs-marketing-1', 'sales-vs-marketing-2']);
    expect(content.articles[0]!.body.map((b) => b.kind)).toEqual(seed.salesVsMarketing.body.map((b) => b.kind));
  });

  it('accepts no articles', () => {
    expect(toSiteContent(firstPage([])).articles).toEqual([]);
  });

  it('joins the pages in order', () => {
    const all = Array.from({ length: 205 }, (_, i) => rawArticle(i));
    const content = toSiteContent(firstPage(all.slice(0, 100), pageInfo(1, 3, 205)), [
      laterPage(all.slice(100, 200), pageInfo(2, 3, 205)),
      laterPage(all.slice(200), pageInfo(3, 3, 205)),
    ]);
    expect(content.articles).toHaveLength(205);
    expect(content.articles.map((a) => a.documentId)).toEqual(all.map((a) => a.documentId));
  });

  it('refuses an incomplete list instead of silently building part of the site', () => {
    const all = Array.from({ length: 150 }, (_, i) => rawArticle(i));
    // Pages missing:
    expect(() => toSiteContent(firstPage(all.slice(0, 100), pageInfo(1, 2, 150)))).toThrow(/got 100 of the 150 published articles/);
    // The API capped the page size below what was asked, yet claimed one page:
    expect(() => toSiteContent(firstPage(all.slice(0, 25), pageInfo(1, 1, 150)))).toThrow(/got 25 of the 150/);
    // The total moved between requests:
    expect(() => toSiteContent(firstPage(all.slice(0, 100), pageInfo(1, 2, 150)), [laterPage(all.slice(100), pageInfo(2, 2, 151))])).toThrow(
      /changed while the site was being built/,
    );
  });

  it('says which single type is not published', () => {
    expect(() => toSiteContent(firstPage([], undefined, { global: null }))).toThrow(
      'The CMS has no published site settings (Global): publish it in the Strapi admin (Content Manager → Single Types → Global).',
    );
    expect(() => toSiteContent(firstPage([], undefined, { consultationCta: null }))).toThrow(/no published consultation call to action.*Content Manager/);
    try {
      toSiteContent(firstPage([], undefined, { global: null }));
    } catch (error) {
      expect(error).toMatchObject({ name: 'CmsError', kind: 'missing-content' });
    }
  });

  it('names the entry and field of invalid content', () => {
    const bad = rawArticle(1, {
      body: [{ __typename: 'ComponentArticleSection', heading: ' ', body: seed.salesVsMarketing.body[0]!.body }],
    });
    expect(() => toSiteContent(firstPage([bad]))).toThrow(InvalidContentError);
    expect(() => toSiteContent(firstPage([bad]))).toThrow('Invalid content in article "sales-vs-marketing-1":\n  - body[0].heading: must not be empty');
  });

  it('lists every invalid entry at once', () => {
    const answer = firstPage([rawArticle(1, { title: '' }), rawArticle(2, { slug: 'Not A Slug' })], undefined, {
      consultationCta: { ...seed.consultationCta, actionUrl: 'javascript:alert(1)' },
    });
    try {
      toSiteContent(answer);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ name: 'CmsError', kind: 'invalid-content' });
      const { message } = error as Error;
      expect(message).toMatch(/^3 entries in the CMS have invalid content/);
      expect(message).toContain('Invalid content in the consultation call to action:\n  - actionUrl:');
      expect(message).toContain('Invalid content in article "sales-vs-marketing-1":\n  - title: must not be empty');
      expect(message).toContain('Invalid content in article "Not A Slug":\n  - slug: must be lowercase words joined by hyphens');
    }
  });

  it('refuses two articles with the same slug', () => {
    expect(() => toSiteContent(firstPage([rawArticle(1), rawArticle(2, { slug: 'sales-vs-marketing-1' })]))).toThrow(
      'Two published articles share the slug "sales-vs-marketing-1" (entries doc1 and doc2)',
    );
  });

  it('refuses an answer without an articles connection', () => {
    expect(() => toSiteContent({ global: seed.siteSettings, consultationCta: seed.consultationCta } as unknown as SiteContentResult)).toThrow(
      /has no articles_connection/,
    );
  });
});
