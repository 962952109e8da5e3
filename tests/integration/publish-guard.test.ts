// Publishing is checked against the site's content contract: an editor learns in the admin, field by field,
// what the site could not show, and the published version stays as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestCms } from '../support/cms.ts';

const paragraph = (text: string) => [{ type: 'paragraph', children: [{ type: 'text', text }] }];

describe('publishing content the site cannot show', () => {
  let cms: TestCms;
  let documentId: string;
  beforeAll(async () => {
    cms = await TestCms.boot();
    documentId = (await cms.editor.findArticle('sales-vs-marketing')).documentId;
  });
  afterAll(async () => {
    await cms?.destroy();
  });

  async function publishedTitle(): Promise<string> {
    const response = await cms.graphql<{ articles: Array<{ title: string }> }>('{ articles { title } }');
    return response.data!.articles[0]!.title;
  }

  it('refuses an article made only of side notes, saying which field and why', async () => {
    await cms.editor.saveDraft(documentId, {
      title: 'Only notes',
      body: [{ __component: 'article.side-note', label: 'Side note', body: paragraph('Just a note.') }],
    });
    await expect(cms.editor.publish(documentId)).rejects.toThrow(
      /400.*Cannot publish article \\"sales-vs-marketing\\".*body: must have at least one section/,
    );
    expect(await publishedTitle()).toBe('What’s the difference between sales and marketing?');
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
    expect(await publishedTitle()).toBe('What’s the difference between sales and marketing?');
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
