// Strapi 5 lets the Public role's `find` return drafts when asked (`?status=draft` in REST, `status: DRAFT`
// in GraphQL). Drafts are unpublished work: without credentials, that request is refused. The guard sits
// on the Document Service, so REST and GraphQL (and any future content API) pass through the same check.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const READ_ACTIONS = new Set(['findMany', 'findOne', 'findFirst', 'count']);

type RequestState = { route?: { info?: { type?: string } }; auth?: { credentials?: unknown } };

/** True when the current request came through the public content API without any credentials. */
function isAnonymousContentApiRequest(strapi: Core.Strapi): boolean {
  const ctx = strapi.requestContext.get() as { state?: RequestState } | undefined;
  if (!ctx?.state) return false; // bootstrap, seed scripts and other server-side code
  return ctx.state.route?.info?.type === 'content-api' && !ctx.state.auth?.credentials;
}

export function registerDraftGuard(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const params = (context.params ?? {}) as { status?: string };
    if (READ_ACTIONS.has(context.action) && params.status === 'draft' && isAnonymousContentApiRequest(strapi)) {
      throw new errors.ForbiddenError(
        'Drafts are not public. Ask for published content (the default), or send an API token that may read drafts.',
      );
    }
    return next();
  });
}
