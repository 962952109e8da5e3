// Why the site could not get its content from the CMS: one CmsError per failure, with a kind for programs
// (the build report, the preview's status codes) and a message that tells a person what to do. This file
// turns whatever fetch / graphql-request threw (network, HTTP, GraphQL) into such an error.
import { STATUS_CODES } from 'node:http';
import { ClientError } from 'graphql-request';
import type { CmsConfig } from './client.ts';

export type CmsErrorKind =
  | 'config'
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'http'
  | 'graphql'
  | 'bad-response'
  | 'missing-content'
  | 'invalid-content'
  | 'incomplete'
  | 'duplicate-slug';

/** Why the site could not get its content from the CMS, worded so the reader knows what to do. */
export class CmsError extends Error {
  override name = 'CmsError';
  readonly kind: CmsErrorKind;

  constructor(kind: CmsErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/**
 * A CmsError told by its shape, not `instanceof`: the images integration loads its own instance of these modules
 * (src/images/image-run.ts says why), so its errors fail `instanceof CmsError` elsewhere in the build.
 */
export const isCmsErrorLike = (error: unknown): error is Error & { kind: CmsErrorKind } =>
  error instanceof Error && typeof (error as { kind?: unknown }).kind === 'string';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/**
 * Why a request never got an answer, or null when the error is not a network failure: a system error code
 * (ECONNREFUSED, ENOTFOUND…), a timeout, or for fetch's generic "fetch failed" its innermost message.
 */
function networkCause(error: unknown, timeoutMs: number): string | null {
  const chain: Array<{ name?: unknown; code?: unknown; message?: unknown; cause?: unknown; errors?: unknown }> = [];
  for (let current: unknown = error; current && typeof current === 'object' && chain.length < 6;) {
    const err = current as (typeof chain)[number];
    chain.push(err);
    current = err.cause;
  }
  for (const err of chain) {
    if (err.name === 'TimeoutError') return `no answer within ${Number((timeoutMs / 1000).toFixed(1))} s`;
    if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return err.code;
    // Node reports "connection refused on every address" (IPv4 and IPv6) as an AggregateError.
    if (Array.isArray(err.errors)) {
      const codes = [...new Set(err.errors.map((e) => (e as { code?: unknown })?.code).filter((c): c is string => typeof c === 'string'))];
      if (codes.length > 0 && codes.every((c) => NETWORK_CODES.has(c))) return codes.join(', ');
    }
  }
  const [top] = chain;
  if (top?.name === 'TypeError' && top.message === 'fetch failed') {
    const innermost = chain.at(-1);
    const detail = typeof innermost?.code === 'string' ? innermost.code : innermost?.message;
    return typeof detail === 'string' && detail ? detail : 'fetch failed';
  }
  return null;
}

function unreachable(config: CmsConfig, cause: string, error: unknown): CmsError {
  return new CmsError(
    'unreachable',
    `Cannot reach the CMS at ${config.url} (${cause}). Is Strapi running? ('npm start' starts it; CMS_URL points elsewhere.)`,
    { cause: error },
  );
}

type GraphQLErrorLike = { message?: unknown; extensions?: { code?: unknown } | undefined };

function graphQLErrorMessages(errors: readonly GraphQLErrorLike[]): string {
  return errors.map((e) => `  - ${typeof e.message === 'string' ? e.message : JSON.stringify(e)}`).join('\n');
}

function isForbidden(errors: readonly GraphQLErrorLike[]): boolean {
  return errors.some(
    (e) => e.extensions?.code === 'FORBIDDEN' || e.extensions?.code === 'UNAUTHENTICATED' || e.message === 'Forbidden access',
  );
}

function forbidden(config: CmsConfig, error: unknown): CmsError {
  const fix = config.token
    ? `The token in CMS_TOKEN is valid but may not read this content: give it read access (Settings → API Tokens → token type "Read-only") or use another token.`
    : `The site reads as the Public role, which must be allowed to find Article, Global and Consultation CTA. Those permissions are set in code (cms/src/bootstrap/public-permissions.ts) and applied when Strapi starts: restart Strapi, or set CMS_TOKEN to a read-only API token (Settings → API Tokens).`;
  return new CmsError('forbidden', `The CMS at ${config.url} refused to share its content (forbidden). ${fix}`, { cause: error });
}

function conciseClientError(error: ClientError): Error {
  const body = String(error.response.body ?? '').slice(0, 300);
  const summary = new Error(`HTTP ${error.response.status}${body ? `: ${body}` : ''}`);
  summary.name = 'ClientError';
  return summary;
}

/** Classifies a failed request (network, HTTP, GraphQL) as a CmsError with advice. Pure; exported for tests. */
export function describeCmsFailure(error: unknown, config: CmsConfig): CmsError {
  if (error instanceof CmsError) return error;

  if (error instanceof ClientError) {
    const { status } = error.response;
    const errors = (error.response.errors ?? []) as GraphQLErrorLike[];
    // graphql-request's own message embeds the whole query; keep the cause short so the advice stays visible.
    const cause = conciseClientError(error);
    if (status === 401) {
      return new CmsError(
        'unauthorized',
        config.token
          ? `The CMS at ${config.url} rejected the token in CMS_TOKEN (HTTP 401). Create a read-only API token in the Strapi admin (Settings → API Tokens → Create new API Token, type "Read-only") and put it in CMS_TOKEN, or unset CMS_TOKEN to read as the Public role.`
          : `The CMS at ${config.url} requires authentication (HTTP 401). Create a read-only API token in the Strapi admin (Settings → API Tokens) and set CMS_TOKEN to it.`,
        { cause },
      );
    }
    if (status === 403 || isForbidden(errors)) return forbidden(config, cause);
    if (errors.length > 0) {
      return new CmsError('graphql', `The CMS at ${config.endpoint} answered with GraphQL errors:\n${graphQLErrorMessages(errors)}`, {
        cause,
      });
    }
    if (status === 404 || status === 405) {
      return new CmsError(
        'not-found',
        `There is no GraphQL API at ${config.endpoint} (HTTP ${status}). Is the GraphQL plugin enabled in Strapi, and does CMS_URL point at Strapi?`,
        { cause },
      );
    }
    if (status === 502 || status === 503 || status === 504) {
      return unreachable(config, `HTTP ${status} from a proxy`, cause);
    }
    // The status's standard phrase, never the body: this message reaches the build report and /status.
    const phrase = STATUS_CODES[status] ? `: ${STATUS_CODES[status]}` : '';
    return new CmsError('http', `The CMS at ${config.endpoint} answered HTTP ${status}${phrase}`, { cause });
  }

  const cause = networkCause(error, config.timeoutMs);
  if (cause) return unreachable(config, cause, error);

  if (error instanceof SyntaxError || (error instanceof Error && /Invalid execution result|JSON/i.test(error.message))) {
    return new CmsError(
      'bad-response',
      `The server at ${config.endpoint} did not answer with GraphQL JSON. Does CMS_URL point at Strapi, with its GraphQL plugin enabled?`,
      { cause: error },
    );
  }

  const message = error instanceof Error ? error.message : String(error);
  return new CmsError('http', `Request to the CMS at ${config.endpoint} failed: ${message}`, { cause: error });
}
