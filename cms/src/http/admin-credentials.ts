// Whether a request carries a valid admin credential (an admin session's access token, or an admin API token),
// judged from its headers alone, before its body is read. Strapi authenticates a route only once its router has
// matched it, which is after strapi::body has parsed the whole body: an anonymous 100 MB upload was read to its
// last byte (1.7 s) to be answered 401. The body guard (middlewares/body-limits.ts) asks this first on upload routes.
// It runs Strapi's own strategies for admin routes (the ones every `/upload` route authenticates with), so it
// accepts exactly what the route will; the route still authenticates again, as always.
import type { Core } from '@strapi/strapi';

type WithHeaders = { request: { header: Record<string, unknown> } };

export async function hasAdminCredentials(strapi: Core.Strapi, ctx: WithHeaders): Promise<boolean> {
  const auth = strapi.get('auth');
  // A stand-in for the request: the strategies read its Authorization header and leave what they found in its
  // state, which stays off the real request, so the route's own authentication runs as if this had not.
  const probe = {
    request: { header: ctx.request.header },
    state: { route: { info: { type: 'admin' } } } as Record<string, unknown>,
    unauthorized: () => undefined,
  };
  let authenticated = false;
  await auth.authenticate(probe as never, async () => {
    authenticated = true;
  });
  if (!authenticated) return false;
  try {
    // An admin API token's expiry is checked here, as the route's own verify step does.
    await auth.verify(probe.state.auth as never);
    return true;
  } catch {
    return false;
  }
}
