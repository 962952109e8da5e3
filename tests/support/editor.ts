// What an editor does in the admin panel, through the same admin API the panel calls.
import type { TestCms } from './cms.ts';

const ARTICLES = '/content-manager/collection-types/api::article.article';

export async function findArticle(cms: TestCms, slug: string): Promise<{ documentId: string; title: string } & Record<string, any>> {
  const found = await cms.admin('GET', `${ARTICLES}?filters[slug][$eq]=${encodeURIComponent(slug)}`);
  const article = found.results?.[0];
  if (!article) throw new Error(`no article with slug ${slug}`);
  return article;
}

/** Saves a draft change (what "Save" does): the published version stays as it was. */
export async function saveDraft(cms: TestCms, documentId: string, data: Record<string, unknown>): Promise<void> {
  const current = await cms.admin('GET', `${ARTICLES}/${documentId}`);
  await cms.admin('PUT', `${ARTICLES}/${documentId}`, { ...stripSystemFields(current.data), ...data });
}

export async function publish(cms: TestCms, documentId: string): Promise<void> {
  const current = await cms.admin('GET', `${ARTICLES}/${documentId}`);
  await cms.admin('POST', `${ARTICLES}/${documentId}/actions/publish`, stripSystemFields(current.data));
}

export async function createArticle(cms: TestCms, data: Record<string, unknown>, options: { publish: boolean }): Promise<string> {
  const created = await cms.admin('POST', ARTICLES, data);
  const documentId: string = created.data.documentId;
  if (options.publish) await publish(cms, documentId);
  return documentId;
}

export async function deleteArticle(cms: TestCms, documentId: string): Promise<void> {
  await cms.admin('DELETE', `${ARTICLES}/${documentId}`);
}

/** A minimal valid article body for generated test content. */
export function sampleArticle(slug: string, title = `Article ${slug}`) {
  return {
    title,
    slug,
    intro: `The intro of ${title}.`,
    body: [
      {
        __component: 'article.section',
        heading: 'A section',
        body: [{ type: 'paragraph', children: [{ type: 'text', text: `Text of ${title}.` }] }],
      },
    ],
  };
}

function stripSystemFields(data: Record<string, any>): Record<string, any> {
  const { id, documentId, createdAt, updatedAt, publishedAt, createdBy, updatedBy, locale, localizations, status, ...rest } = data;
  void [id, documentId, createdAt, updatedAt, publishedAt, createdBy, updatedBy, locale, localizations, status];
  return rest;
}

/** Takes the article off the site (what "Unpublish" does); the draft stays. */
export async function unpublish(cms: TestCms, documentId: string): Promise<void> {
  await cms.admin('POST', `${ARTICLES}/${documentId}/actions/unpublish`, {});
}
