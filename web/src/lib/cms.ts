// The only module that talks to the CMS. One set of GraphQL requests per build, shared by every page:
// site settings, the consultation CTA and every published article, validated by @agency/shared.
// Anything wrong (CMS down, token rejected, content invalid) throws a CmsError so the build fails loudly.
import {
  ARTICLES_PAGE_QUERY,
  PREVIEW_ARTICLE_QUERY,
  PREVIEW_CTA_QUERY,
  type PreviewArticleResult,
  type PreviewCtaResult,
  type PreviewStatus,
  ArticleSchema,
  ConsultationCtaSchema,
  InvalidContentError,
  PAGE_SIZE,
  SITE_CONTENT_QUERY,
  SiteSettingsSchema,
  describeArticle,
  parseEntry,
  type Article,
  type ArticlesPageResult,
  type ConsultationCta,
  type SiteContentResult,
  type SiteSettings,
} from '@agency/shared';
import { ClientError, GraphQLClient } from 'graphql-request';

export type SiteContent = { site: SiteSettings; cta: ConsultationCta; articles: Article[] };

export type CmsConfig = {
  /** The CMS's public base URL, without a trailing slash, e.g. `http://127.0.0.1:1337`. */
  url: string;
  /** The GraphQL endpoint, `${url}/graphql`. */
  endpoint: string;
  /** A read-only API token, or null to read as the Public role. */
  token: string | null;
  /** Per-request timeout. */
  timeoutMs: number;
};

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

export const DEFAULT_CMS_URL = 'http://127.0.0.1:1337';
export const DEFAULT_TIMEOUT_MS = 30_000;
/** How many article pages are fetched at once after the first. */
const CONCURRENCY = 4;

type Env = Record<string, string | undefined>;

/** A URL as it may appear in an error message: any `user:password@` replaced, since messages reach logs and /status. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/[^/@\s]*@/, '//***@');
}

/** Reads CMS_URL, CMS_TOKEN and CMS_TIMEOUT_MS; throws a CmsError (kind `config`) when one is malformed. */
export function cmsConfig(env: Env = process.env): CmsConfig {
  const raw = env.CMS_URL?.trim() || DEFAULT_CMS_URL;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new CmsError('config', `CMS_URL must be an http(s) URL such as ${DEFAULT_CMS_URL}, but it is "${redactUrl(raw)}".`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CmsError('config', `CMS_URL must be an http(s) URL such as ${DEFAULT_CMS_URL}, but it is "${redactUrl(raw)}".`);
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new CmsError('config', `CMS_URL must be the CMS's base URL without credentials, query or fragment, but it is "${redactUrl(raw)}".`);
  }
  const url = parsed.href.replace(/\/+$/, '');
  const timeoutRaw = env.CMS_TIMEOUT_MS?.trim();
  const timeoutMs = timeoutRaw ? Number(timeoutRaw) : DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new CmsError('config', `CMS_TIMEOUT_MS must be a positive number of milliseconds, but it is "${timeoutRaw}".`);
  }
  return { url, endpoint: `${url}/graphql`, token: env.CMS_TOKEN?.trim() || null, timeoutMs };
}

// ---------------------------------------------------------------------------------------------------
// Errors: turning whatever fetch / graphql-request threw into one actionable CmsError.

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
  for (let current: unknown = error; current && typeof current === 'object' && chain.length < 6; ) {
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
  return errors.some((e) => e.extensions?.code === 'FORBIDDEN' || e.extensions?.code === 'UNAUTHENTICATED' || e.message === 'Forbidden access');
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
      return new CmsError('graphql', `The CMS at ${config.endpoint} answered with GraphQL errors:\n${graphQLErrorMessages(errors)}`, { cause });
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
    const body = error.response.body ? `: ${String(error.response.body).slice(0, 200)}` : '';
    return new CmsError('http', `The CMS at ${config.endpoint} answered HTTP ${status}${body}`, { cause });
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

// ---------------------------------------------------------------------------------------------------
// Assembling and validating what the CMS returned.

type Connection = SiteContentResult['articles_connection'];

function checkConnection(connection: Connection | null | undefined, page: number): Connection {
  if (!connection || !Array.isArray(connection.nodes) || !connection.pageInfo) {
    throw new CmsError('bad-response', `The CMS's answer for articles page ${page} has no articles_connection { nodes pageInfo }.`);
  }
  return connection;
}

/**
 * Validates the first answer (SITE_CONTENT_QUERY) and the further article pages (ARTICLES_PAGE_QUERY, pages
 * 2..pageCount in order) and turns them into typed content. Pure; exported for tests.
 * Throws CmsError for missing singletons, an incomplete article list or duplicate slugs; InvalidContentError
 * (or a CmsError listing several) for invalid entries.
 */
export function toSiteContent(first: SiteContentResult, rest: readonly ArticlesPageResult[] = []): SiteContent {
  if (!first.global) {
    throw new CmsError(
      'missing-content',
      'The CMS has no published site settings (Global): publish it in the Strapi admin (Content Manager → Single Types → Global).',
    );
  }
  if (!first.consultationCta) {
    throw new CmsError(
      'missing-content',
      'The CMS has no published consultation call to action (Consultation CTA): publish it in the Strapi admin (Content Manager → Single Types → Consultation CTA).',
    );
  }

  const firstConnection = checkConnection(first.articles_connection, 1);
  const { total, pageCount } = firstConnection.pageInfo;
  const connections = [firstConnection, ...rest.map((page, index) => checkConnection(page.articles_connection, index + 2))];
  const rawArticles = connections.flatMap((connection) => connection.nodes);
  for (const connection of connections) {
    if (connection.pageInfo.total !== total) {
      throw new CmsError(
        'incomplete',
        `The articles changed while the site was being built (the CMS reported ${total}, then ${connection.pageInfo.total} articles). Build again.`,
      );
    }
  }
  if (connections.length < pageCount || rawArticles.length !== total) {
    throw new CmsError(
      'incomplete',
      `The site got ${rawArticles.length} of the ${total} published articles the CMS reported (${connections.length} of ${pageCount} pages). ` +
        `Check the GraphQL plugin's maxLimit (it must be at least ${PAGE_SIZE}) and build again.`,
    );
  }

  const problems: InvalidContentError[] = [];
  const collect = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof InvalidContentError) {
        problems.push(error);
        return undefined;
      }
      throw error;
    }
  };

  const site = collect(() => parseEntry(SiteSettingsSchema, first.global, 'the site settings (Global)'));
  const cta = collect(() => parseEntry(ConsultationCtaSchema, first.consultationCta, 'the consultation call to action'));
  const articles = rawArticles.flatMap((raw) => {
    const article = collect(() => parseEntry(ArticleSchema, raw, describeArticle(raw)));
    return article ? [article] : [];
  });

  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new CmsError(
      'invalid-content',
      `${problems.length} entries in the CMS have invalid content; fix them in the Strapi admin:\n\n${problems.map((p) => p.message).join('\n\n')}`,
    );
  }

  const bySlug = new Map<string, Article>();
  for (const article of articles) {
    const other = bySlug.get(article.slug);
    if (other) {
      throw new CmsError(
        'duplicate-slug',
        // Careful: Astro replaces the hint of any error whose text contains "document" or "window" with
        // advice about browser APIs, so the message says "entries", not "documentIds".
        `Two published articles share the slug "${article.slug}" (entries ${other.documentId} and ${article.documentId}): give one of them another slug in the Strapi admin.`,
      );
    }
    bySlug.set(article.slug, article);
  }

  return { site: site!, cta: cta!, articles };
}

// ---------------------------------------------------------------------------------------------------
// Fetching.

function createClient(config: CmsConfig, extraHeaders: Record<string, string> = {}): GraphQLClient {
  return new GraphQLClient(config.endpoint, {
    headers: { ...(config.token ? { Authorization: `Bearer ${config.token}` } : {}), ...extraHeaders },
  });
}

async function request<T>(client: GraphQLClient, config: CmsConfig, document: string, variables: Record<string, unknown>): Promise<T> {
  try {
    return await client.request<T>({ document, variables, signal: AbortSignal.timeout(config.timeoutMs) });
  } catch (error) {
    throw describeCmsFailure(error, config);
  }
}

/** Fetches and validates all the site's content: ⌈articles / PAGE_SIZE⌉ requests (at least one). */
export async function fetchSiteContent(config: CmsConfig = cmsConfig()): Promise<SiteContent> {
  const started = performance.now();
  const client = createClient(config);
  const first = await request<SiteContentResult>(client, config, SITE_CONTENT_QUERY, { pageSize: PAGE_SIZE });
  const pageCount = checkConnection(first?.articles_connection, 1).pageInfo.pageCount;

  const pages = Array.from({ length: Math.max(0, pageCount - 1) }, (_, index) => index + 2);
  const rest: ArticlesPageResult[] = new Array(pages.length);
  let next = 0;
  const worker = async () => {
    while (next < pages.length) {
      const index = next++;
      rest[index] = await request<ArticlesPageResult>(client, config, ARTICLES_PAGE_QUERY, { page: pages[index], pageSize: PAGE_SIZE });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pages.length) }, worker));

  const content = toSiteContent(first, rest);
  // One line per build; the benchmark (scripts/bench.ts) reads the request count from it.
  const ms = Math.round(performance.now() - started);
  console.info(
    `[cms] Fetched ${content.articles.length} articles, the CTA and site settings from ${config.url} in ${1 + pages.length} GraphQL requests (${ms} ms).`,
  );
  return content;
}

// One fetch per build, shared by every page. Kept on globalThis because Astro may bundle this module into
// more than one chunk; a failed load is forgotten so a later call (e.g. the dev server's) can retry.
const MEMO = Symbol.for('@agency/web:site-content');
const store = globalThis as typeof globalThis & { [MEMO]?: Promise<SiteContent> };

/** All the site's content, fetched once per process (per build) and validated. */
export function loadSiteContent(): Promise<SiteContent> {
  const memo = store[MEMO];
  if (memo) return memo;
  const promise = fetchSiteContent();
  store[MEMO] = promise;
  promise.catch(() => {
    if (store[MEMO] === promise) delete store[MEMO];
  });
  return promise;
}


// ---------------------------------------------------------------------------------------------------
// Preview: what the preview server (src/preview) renders on an editor's request. Fetched per request, never
// memoized, in the requested state; drafts are read with PREVIEW_TOKEN, server-side only.

export type ArticlePreview = { site: SiteSettings; cta: ConsultationCta; article: Article };
export type CtaPreview = { site: SiteSettings; cta: ConsultationCta };

function previewHeaders(env: Env): Record<string, string> {
  const token = env.PREVIEW_TOKEN?.trim() ?? '';
  if (token.length < 16) {
    throw new CmsError('config', 'PREVIEW_TOKEN must be set (at least 16 characters) for the preview server to read drafts; npm start generates it into .env.');
  }
  return { 'X-Preview-Token': token };
}

function previewSingles(result: { global: unknown; consultationCta: unknown }): CtaPreview {
  if (!result.global) throw new CmsError('missing-content', 'There are no site settings (Global) in this state yet: save them in the Strapi admin.');
  if (!result.consultationCta) throw new CmsError('missing-content', 'There is no consultation CTA in this state yet: save it in the Strapi admin.');
  return {
    site: parseEntry(SiteSettingsSchema, result.global, 'the site settings (Global)'),
    cta: parseEntry(ConsultationCtaSchema, result.consultationCta, 'the consultation call to action'),
  };
}

/** The article with this slug in the requested state, or null when there is none. Throws InvalidContentError for content the site cannot show. */
export async function loadArticlePreview(slug: string, status: PreviewStatus, env: Env = process.env): Promise<ArticlePreview | null> {
  const config = cmsConfig(env);
  const result = await request<PreviewArticleResult>(createClient(config, previewHeaders(env)), config, PREVIEW_ARTICLE_QUERY, { slug, status });
  const raw = result.articles?.[0] as Record<string, unknown> | undefined;
  if (!raw) return null;
  // A draft that was never published has no publication date yet: show it as of its last save.
  const article = parseEntry(ArticleSchema, { ...raw, publishedAt: raw.publishedAt ?? raw.updatedAt }, describeArticle(raw));
  return { ...previewSingles(result), article };
}

/** The consultation CTA in the requested state, with the site settings. */
export async function loadCtaPreview(status: PreviewStatus, env: Env = process.env): Promise<CtaPreview> {
  const config = cmsConfig(env);
  return previewSingles(await request<PreviewCtaResult>(createClient(config, previewHeaders(env)), config, PREVIEW_CTA_QUERY, { status }));
}
