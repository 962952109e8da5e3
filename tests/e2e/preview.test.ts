// Draft preview: the admin's Preview button leads to the preview server, which renders the draft with the
// site's own components; the secret is enforced, the token never leaves the server, the public site is untouched.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/stack/ports.ts';
import { ensurePreviewBuild, startPreviewServer, type RunningPreview } from '../../scripts/stack/preview-runner.ts';
import { TestCms } from '../support/cms.ts';
import { buildFrom } from '../support/site.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const PUBLISHED_TITLE = 'What’s the difference between sales and marketing?';
const DRAFT_TITLE = 'A draft only the editor sees';
const h1 = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1] ?? null;

describe('draft preview', () => {
  const secret = randomBytes(18).toString('base64url');
  const token = randomBytes(24).toString('base64url');
  let cms: TestCms;
  let preview: RunningPreview;
  const responses: Array<{ headers: string; body: string }> = [];

  async function get(pathAndQuery: string): Promise<{ status: number; html: string; headers: Headers }> {
    const response = await fetch(`${preview.url}${pathAndQuery}`, { redirect: 'manual' });
    const html = await response.text();
    responses.push({ headers: JSON.stringify([...response.headers]), body: html });
    return { status: response.status, html, headers: response.headers };
  }

  beforeAll(async () => {
    const port = await freePort();
    cms = await TestCms.boot({ env: { PREVIEW_URL: `http://127.0.0.1:${port}`, PREVIEW_SECRET: secret, PREVIEW_TOKEN: token } });
    const env = { ...process.env, CMS_URL: cms.url, CMS_TOKEN: '', PREVIEW_SECRET: secret, PREVIEW_TOKEN: token };
    await ensurePreviewBuild(env);
    preview = await startPreviewServer(port, env);
    const { documentId } = await cms.editor.findArticle('sales-vs-marketing');
    await cms.editor.saveDraft(documentId, { title: DRAFT_TITLE });
  });
  afterAll(async () => {
    await preview?.stop();
    await cms?.destroy();
  });

  it('opens from the admin’s Preview button and shows the unpublished draft with the site’s components', async () => {
    const { documentId } = await cms.editor.findArticle('sales-vs-marketing');
    const link = await cms.admin('GET', `/content-manager/preview/url/api::article.article?documentId=${documentId}&status=draft`);
    const url = new URL(link.data.url);
    expect(url.origin).toBe(preview.url);
    expect(url.pathname).toBe('/preview/articles/sales-vs-marketing/');

    const page = await get(`${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(h1(page.html)).toBe(DRAFT_TITLE);
    expect(page.html).toContain('data-block="side-note"');
    expect(page.html).toContain('data-cta');
    expect(page.html).toMatch(/<meta name="robots" content="noindex/);
    expect(page.headers.get('x-robots-tag')).toMatch(/noindex/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toBe(`frame-ancestors 'self' ${new URL(cms.url).origin}`);
  });

  it('shows the published version when asked, and the public site never shows the draft', async () => {
    const published = await get(`/preview/articles/sales-vs-marketing/?secret=${secret}&status=published`);
    expect(h1(published.html)).toBe(PUBLISHED_TITLE);

    const site = await buildFrom(cms.url);
    expect(site.ok, site.output).toBe(true);
    const html = readFileSync(path.join(site.outDir, 'articles', 'sales-vs-marketing', 'index.html'), 'utf8');
    expect(h1(html)).toBe(PUBLISHED_TITLE);
    expect(html).not.toContain(DRAFT_TITLE);
  });

  it('previews the consultation CTA draft', async () => {
    const ctaDoc = await cms.admin('GET', '/content-manager/single-types/api::consultation-cta.consultation-cta');
    const { id, documentId, createdAt, updatedAt, publishedAt, createdBy, updatedBy, locale, localizations, status, ...data } = ctaDoc.data;
    void [id, documentId, createdAt, updatedAt, publishedAt, createdBy, updatedBy, locale, localizations, status];
    await cms.admin('PUT', '/content-manager/single-types/api::consultation-cta.consultation-cta', {
      ...data,
      heading: 'A new CTA heading, not yet live',
    });
    const link = await cms.admin('GET', '/content-manager/preview/url/api::consultation-cta.consultation-cta?status=draft');
    const url = new URL(link.data.url);
    const page = await get(`${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('A new CTA heading, not yet live');
  });

  it('requires the preview secret (401 without it or with a wrong one) and serves nothing outside /preview', async () => {
    expect((await get('/preview/articles/sales-vs-marketing/')).status).toBe(401);
    const wrong = await get('/preview/articles/sales-vs-marketing/?secret=wrong-secret&status=draft');
    expect(wrong.status).toBe(401);
    expect(wrong.html).not.toContain(DRAFT_TITLE);
    expect((await get(`/articles/sales-vs-marketing/?secret=${secret}`)).status).toBe(404);
    expect((await get(`/preview/articles/no-such-article/?secret=${secret}&status=draft`)).status).toBe(404);
    expect((await get(`/preview/articles/sales-vs-marketing/?secret=${secret}&status=maybe`)).status).toBe(400);
  });

  it('keeps the draft token on the server: no response carries it, and without it the CMS refuses drafts', async () => {
    expect(responses.length).toBeGreaterThan(5);
    for (const response of responses) {
      expect(response.body).not.toContain(token);
      expect(response.headers).not.toContain(token);
    }
    const anonymous = await cms.graphql('{ articles(status: DRAFT) { title } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const forged = await fetch(`${cms.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-preview-token': 'forged-token-0123456789' },
      body: JSON.stringify({ query: '{ articles(status: DRAFT) { title } }' }),
    });
    expect(JSON.stringify(await forged.json())).toContain('FORBIDDEN');
  });
});
