// Turning whatever a request threw into one CmsError with advice (src/cms/errors.ts). Requests against a real
// Strapi are covered by the integration and e2e tests.
import { ClientError } from 'graphql-request';
import { describe, expect, it } from 'vitest';
import { cmsConfig, type CmsConfig } from '../../src/cms/client.ts';
import { CmsError, describeCmsFailure } from '../../src/cms/errors.ts';
import { readSettings, siteBuildSettings } from '../../src/settings.ts';

describe('describeCmsFailure', () => {
  const config: CmsConfig = cmsConfig(readSettings(siteBuildSettings, {}));
  const withToken: CmsConfig = { ...config, token: 'secret' };
  const systemError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1337`), { code });
  const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
  const clientError = (status: number, errors?: Array<{ message: string; extensions?: { code: string } }>, body = '') =>
    new ClientError({ status, headers: new Headers(), body, ...(errors ? { errors: errors as never } : {}) }, { query: 'query { x }' });

  it.each([
    ['ECONNREFUSED', fetchFailed(systemError('ECONNREFUSED'))],
    ['ENOTFOUND', fetchFailed(systemError('ENOTFOUND'))],
    [
      'ECONNREFUSED',
      fetchFailed(Object.assign(new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')]), { code: 'ECONNREFUSED' })),
    ],
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
    expect(describeCmsFailure(clientError(403), withToken)).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('The token in CMS_TOKEN'),
    });
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

  it('reports other HTTP errors with their status, never their body (the message reaches /status)', () => {
    expect(describeCmsFailure(clientError(500, undefined, 'SECRET-IN-THE-BODY'), config).message).toBe(
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
