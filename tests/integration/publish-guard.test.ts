// Publishing is checked against the site's content contract: an editor learns in the admin, field by field,
// what the site could not show, and the published version stays as it was. On the run's shared CMS (nothing here
// needs settings of its own), with an article of this file's own: other files use the seeded one.
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleArticle, TestCms } from '../support/cms.ts';

const paragraph = (text: string) => [{ type: 'paragraph', children: [{ type: 'text', text }] }];

const SLUG = 'publish-guard-article';
const TITLE = 'The title the site shows';

describe('publishing content the site cannot show', () => {
  let cms: TestCms;
  let documentId: string;
  beforeAll(async () => {
    cms = await TestCms.shared();
    documentId = await cms.editor.createArticle(sampleArticle(SLUG, TITLE), { publish: true });
  });

  async function publishedTitle(): Promise<string> {
    const response = await cms.graphql<{ articles: Array<{ title: string }> }>(
      `{ articles(filters: { slug: { eq: "${SLUG}" } }) { title } }`,
    );
    expect(response.errors).toBeUndefined();
    return response.data!.articles[0]!.title;
  }

  it('refuses an article made only of side notes, saying which field and why', async () => {
    await cms.editor.saveDraft(documentId, {
      title: 'Only notes',
      body: [{ __component: 'article.side-note', label: 'Side note', body: paragraph('Just a note.') }],
    });
    await expect(cms.editor.publish(documentId)).rejects.toThrow(
      new RegExp(`400.*Cannot publish article \\\\"${SLUG}\\\\".*body: must have at least one section`),
    );
    expect(await publishedTitle()).toBe(TITLE);
  });

  it('refuses a link to another host disguised as a site path, naming the exact place', async () => {
    await cms.editor.saveDraft(documentId, {
      title: 'A dangerous link',
      body: [
        {
          __component: 'article.section',
          heading: 'Section',
          body: [
            { type: 'paragraph', children: [{ type: 'link', url: '//evil.example/phish', children: [{ type: 'text', text: 'click' }] }] },
          ],
        },
      ],
    });
    await expect(cms.editor.publish(documentId)).rejects.toThrow(/body\[0\]\.body\[0\]\.children\[0\]\.url/);
    expect(await publishedTitle()).toBe(TITLE);
  });

  it('publishes valid content as usual', async () => {
    await cms.editor.saveDraft(documentId, {
      title: 'A valid new title',
      body: [{ __component: 'article.section', heading: 'Only section', body: paragraph('Fine.') }],
    });
    await cms.editor.publish(documentId);
    expect(await publishedTitle()).toBe('A valid new title');
  });
});
