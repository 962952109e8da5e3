// Strapi 5 lets the Public role's `find` return drafts when asked (`?status=draft` in REST, `status: DRAFT`
// in GraphQL), and tell which published entries have a draft in progress (`publicationFilter=modified`,
// `hasPublishedVersion`). Drafts are unpublished work: without credentials, every such question is refused.
// The guard sits on the Document Service, so REST and GraphQL (and any future content API) pass through the
// same check.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { secretMatches } from '@agency/shared/server';
import { settings } from '../settings';

const READ_ACTIONS = new Set(['findMany', 'findOne', 'findFirst', 'count']);

/**
 * Parameters that ask about drafts whatever their value: `publicationFilter` (never-published, modified, …) and
 * its older boolean form `hasPublishedVersion` answer questions about unpublished work even next to
 * `status=published`. `status` itself only asks for drafts when it is not 'published' (see below).
 */
const DRAFT_PARAMS = ['publicationFilter', 'hasPublishedVersion'] as const;

type RequestState = { route?: { info?: { type?: string } }; auth?: { credentials?: unknown } };
type RequestContext = {
  state?: RequestState;
  request?: { headers?: Record<string, string | string[] | undefined> };
  query?: Record<string, unknown>;
};

/**
 * The site's preview server reads drafts with PREVIEW_TOKEN in an `X-Preview-Token` header (server-side only;
 * it never reaches a browser). A header of its own, because Strapi's auth rejects unknown bearer tokens.
 */
function hasPreviewToken(ctx: RequestContext): boolean {
  const given = ctx.request?.headers?.['x-preview-token'];
  // PREVIEW_TOKEN is null when unset (then nothing matches); the settings refuse one shorter than 16 characters.
  return typeof given === 'string' && secretMatches(given, settings().PREVIEW_TOKEN);
}

/**
 * The current request when it came through the public content API without any credentials (its Koa context,
 * with the query as sent); undefined for everything else.
 */
export function anonymousContentApiRequest(strapi: Core.Strapi): RequestContext | undefined {
  const ctx = strapi.requestContext.get() as RequestContext | undefined;
  if (!ctx?.state) return undefined; // bootstrap, seed scripts and other server-side code
  const anonymous = ctx.state.route?.info?.type === 'content-api' && !ctx.state.auth?.credentials && !hasPreviewToken(ctx);
  return anonymous ? ctx : undefined;
}

/**
 * The parameters in a read that ask about drafts, named as a REST query would name them (`status`,
 * `populate[topics][status]`): `status` other than 'published' at the top level (Strapi reads any status but
 * 'published' as "draft": `?status=DRAFT`, `?status=`, `?status[0]=…`), `publicationFilter` and
 * `hasPublishedVersion` anywhere, and any of the three inside `populate`, at any depth (Strapi refuses those
 * itself today, 400 "Invalid key"; this keeps them refused if a version starts to honour them).
 */
export function draftQuestions(params: Record<string, unknown>): string[] {
  const found: string[] = [];
  if (params.status !== undefined && params.status !== 'published') found.push('status');
  for (const name of DRAFT_PARAMS) if (params[name] !== undefined) found.push(name);
  const inside = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, i) => inside(item, `${path}[${i}]`));
    else if (value && typeof value === 'object')
      for (const [key, child] of Object.entries(value)) {
        if (key === 'status' || (DRAFT_PARAMS as readonly string[]).includes(key)) found.push(`${path}[${key}]`);
        inside(child, `${path}[${key}]`);
      }
  };
  inside(params.populate, 'populate');
  return found;
}

export function registerDraftGuard(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (!READ_ACTIONS.has(context.action)) return next();
    const asked = draftQuestions((context.params ?? {}) as Record<string, unknown>);
    if (asked.length > 0 && anonymousContentApiRequest(strapi)) {
      // A PolicyError (a ForbiddenError): Strapi's REST router answers any other ForbiddenError with a bare
      // "Forbidden", dropping the message; GraphQL answers both as FORBIDDEN with the message.
      throw new errors.PolicyError(
        `Drafts are not public (this request asks about them with ${asked.join(', ')}). Ask for published content ` +
          '(the default, without these parameters), or send an API token that may read drafts.',
      );
    }
    return next();
  });
}
