// Strapi 5 lets the Public role's `find` return drafts when asked (`?status=draft` in REST, `status: DRAFT`
// in GraphQL). Drafts are unpublished work: without credentials, that request is refused. The guard sits
// on the Document Service, so REST and GraphQL (and any future content API) pass through the same check.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { secretMatches } from '@agency/shared/server';
import { settings } from '../settings';

const READ_ACTIONS = new Set(['findMany', 'findOne', 'findFirst', 'count']);

type RequestState = { route?: { info?: { type?: string } }; auth?: { credentials?: unknown } };
type RequestContext = { state?: RequestState; request?: { headers?: Record<string, string | string[] | undefined> } };

/**
 * The site's preview server reads drafts with PREVIEW_TOKEN in an `X-Preview-Token` header (server-side only;
 * it never reaches a browser). A header of its own, because Strapi's auth rejects unknown bearer tokens.
 */
function hasPreviewToken(ctx: RequestContext): boolean {
  const given = ctx.request?.headers?.['x-preview-token'];
  // PREVIEW_TOKEN is null when unset (then nothing matches); the settings refuse one shorter than 16 characters.
  return typeof given === 'string' && secretMatches(given, settings().PREVIEW_TOKEN);
}

/** True when the current request came through the public content API without any credentials. */
function isAnonymousContentApiRequest(strapi: Core.Strapi): boolean {
  const ctx = strapi.requestContext.get() as RequestContext | undefined;
  if (!ctx?.state) return false; // bootstrap, seed scripts and other server-side code
  return ctx.state.route?.info?.type === 'content-api' && !ctx.state.auth?.credentials && !hasPreviewToken(ctx);
}

export function registerDraftGuard(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const params = (context.params ?? {}) as { status?: unknown };
    // Strapi reads any status other than 'published' as "draft" (`?status=DRAFT`, `?status=`, `?status[0]=…`),
    // so anything but 'published' (or no status at all, which means published) is refused.
    const asksForDrafts = params.status !== undefined && params.status !== 'published';
    if (READ_ACTIONS.has(context.action) && asksForDrafts && isAnonymousContentApiRequest(strapi)) {
      throw new errors.ForbiddenError(
        'Drafts are not public. Ask for published content (the default), or send an API token that may read drafts.',
      );
    }
    return next();
  });
}
