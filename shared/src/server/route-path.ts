// One answer, for every guard, to "is this request for that path?". A guard that reads a path differently from
// the router that serves it is a guard with a hole: `/API/consultation-requests` was not "the content API" to
// the CMS's body limits but was to Strapi's router, so a 600 KB body reached the controller; `/ADMIN/register-admin`
// walked past the production registration guard. Every guard (the CMS's body limits and registration guard, the
// preview server's pages, the rebuild service's endpoints) asks here instead of comparing strings itself.
//
// What the routers treat as equal (tests/unit/route-path.test.ts runs the real @koa/router to keep this true):
// - Strapi 5's router (@koa/router 12 on path-to-regexp 6, `sensitive: false`, `strict: false`): letter case, and
//   a trailing slash. It answers 404 to `//`, `/./`, `/../` and percent-encoded letters (`/%61pi`), but only
//   after strapi::body has parsed the body, so a body guard must catch those too.
// - Astro (the preview server) decodes the path before matching.
// So a guard's view here is the wider one: case folded, percent-encoded unreserved characters decoded (`%61` is
// `a`; an encoded `/` stays part of its segment, as in every router), empty and `.` segments dropped, `..`
// resolved. Whatever the router serves under a guarded path, the guard sees under it too; a few paths the router
// would answer 404 are guarded as well, which costs nothing.

/** RFC 3986's unreserved characters: encoding one changes nothing for a server, so folding it is always safe. */
const ENCODED_UNRESERVED = /%(2[dDeE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA]|5[fF]|7[eE])/g;

/** The path's segments as a guard sees them, original case kept (a document id in a segment is case-sensitive). */
function segments(rawPath: string): string[] {
  const path = rawPath.replace(/[?#].*$/s, '');
  const out: string[] = [];
  for (const raw of path.split('/')) {
    const segment = raw.replace(ENCODED_UNRESERVED, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return out;
}

/**
 * The form every guard compares: `/` followed by the folded segments, lower case, no trailing slash
 * (`/API//consultation-requests/` → `/api/consultation-requests`; the root is `/`).
 */
export function routePath(rawPath: string): string {
  return `/${segments(rawPath).join('/').toLowerCase()}`;
}

/** Whether a request's path names `route` (`isPath('/ADMIN/register-admin/', '/admin/register-admin')`). */
export function isPath(rawPath: string, route: string): boolean {
  return routePath(rawPath) === routePath(route);
}

/** Whether a request's path is `prefix` or below it (`isUnder('/Api/articles', '/api')`; `/apis` is not under `/api`). */
export function isUnder(rawPath: string, prefix: string): boolean {
  const path = routePath(rawPath);
  const base = routePath(prefix);
  return base === '/' || path === base || path.startsWith(`${base}/`);
}

/**
 * Matches a request's path against a route pattern whose `:name` segments are parameters
 * (`/preview/articles/:documentId`): null when it does not match, else the parameters, percent-decoded with their
 * case kept. Fixed segments compare as in isPath. A parameter that does not decode (`%E0%A4%A`) makes no match.
 */
export function matchRoute(rawPath: string, pattern: string): Record<string, string> | null {
  const given = segments(rawPath);
  const wanted = segments(pattern);
  if (given.length !== wanted.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of wanted.entries()) {
    const segment = given[index]!;
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return null;
      }
    } else if (segment.toLowerCase() !== part.toLowerCase()) return null;
  }
  return params;
}
