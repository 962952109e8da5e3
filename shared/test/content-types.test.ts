// The content types, named once (src/content-types.ts): the UIDs agree with the CMS's folders, and the
// helpers the rebuild service and the CMS use read them the same way.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SITE_CONTENT_UIDS, UID, isSiteContentUid, modelName } from '../src/index.ts';

const API = path.resolve(import.meta.dirname, '..', '..', 'cms', 'src', 'api');

describe('UID', () => {
  it.each(Object.entries(UID))('%s names a content type the CMS defines (%s)', (_name, uid) => {
    const [, api, model] = /^api::([a-z-]+)\.([a-z-]+)$/.exec(uid) ?? [];
    expect(api, uid).toBeDefined();
    expect(
      existsSync(path.join(API, api!, 'content-types', model!, 'schema.json')),
      `cms/src/api/${api}/content-types/${model}/schema.json`,
    ).toBe(true);
  });

  it('lists the types the site is built from, which excludes consultation requests (personal data)', () => {
    expect([...SITE_CONTENT_UIDS].sort()).toEqual([UID.article, UID.author, UID.topic, UID.consultationCta, UID.global].sort());
    expect(SITE_CONTENT_UIDS).not.toContain(UID.consultationRequest);
  });
});

describe('modelName', () => {
  it("is Strapi's model name, as webhook payloads carry it", () => {
    expect(modelName(UID.article)).toBe('article');
    expect(modelName(UID.consultationCta)).toBe('consultation-cta');
    expect(modelName(UID.consultationRequest)).toBe('consultation-request');
  });
});

describe('isSiteContentUid', () => {
  it('accepts exactly the site content UIDs', () => {
    for (const uid of SITE_CONTENT_UIDS) expect(isSiteContentUid(uid)).toBe(true);
  });

  it.each([UID.consultationRequest, 'api::article', 'article', 'API::ARTICLE.ARTICLE', 'plugin::upload.file', '', null, undefined, 42, {}])(
    'refuses %j',
    (value) => {
      expect(isSiteContentUid(value)).toBe(false);
    },
  );
});
