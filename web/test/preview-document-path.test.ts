// Which document a preview page shows, from its path (src/preview/document-path.ts): every spelling Astro's router
// would serve names the same document, the documentId keeps its case, and nothing outside /preview is a page.
import { describe, expect, it } from 'vitest';
import { UID } from '@agency/shared';
import { isPreviewPath, previewDocumentOf } from '../src/preview/document-path.ts';

const article = (documentId: string) => ({ type: UID.article, documentId });
const cta = { type: UID.consultationCta, documentId: '' };

describe('previewDocumentOf', () => {
  it('reads the article and the CTA from every spelling of their paths', () => {
    for (const path of [
      '/preview/articles/Xy12ab/',
      '/preview/articles/Xy12ab',
      '/Preview/ARTICLES/Xy12ab/',
      '/preview//articles/Xy12ab//',
      '/preview/%61rticles/Xy12ab/',
      '/preview/./articles/Xy12ab/',
    ]) {
      expect(previewDocumentOf(path), path).toEqual(article('Xy12ab'));
    }
    for (const path of [
      '/preview/consultation-cta/',
      '/preview/consultation-cta',
      '/PREVIEW/Consultation-CTA',
      '/preview//consultation-%63ta/',
    ]) {
      expect(previewDocumentOf(path), path).toEqual(cta);
    }
  });

  it('decodes the documentId once, and names no document for any other path', () => {
    expect(previewDocumentOf('/preview/articles/a%20b/')).toEqual(article('a b'));
    expect(previewDocumentOf('/preview/articles/%2561/')).toEqual(article('%61'));
    for (const path of [
      '/preview/articles/',
      '/preview/articles/a/b/',
      '/preview/articles/%E0%A4%A/',
      '/preview/elsewhere/',
      '/preview/consultation-cta/x/',
      '/preview/articles-x/a/',
      '/articles/a/',
      '/',
    ]) {
      expect(previewDocumentOf(path), path).toBeNull();
    }
  });

  it('serves /preview and below, in any spelling, and nothing else', () => {
    for (const path of ['/preview/', '/PREVIEW/articles/x/', '//preview/x']) expect(isPreviewPath(path), path).toBe(true);
    for (const path of ['/', '/previews/x', '/articles/x/', '/x/preview/']) expect(isPreviewPath(path), path).toBe(false);
  });
});
