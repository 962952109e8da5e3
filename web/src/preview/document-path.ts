// Which document a preview page shows, read from the path of the page asked for (the type is the page's, never
// the link's say; the middleware then checks the link was signed for exactly that). Paths are compared as
// @agency/shared/server's route-path.ts compares them for every guard: case, a trailing slash, repeated slashes
// and percent-encoded letters do not change the page, as they do not for Astro's router, which decodes the path
// before it matches. The documentId keeps its case and is percent-decoded once, as Astro hands it to the page.
import { UID } from '@agency/shared';
import { isPath, isUnder, matchRoute, type PreviewGrant } from '@agency/shared/server';

/** Whether the path is one the preview server serves at all (everything else is 404). */
export const isPreviewPath = (pathname: string): boolean => isUnder(pathname, '/preview');

/** The document a preview page shows, or null when the path names no preview page. */
export function previewDocumentOf(pathname: string): Pick<PreviewGrant, 'type' | 'documentId'> | null {
  if (isPath(pathname, '/preview/consultation-cta')) return { type: UID.consultationCta, documentId: '' };
  const article = matchRoute(pathname, '/preview/articles/:documentId');
  return article?.documentId ? { type: UID.article, documentId: article.documentId } : null;
}
