// Where a plain HTML form post came from. A browser may submit a form to the CMS from any web page, and CORS
// does not stop it (a urlencoded post is a "simple" request), so POST /api/consultation-requests/form accepts
// only posts whose Origin is one of the site's origins (CORS_ORIGINS, default SITE_URL's) or the CMS's own (the
// re-post from its error page). A browser that sends no Origin (or the opaque "null") is judged by its Referer;
// a post with neither is refused: nothing proves it came from the site.

export type FormOrigin =
  /** `site`: the site origin the reader came from (the thank-you page is there). `own`: posted from the CMS's page. */
  { allowed: true; origin: string; own: boolean } | { allowed: false; reason: string };

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * Checks a form post's Origin (or, without one, its Referer) against the site's origins and the CMS's own.
 * `own` lists the CMS's origins (the request's own, and PUBLIC_URL's when set).
 */
export function checkFormOrigin(
  headers: { origin?: string; referer?: string },
  siteOrigins: readonly string[],
  own: readonly string[],
): FormOrigin {
  const header = headers.origin && headers.origin !== 'null' ? headers.origin : undefined;
  const source = header ?? headers.referer;
  if (!source) return { allowed: false, reason: 'the post carries neither an Origin nor a Referer header' };
  const origin = originOf(source);
  const which = header ? 'Origin' : 'Referer';
  if (!origin) return { allowed: false, reason: `its ${which} header is not a web address` };
  if (siteOrigins.includes(origin)) return { allowed: true, origin, own: false };
  if (own.includes(origin)) return { allowed: true, origin, own: true };
  return { allowed: false, reason: `its ${which} (${origin}) is not the site's` };
}
