// The preview server's loading (src/cms/preview.ts) against a stand-in CMS: per request, with the preview
// token, in the requested state; and what it says when the token is missing or the content is not there.
import { InvalidContentError } from '@agency/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CmsError } from '../../src/cms/errors.ts';
import { loadArticlePreview, loadCtaPreview } from '../../src/cms/preview.ts';
import { startFakeCms, type FakeCms } from '../support/fake-cms.ts';
import { rawArticle } from '../support/fixtures.ts';

const TOKEN = 'preview-token-0123456789';

describe('preview loading', () => {
  let cms: FakeCms;
  let env: Record<string, string>;
  beforeAll(async () => {
    cms = await startFakeCms({ articles: [rawArticle(1, { publishedAt: null })] });
    env = { CMS_URL: cms.url, PREVIEW_TOKEN: TOKEN };
  });
  afterAll(async () => {
    await cms?.close();
  });

  it('asks for the article by documentId in the requested state with the preview token, on every call', async () => {
    cms.requests.length = 0;
    const preview = await loadArticlePreview('doc1', 'DRAFT', env);
    // A draft never published is shown as of its last save.
    expect(preview?.article).toMatchObject({ slug: 'sales-vs-marketing-1', publishedAt: '2025-01-02T00:00:00.000Z' });
    expect(preview?.site.siteName).toEqual(expect.any(String));
    await loadArticlePreview('doc1', 'PUBLISHED', env);
    expect(cms.requests.map((r) => [r.operation, r.variables.documentId, r.variables.status, r.headers['x-preview-token']])).toEqual([
      ['PreviewArticle', 'doc1', 'DRAFT', TOKEN],
      ['PreviewArticle', 'doc1', 'PUBLISHED', TOKEN],
    ]);
  });

  it('answers null for an article that does not exist, and loads the CTA', async () => {
    expect(await loadArticlePreview('no-such-document', 'DRAFT', env)).toBeNull();
    expect((await loadCtaPreview('DRAFT', env)).cta.heading).toEqual(expect.any(String));
  });

  it('says how to set PREVIEW_TOKEN when it is missing', async () => {
    await expect(loadCtaPreview('DRAFT', { CMS_URL: cms.url })).rejects.toThrow(
      'PREVIEW_TOKEN must be set (at least 16 characters) for the preview server to read drafts; npm start generates it into .env.',
    );
    await expect(loadCtaPreview('DRAFT', { CMS_URL: cms.url })).rejects.toMatchObject({ kind: 'config' });
  });

  it('names content the site cannot show, and single types not saved in this state', async () => {
    cms.content = { articles: [rawArticle(2, { title: '' })] };
    await expect(loadArticlePreview('doc2', 'DRAFT', env)).rejects.toBeInstanceOf(InvalidContentError);
    cms.content = { articles: [], global: null };
    await expect(loadCtaPreview('DRAFT', env)).rejects.toThrow(CmsError);
    await expect(loadCtaPreview('DRAFT', env)).rejects.toThrow('There are no site settings (Global) in this state yet');
  });
});
