// Issue 11's content model on a real Strapi: authors, topics, covers and share images, uploaded through the
// admin's upload API and edited through the Content Manager as an editor would. Drafts never leak: not an
// unpublished author or topic, and not an unpublished article reached through author.articles or
// topic.articles, over GraphQL (whose relation resolvers bypass the Document Service) or REST. Editors see words
// as field labels, with a hint on each. On the run's shared CMS of each database kind (relations and drafts are
// the database's queries), with an article, authors and topics of this file's own (slugs "em-…"): other files
// use the seeded ones and add their own, so every list here is narrowed to them. What the seed links (the agency,
// its topics) is checked in seed.test.ts, and exactly, on a CMS no other file has written to, in operations.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTICLES_PAGE_QUERY,
  ArticleSchema,
  AuthorSchema,
  COVER_ALT_REQUIRED,
  PAGE_SIZE,
  PREVIEW_ARTICLE_QUERY,
  PREVIEW_CTA_QUERY,
  UID,
  parseEntry,
} from '@agency/shared';
import { sleep } from '../../scripts/common/sleep.ts';
import { withoutSystemFields } from '../../scripts/stack/cms-admin.ts';
import { TestCms, sampleArticle } from '../support/cms.ts';
import { DATABASES } from '../support/databases.ts';
import { png } from '../support/png.ts';

const cm = (uid: string) => `/content-manager/collection-types/${uid}`;

/** This file's article: published, no author or topics until a test links them. */
const SLUG = 'em-article';
/** GraphQL arguments and REST query that narrow a list of articles to SLUG. */
const MINE = `filters: { slug: { eq: "${SLUG}" } }`;
const MINE_REST = `filters[slug][$eq]=${SLUG}`;

type Uploaded = { id: number; url: string; hash: string; mime: string; width: number; height: number };

describe.each(DATABASES)('editorial model: authors, topics, images, no leaking drafts (%s)', (database) => {
  let cms: TestCms;
  let jwt: string;
  let articleId: string;

  beforeAll(async () => {
    cms = await TestCms.shared(database);
    jwt = await cms.adminJwt();
    articleId = await cms.editor.createArticle(sampleArticle(SLUG), { publish: true });
  });
  // The shared CMS outlives this file: its articles, authors and topics (slugs em-…) go, or the site builds of
  // files after it would fetch their images, which a later file's `strapi import` may have removed from uploads/.
  // Independent requests go together (Promise.all) here and below: each is a round trip to Strapi, and the file's
  // time is mostly waiting on them one by one.
  afterAll(async () => {
    await Promise.all(
      [UID.article, UID.author, UID.topic].map(async (uid) => {
        const mine = await cms.admin('GET', `${cm(uid)}?filters[slug][$startsWith]=em-&pageSize=100`);
        await Promise.all(
          (mine.results ?? []).map((entry: { documentId: string }) => cms.admin('DELETE', `${cm(uid)}/${entry.documentId}`)),
        );
      }),
    );
  });

  /** Uploads a file through the admin's upload API (what the Media Library does). */
  async function upload(name: string, width: number, height: number): Promise<Uploaded> {
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(png(width, height))], { type: 'image/png' }), name);
    const response = await fetch(`${cms.url}/upload`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` }, body: form });
    expect(response.status, await response.clone().text()).toBe(201);
    const [file] = (await response.json()) as Uploaded[];
    return file!;
  }

  /** Creates a document in the Content Manager (a draft), optionally publishing it; returns its documentId. */
  async function create(uid: string, data: Record<string, unknown>, publish: boolean): Promise<string> {
    const created = await cms.admin('POST', cm(uid), data);
    const documentId: string = created.data.documentId;
    if (publish) await cms.admin('POST', `${cm(uid)}/${documentId}/actions/publish`, withoutSystemFields(created.data));
    return documentId;
  }
  const publish = async (uid: string, documentId: string) => {
    const current = await cms.admin('GET', `${cm(uid)}/${documentId}`);
    await cms.admin('POST', `${cm(uid)}/${documentId}/actions/publish`, withoutSystemFields(current.data));
  };
  const unpublish = (uid: string, documentId: string) => cms.admin('POST', `${cm(uid)}/${documentId}/actions/unpublish`, {});

  /** Sets relations on an article's draft and publishes it (the admin's relation format: { set: [documentIds] }). */
  async function publishArticleWith(documentId: string, changes: Record<string, unknown>): Promise<void> {
    const form = await cms.editor.articleForm(documentId);
    await cms.admin('POST', `${cm(UID.article)}/${documentId}/actions/publish`, { ...form, ...changes });
  }
  const link = (...documentIds: string[]) => ({ set: documentIds.map((documentId) => ({ documentId })) });

  async function graphql<T>(query: string): Promise<T> {
    const response = await cms.graphql<T>(query);
    expect(response.errors, query).toBeUndefined();
    return response.data!;
  }

  it('authors and topics are read-only in the public API (no GraphQL mutations, no REST writes)', async () => {
    const mutations = ['deleteAuthor', 'createTopic'].map(async (mutation) => {
      const response = await cms.graphql(`mutation { ${mutation}(documentId: "x") { documentId } }`);
      expect(response.errors?.[0]?.extensions?.code, mutation).toBe('GRAPHQL_VALIDATION_FAILED');
    });
    const writes = (
      [
        ['POST', '/api/authors'],
        ['PUT', '/api/authors/x'],
        ['DELETE', '/api/topics/x'],
        ['POST', '/api/topics'],
      ] as const
    ).map(async ([method, path]) => {
      const response = await cms.rest(path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: '{"data":{"name":"Mallory"}}',
      });
      expect([403, 404, 405], `${method} ${path}`).toContain(response.status);
    });
    await Promise.all([...mutations, ...writes]);
  });

  it('every document the site sends passes the CMS’s GraphQL limits (depth, cost, tokens)', async () => {
    const runs: Array<[string, string, Record<string, unknown>]> = [
      ['ARTICLES_PAGE_QUERY', ARTICLES_PAGE_QUERY, { page: 1, pageSize: PAGE_SIZE }],
      ['PREVIEW_ARTICLE_QUERY', PREVIEW_ARTICLE_QUERY, { documentId: articleId, status: 'PUBLISHED' }],
      ['PREVIEW_CTA_QUERY', PREVIEW_CTA_QUERY, { status: 'PUBLISHED' }],
    ];
    await Promise.all(
      runs.map(async ([name, query, variables]) => expect((await cms.graphql(query, variables)).errors, name).toBeUndefined()),
    );
  });

  it('refuses to save a cover without its description, naming the field; with one, the cover reaches the public API', async () => {
    const [cover, shareImage] = await Promise.all([upload('cover.png', 48, 32), upload('share.png', 120, 63)]);
    expect(cover).toMatchObject({ mime: 'image/png', width: 48, height: 32 });
    // UPLOAD_PROVIDER unset: Strapi's local provider, the file served by the CMS itself (an S3 bucket: uploads-s3.test.ts).
    expect(cover.url).toMatch(/^\/uploads\/cover_[0-9a-f]+\.png$/);
    // Both refused, so neither changes the draft the other reads: they go together.
    const form = await cms.editor.articleForm(articleId);
    await Promise.all([
      expect(cms.editor.saveDraft(articleId, { cover: cover.id, coverAlt: '' })).rejects.toThrow(
        new RegExp(`400.*Cover image description \\(coverAlt\\) ${COVER_ALT_REQUIRED}`),
      ),
      // Publishing with the form (save + publish in one request) is refused the same way.
      expect(cms.editor.publish(articleId, { ...form, cover: cover.id, coverAlt: '  ' })).rejects.toThrow(/400.*coverAlt/),
    ]);
    // Removing the description from a draft that already has a cover is refused too.
    await cms.editor.saveDraft(articleId, { cover: cover.id, coverAlt: 'A grey rectangle' });
    await expect(cms.editor.saveDraft(articleId, { coverAlt: null })).rejects.toThrow(/400.*coverAlt/);

    const saved = await cms.editor.articleForm(articleId);
    await cms.editor.publish(articleId, { ...saved, seo: { ...(saved.seo as object), shareImage: shareImage.id } });
    const [data, rest, files, restFiles] = await Promise.all([
      graphql<{ articles: unknown[] }>(`
      {
        articles(${MINE}) {
          documentId
          slug
          title
          intro
          publishedAt
          updatedAt
          coverAlt
          cover {
            url
            alternativeText
            width
            height
            mime
            hash
          }
          author {
            documentId
            name
            slug
            role
            bio
            photo {
              url
              alternativeText
              width
              height
              mime
              hash
            }
          }
          topics {
            documentId
            name
            slug
            description
          }
          seo {
            metaTitle
            metaDescription
            canonicalUrl
            noIndex
            shareImage {
              url
              alternativeText
              width
              height
              mime
              hash
            }
          }
          body {
            __typename
            ... on ComponentArticleSection {
              heading
              body
            }
            ... on ComponentArticleSideNote {
              label
              body
            }
          }
        }
      }
    `),
      cms.rest(`/api/articles?populate[0]=cover&populate[1]=seo.shareImage&${MINE_REST}`),
      cms.graphql('{ uploadFiles { name } }'),
      cms.rest('/api/upload/files'),
    ]);
    const article = parseEntry(ArticleSchema, data.articles[0], `article "${SLUG}"`);
    expect(article.cover).toEqual({ url: cover.url, alternativeText: null, width: 48, height: 32, mime: 'image/png', hash: cover.hash });
    expect(article.coverAlt).toBe('A grey rectangle');
    expect(article.seo?.shareImage).toMatchObject({ url: shareImage.url, width: 120, height: 63 });
    expect(rest.status).toBe(200);
    expect(rest.body.data[0].cover).toMatchObject({ url: cover.url, width: 48, height: 32 });
    expect(rest.body.data[0].seo.shareImage).toMatchObject({ url: shareImage.url });
    // The media library itself stays private.
    expect(files.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(restFiles.status).toBe(403);
  });

  it('an author photo uploads and validates', async () => {
    const photo = await upload('jane.png', 40, 40);
    await create(UID.author, { name: 'Jane Photo', slug: 'em-jane-photo', role: 'Designer', photo: photo.id, bio: 'Draws.' }, true);
    const data = await graphql<{ authors: unknown[] }>(
      '{ authors(filters: { slug: { eq: "em-jane-photo" } }) { documentId name slug role bio photo { url alternativeText width height mime hash } } }',
    );
    expect(parseEntry(AuthorSchema, data.authors[0], 'author "em-jane-photo"').photo).toMatchObject({
      url: photo.url,
      width: 40,
      height: 40,
    });
  });

  it('an unpublished author never appears: not listed, not on its articles, not by asking for drafts', async () => {
    const ghost = await create(UID.author, { name: 'Ghost Writer', slug: 'em-ghost-writer', bio: 'Not yet public.' }, false);
    await publishArticleWith(articleId, { author: link(ghost) });

    const [data, rest, authors, one, drafts, draftsQuery, nested] = await Promise.all([
      graphql<{ authors: Array<{ slug: string }>; articles: Array<{ author: unknown }> }>(
        `{ authors(pagination: { limit: 100 }) { slug } articles(${MINE}) { author { slug } } }`,
      ),
      cms.rest(`/api/articles?populate=author&${MINE_REST}`),
      cms.rest('/api/authors?pagination[pageSize]=100'),
      cms.rest(`/api/authors/${ghost}`),
      cms.rest('/api/authors?status=draft'),
      cms.graphql('{ authors(status: DRAFT) { slug } }'),
      // A nested status argument cannot reach the draft either.
      cms.graphql<{ articles: Array<{ author: unknown }> }>(`{ articles(${MINE}) { author(status: DRAFT) { slug } } }`),
    ]);
    expect(data.authors.map((a) => a.slug)).not.toContain('em-ghost-writer');
    expect(data.articles[0]!.author).toBeNull();
    expect(rest.body.data[0].author).toBeNull();
    expect(authors.body.data.map((a: { slug: string }) => a.slug)).not.toContain('em-ghost-writer');
    expect(one.status).toBe(404);
    expect(drafts.status).toBe(403);
    expect(draftsQuery.errors?.[0]?.message).toMatch(/Drafts are not public/);
    expect(JSON.stringify(nested.data ?? null)).not.toContain('em-ghost-writer');

    // Published, the author appears on the published article at once (Strapi links the relation kept on its draft) …
    await publish(UID.author, ghost);
    const shown = await graphql<{
      articles: Array<{ author: { slug: string } | null }>;
      authors: Array<{ slug: string; articles: Array<{ slug: string }> }>;
    }>(`{ articles(${MINE}) { author { slug } } authors(filters: { slug: { eq: "em-ghost-writer" } }) { slug articles { slug } } }`);
    expect(shown.articles[0]!.author).toEqual({ slug: 'em-ghost-writer' });
    expect(shown.authors).toEqual([{ slug: 'em-ghost-writer', articles: [{ slug: SLUG }] }]);

    // … and unpublished again, it is gone from both sides at once.
    await unpublish(UID.author, ghost);
    const [gone, goneRest] = await Promise.all([
      graphql<{ articles: Array<{ author: unknown }>; authors: Array<{ slug: string }> }>(
        `{ articles(${MINE}) { author { slug } } authors(pagination: { limit: 100 }) { slug } }`,
      ),
      cms.rest(`/api/articles?populate=author&${MINE_REST}`),
    ]);
    expect(gone.articles[0]!.author).toBeNull();
    expect(gone.authors.map((a) => a.slug)).not.toContain('em-ghost-writer');
    expect(goneRest.body.data[0].author).toBeNull();
  });

  it('an unpublished topic never appears on its articles or in the list', async () => {
    const hidden = await create(UID.topic, { name: 'Hidden', slug: 'em-hidden' }, false);
    const topics = await graphql<{ topics: Array<{ documentId: string; slug: string }> }>('{ topics { documentId slug } }');
    const sales = topics.topics.find((t) => t.slug === 'sales')!.documentId;
    await publishArticleWith(articleId, { topics: link(sales, hidden) });

    const [data, rest, drafts, draftsQuery, nested] = await Promise.all([
      graphql<{ articles: Array<{ topics: Array<{ slug: string }> }>; topics: Array<{ slug: string }> }>(
        `{ articles(${MINE}) { topics { slug } } topics(pagination: { limit: 100 }) { slug } }`,
      ),
      cms.rest(`/api/articles?populate=topics&${MINE_REST}`),
      cms.rest('/api/topics?status=draft'),
      cms.graphql('{ topics(status: DRAFT) { slug } }'),
      cms.graphql(`{ articles(${MINE}) { topics(status: DRAFT) { slug } } }`),
    ]);
    expect(data.articles[0]!.topics).toEqual([{ slug: 'sales' }]);
    expect(data.topics.map((t) => t.slug)).not.toContain('em-hidden');
    expect(rest.body.data[0].topics.map((t: { slug: string }) => t.slug)).toEqual(['sales']);
    expect(drafts.status).toBe(403);
    expect(draftsQuery.errors?.[0]?.message).toMatch(/Drafts are not public/);
    expect(JSON.stringify(nested.data ?? null)).not.toContain('em-hidden');

    // Published, it joins the published article at once; unpublished, it leaves it.
    await publish(UID.topic, hidden);
    const shown = await graphql<{ articles: Array<{ topics: Array<{ slug: string }> }> }>(
      `{ articles(${MINE}) { topics(sort: ["slug:asc"]) { slug } } }`,
    );
    expect(shown.articles[0]!.topics).toEqual([{ slug: 'em-hidden' }, { slug: 'sales' }]);
    await unpublish(UID.topic, hidden);
    const [gone, goneRest] = await Promise.all([
      graphql<{ articles: Array<{ topics: Array<{ slug: string }> }> }>(`{ articles(${MINE}) { topics { slug } } }`),
      cms.rest(`/api/articles?populate=topics&${MINE_REST}`),
    ]);
    expect(gone.articles[0]!.topics).toEqual([{ slug: 'sales' }]);
    expect(goneRest.body.data[0].topics.map((t: { slug: string }) => t.slug)).toEqual(['sales']);
  });

  it('an unpublished article never appears through topic.articles or author.articles', async () => {
    const [topic, author] = await Promise.all([
      create(UID.topic, { name: 'Branding', slug: 'em-branding' }, true),
      create(UID.author, { name: 'Pat Writer', slug: 'em-pat-writer' }, true),
    ]);
    const relations = { author: link(author), topics: link(topic) };
    const [live] = await Promise.all([
      create(UID.article, { ...sampleArticle('em-live-one'), ...relations }, true),
      create(UID.article, { ...sampleArticle('em-draft-one'), ...relations }, false),
    ]);

    type Listing = { topics: Array<{ articles: Array<{ slug: string }> }>; authors: Array<{ articles: Array<{ slug: string }> }> };
    const listing = `{ topics(filters: { slug: { eq: "em-branding" } }) { articles { slug } }
      authors(filters: { slug: { eq: "em-pat-writer" } }) { articles { slug } } }`;
    const restTopic = async () =>
      (await cms.rest(`/api/topics/${topic}?populate=articles`)).body.data.articles.map((a: { slug: string }) => a.slug);
    const restAuthor = async () =>
      (await cms.rest(`/api/authors/${author}?populate=articles`)).body.data.articles.map((a: { slug: string }) => a.slug);

    const [before, topicBefore, authorBefore, nested] = await Promise.all([
      graphql<Listing>(listing),
      restTopic(),
      restAuthor(),
      cms.graphql(`{ topics { articles(status: DRAFT) { slug } } authors { articles(status: DRAFT) { slug } } }`),
    ]);
    expect(before.topics[0]!.articles).toEqual([{ slug: 'em-live-one' }]);
    expect(before.authors[0]!.articles).toEqual([{ slug: 'em-live-one' }]);
    expect(topicBefore).toEqual(['em-live-one']);
    expect(authorBefore).toEqual(['em-live-one']);
    expect(JSON.stringify(nested.data ?? null)).not.toContain('em-draft-one');
    // A draft change to the live article stays unseen through the relation too.
    await cms.editor.saveDraft(live, { title: 'Unsaved draft title' });
    const titles = await graphql<{ topics: Array<{ articles: Array<{ title: string }> }> }>(
      '{ topics(filters: { slug: { eq: "em-branding" } }) { articles { title } } }',
    );
    expect(titles.topics[0]!.articles).toEqual([{ title: 'Article em-live-one' }]);

    await unpublish(UID.article, live);
    const [after, topicAfter, authorAfter] = await Promise.all([graphql<Listing>(listing), restTopic(), restAuthor()]);
    expect(after.topics[0]!.articles).toEqual([]);
    expect(after.authors[0]!.articles).toEqual([]);
    expect(topicAfter).toEqual([]);
    expect(authorAfter).toEqual([]);
  });

  it('dates an article by its first publication: publishing again after an edit or an unpublish keeps it, read-only for editors', async () => {
    const dates = async (documentId: string) => {
      const { data } = await cms.graphql<{ articles: Array<{ publishedAt: string; firstPublishedAt: string | null }> }>(
        `query($id: ID!) { articles(filters: { documentId: { eq: $id } }) { publishedAt firstPublishedAt } }`,
        { id: documentId },
      );
      return data!.articles[0]!;
    };
    const documentId = await cms.editor.createArticle(sampleArticle(`first-published-${database}`), { publish: true });
    const first = await dates(documentId);
    // Set as the publish starts, a moment before Strapi's own date.
    expect(Math.abs(Date.parse(first.firstPublishedAt ?? '') - Date.parse(first.publishedAt))).toBeLessThan(5_000);
    await sleep(50);
    await cms.editor.publish(documentId, { ...(await cms.editor.articleForm(documentId)), title: 'Edited after publication' });
    const edited = await dates(documentId);
    // Strapi's own date moves; the first publication stays, and the site reads that one.
    expect(Date.parse(edited.publishedAt)).toBeGreaterThan(Date.parse(first.publishedAt));
    expect(edited.firstPublishedAt).toBe(first.firstPublishedAt);
    await cms.editor.unpublish(documentId);
    await cms.editor.publish(documentId);
    expect((await dates(documentId)).firstPublishedAt).toBe(first.firstPublishedAt);
    const page = (
      await cms.graphql<{ articles_connection: { nodes: Array<{ documentId: string }> } }>(ARTICLES_PAGE_QUERY, {
        page: 1,
        pageSize: PAGE_SIZE,
      })
    ).data!.articles_connection.nodes.find((node) => node.documentId === documentId)!;
    expect(parseEntry(ArticleSchema, page, 'the article').publishedAt).toBe(first.firstPublishedAt);
    const config = (await cms.admin('GET', `/content-manager/content-types/${UID.article}/configuration`)).data;
    expect(config.contentType.metadatas.firstPublishedAt.edit).toMatchObject({ label: 'First published', editable: false });
  });

  it('every field of every content type has a label in words, and each new field a hint (the Content Manager’s configuration)', async () => {
    const expected: Record<string, Record<string, string>> = {
      [UID.article]: { title: 'Title', cover: 'Cover image', coverAlt: 'Cover image description', author: 'Author', topics: 'Topics' },
      [UID.author]: { name: 'Name', bio: 'Short bio', photo: 'Photo' },
      [UID.topic]: { name: 'Name', description: 'Description' },
      [UID.global]: { siteName: 'Site name' },
      [UID.consultationCta]: { actionLabel: 'Button text' },
    };
    const uids = [UID.article, UID.author, UID.topic, UID.global, UID.consultationCta, UID.consultationRequest];
    // The content types and each one's configuration, asked for together and read once each.
    const [list, ...configs] = await Promise.all([
      cms.admin('GET', '/content-manager/content-types'),
      ...uids.map((uid) => cms.admin('GET', `/content-manager/content-types/${uid}/configuration`)),
    ]);
    const types = list.data as Array<{ uid: string; attributes: Record<string, unknown> }>;
    const configuration = (uid: (typeof uids)[number]) => configs[uids.indexOf(uid)].data;
    for (const uid of uids) {
      const metadatas = configuration(uid).contentType.metadatas as Record<
        string,
        { edit: { label: string; description: string }; list: { label: string } }
      >;
      const schema = types.find((type) => type.uid === uid);
      const attributes = Object.keys(schema?.attributes ?? {}).filter(
        (field) =>
          !['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'createdBy', 'updatedBy', 'locale', 'localizations'].includes(
            field,
          ),
      );
      expect(attributes.length, uid).toBeGreaterThan(0);
      for (const field of attributes) {
        if ((metadatas[field]?.edit as { visible?: boolean } | undefined)?.visible === false) continue; // hidden from editors
        const label = metadatas[field]?.edit.label;
        // Words: a capital first letter, not the attribute's own camelCase name.
        expect(label, `${uid}.${field}`).toMatch(/^[A-Z]/);
        if (/[A-Z]/.test(field)) expect(label, `${uid}.${field}`).not.toBe(field);
      }
      for (const [field, label] of Object.entries(expected[uid] ?? {})) {
        expect(metadatas[field]?.edit.label, `${uid}.${field}`).toBe(label);
        expect(metadatas[field]?.list.label, `${uid}.${field} (list)`).toBe(label);
      }
    }
    const article = configuration(UID.article);
    for (const field of ['cover', 'coverAlt', 'author', 'topics'])
      expect(article.contentType.metadatas[field].edit.description, field).toMatch(/\w{3,}/);
    for (const uid of [UID.author, UID.topic]) {
      const { metadatas } = configuration(uid).contentType;
      for (const field of ['name', 'slug']) expect(metadatas[field].edit.description, `${uid}.${field}`).toMatch(/\w{3,}/);
    }
    const seo = article.components['shared.seo'].metadatas;
    expect(seo.shareImage.edit).toMatchObject({ label: 'Share image', description: expect.stringMatching(/1200 × 630/) });
    expect(seo.metaTitle.edit.label).toBe('Search title');
  });
});
