// The preview refreshes when the editor saves: Strapi's admin posts `{ type: 'strapiUpdate' }` to the preview
// frame after every save (Strapi 5 Preview), and every preview page reloads on it, showing the new draft
// (the pages render per request). Only a message from the admin's own origin counts: any other page that
// frames or opens a preview cannot make it reload. Injected by the middleware into every HTML answer (the
// article, the CTA, and the pages that say what to fix), so the public site's pages never carry it.

/** The message Strapi's Preview panel posts to the frame on save. */
export const STRAPI_UPDATE = 'strapiUpdate';

/** The inline script: a classic script (no module), so it runs at once; the origin is JSON with `<` escaped. */
export function refreshScript(adminOrigin: string): string {
  const origin = JSON.stringify(adminOrigin).replace(/</g, '\\u003c');
  const type = JSON.stringify(STRAPI_UPDATE);
  return `<script>addEventListener("message",function(e){if(e.origin===${origin}&&e.data&&e.data.type===${type})location.reload()})</script>`;
}

/** `response` with the refresh script before `</body>` when it is an HTML page; anything else unchanged. */
export async function withRefresh(response: Response, adminOrigin: string): Promise<Response> {
  if (!response.headers.get('content-type')?.startsWith('text/html') || !response.body) return response;
  const html = await response.text();
  const at = html.lastIndexOf('</body>');
  const body = at === -1 ? html + refreshScript(adminOrigin) : html.slice(0, at) + refreshScript(adminOrigin) + html.slice(at);
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
