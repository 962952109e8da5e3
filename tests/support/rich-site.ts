// The content of the rich site the reading e2e suites share (site, reader, reader-pages, search, images): one
// CMS filled once per run with what all of them need, and what each expects to find, in one place. Filling it
// is ./site-fixtures.ts's job (the broker builds the site once); the test files read the constants and the
// expected page lists below, so a change to the content changes every expectation with it.
//
// The content: the seed (sales-vs-marketing, Branding Agency, Marketing/Sales/Strategy); FILLER generated
// articles written in bulk as its CMS first starts (enough for more than one API page of 100 articles and
// for home pagination); then, through the admin API as an editor would, authors (Jane Doe with a photo, Sam
// Roe with another, Ghost Writer left a draft), topics (Design; Secret Plans left a draft; Only Drafts with
// nothing published), the noIndex article, the three image articles, the article search finds by a word of
// its body, fourteen design notes by Jane (the newest also on Sales), a draft and a lone article whose author
// and topic are drafts. Published in that order: the lone article is the newest, the seed the oldest.
import { UID } from '@agency/shared';
import { testImage } from '../../scripts/stack/test-images.ts';
import { withoutSystemFields, type CmsAdmin, type UploadedFile } from '../../scripts/stack/cms-admin.ts';
import { sampleArticle } from './cms.ts';
import { png } from './png.ts';

/** The public URL every build of the rich site is made for. */
export const SITE_URL = 'https://agency.example';
export const SEEDED_SLUG = 'sales-vs-marketing';
/** Generated articles (generated-0001…): with the rest, 105 published, more than one API page of 100. */
export const FILLER = 84;
/** Published articles on Design by Jane Doe: more than one page (12) of them. */
export const DESIGN_COUNT = 14;
export const design = (n: number) => `design-note-${String(n).padStart(2, '0')}`;
const filler = (i: number) => `generated-${String(i).padStart(4, '0')}`;
/** The article the editor hid from search engines (SEO → noIndex). */
export const HIDDEN_SLUG = 'hidden-article';
/** A word only the body of one article has (not its title or intro), and that article. */
export const SEARCH_WORD = 'quinceberry';
export const FOUND_SLUG = 'orchard-branding';
export const FOUND_TITLE = 'Branding an orchard';
/** The articles of the image tests, and their author (another than Jane, whose counts reader-pages checks). */
const IMAGE_SLUGS = ['with-every-image', 'cover-only', 'no-images'] as const;
export const IMAGE_AUTHOR = 'sam-roe';
/** Published last: the newest article, first on the home page. */
export const NEWEST_SLUG = 'lone-article';

/** Every published article's slug. */
export const PUBLISHED_SLUGS: readonly string[] = [
  SEEDED_SLUG,
  ...Array.from({ length: FILLER }, (_, i) => filler(i + 1)),
  HIDDEN_SLUG,
  ...IMAGE_SLUGS,
  FOUND_SLUG,
  ...Array.from({ length: DESIGN_COUNT }, (_, i) => design(i + 1)),
  NEWEST_SLUG,
];
/** ARTICLES_PER_PAGE (web/src/lib/pagination.ts). */
export const PER_PAGE = 12;
export const HOME_PAGES = Math.ceil(PUBLISHED_SLUGS.length / PER_PAGE);

/** Every HTML file the rich site's build must write, and no other (relative to its output directory, sorted). */
export function expectedHtmlFiles(): string[] {
  const dir = (pathname: string) => `${pathname}/index.html`;
  return [
    '404.html',
    'index.html',
    dir('consultation/thanks'),
    dir('search'),
    ...Array.from({ length: HOME_PAGES - 1 }, (_, i) => dir(`page/${i + 2}`)),
    ...PUBLISHED_SLUGS.map((slug) => dir(`articles/${slug}`)),
    ...['authors', 'authors/branding-agency', 'authors/jane-doe', 'authors/jane-doe/page/2', `authors/${IMAGE_AUTHOR}`].map(dir),
    ...['topics', 'topics/design', 'topics/design/page/2', 'topics/marketing', 'topics/sales', 'topics/strategy'].map(dir),
  ].sort();
}

/** The pages the sitemap lists: every page built but the 404, search and thank-you pages and the noIndex article. */
export function expectedSitemapPaths(): string[] {
  const unlisted = new Set(['404.html', 'search/index.html', 'consultation/thanks/index.html', `articles/${HIDDEN_SLUG}/index.html`]);
  return expectedHtmlFiles()
    .filter((file) => !unlisted.has(file))
    .map((file) => `/${file.replace(/index\.html$/, '')}`);
}

/** What the image tests need to know of the content made for them: the uploaded files, and the article with every image. */
export type RichImages = { files: Record<'cover' | 'inline' | 'photo' | 'share' | 'coverOnly', UploadedFile>; withAll: string };

const cm = (uid: string) => `/content-manager/collection-types/${uid}`;
const link = (...documentIds: string[]) => ({ set: documentIds.map((documentId) => ({ documentId })) });

/** Makes the admin-API part of the content (the filler is already in the database) on the running CMS. */
export async function fillRichCms(editor: CmsAdmin): Promise<RichImages> {
  /** A document created in the Content Manager (a draft), published unless `publish` is false. */
  async function create(uid: string, data: Record<string, unknown>, publish = true): Promise<string> {
    const created = await editor.request('POST', cm(uid), data);
    if (publish) await editor.request('POST', `${cm(uid)}/${created.data.documentId}/actions/publish`, withoutSystemFields(created.data));
    return created.data.documentId;
  }
  /** An article with its author and topics set (the admin's relation format), published unless `publish` is false. */
  async function article(slug: string, relations: { author?: string; topics?: string[] }, publish = true): Promise<void> {
    const documentId = await editor.createArticle(sampleArticle(slug, `Article ${slug}`), { publish: false });
    const changes = {
      ...(relations.author ? { author: link(relations.author) } : {}),
      ...(relations.topics ? { topics: link(...relations.topics) } : {}),
    };
    if (publish) await editor.publish(documentId, { ...(await editor.articleForm(documentId)), ...changes });
    else await editor.saveDraft(documentId, changes);
  }
  const upload = async (name: string, seed: number, width: number, height: number, format: 'jpeg' | 'png' = 'jpeg') =>
    editor.upload(name, await testImage(seed, width, height, format), `image/${format}`);

  const janePhoto = await editor.upload('jane.png', png(300, 300), 'image/png');
  const files: RichImages['files'] = {
    cover: await upload('cover.jpg', 1, 1600, 1000),
    inline: await upload('diagram.png', 2, 900, 600, 'png'),
    photo: await upload('sam.jpg', 3, 500, 500),
    share: await upload('share.jpg', 4, 1400, 900),
    coverOnly: await upload('cover-only.jpg', 5, 1000, 700),
  };
  const jane = await create(UID.author, {
    name: 'Jane Doe',
    slug: 'jane-doe',
    role: 'Design director',
    bio: 'Jane leads design.',
    photo: janePhoto.id,
  });
  const ghost = await create(UID.author, { name: 'Ghost Writer', slug: 'ghost-writer', bio: 'Not public yet.' }, false);
  const sam = await create(UID.author, { name: 'Sam Roe', slug: IMAGE_AUTHOR, role: 'Strategist', photo: files.photo.id });
  const designTopic = await create(UID.topic, { name: 'Design', slug: 'design', description: 'How brands look and feel.' });
  const secret = await create(UID.topic, { name: 'Secret Plans', slug: 'secret-plans' }, false);
  const draftsOnly = await create(UID.topic, { name: 'Only Drafts', slug: 'only-drafts' });
  const sales = (await editor.request('GET', `${cm(UID.topic)}?filters[slug][$eq]=sales`)).results[0].documentId as string;

  // An article the editor has hidden from search engines (SEO → noIndex), saved and published in the admin.
  const hidden = await editor.createArticle(sampleArticle(HIDDEN_SLUG, 'A page for a campaign'), { publish: true });
  await editor.saveDraft(hidden, { seo: { noIndex: true } });
  await editor.publish(hidden);

  // The image tests' articles: every kind of picture (cover, inline, share image, an author's photo), a cover only, none.
  const everything = sampleArticle('with-every-image', 'An article with every kind of image');
  everything.body[0]!.body.push({
    type: 'image',
    image: { ...files.inline, alternativeText: 'A diagram of the funnel' },
    children: [{ type: 'text', text: '' }],
  } as never);
  const withAll = await editor.createArticle(
    {
      ...everything,
      cover: files.cover.id,
      coverAlt: 'A gradient standing in for a photograph',
      author: link(sam),
      seo: { noIndex: false, shareImage: files.share.id },
    },
    { publish: true },
  );
  await editor.createArticle(
    { ...sampleArticle('cover-only', 'An article with a cover only'), cover: files.coverOnly.id, coverAlt: 'Another gradient' },
    { publish: true },
  );
  await editor.createArticle(sampleArticle('no-images', 'An article without any picture'), { publish: true });

  // The article search finds by a word of its body only.
  await editor.createArticle(
    {
      ...sampleArticle(FOUND_SLUG, FOUND_TITLE),
      body: [
        {
          __component: 'article.section',
          heading: 'Fruit and first impressions',
          body: [{ type: 'paragraph', children: [{ type: 'text', text: `The ${SEARCH_WORD} label carried the whole brand.` }] }],
        },
      ],
    },
    { publish: true },
  );

  // Published one after another: design-note-14 is the newest note. The newest is on Sales too.
  for (let n = 1; n <= DESIGN_COUNT; n++) {
    await article(design(n), { author: jane, topics: n === DESIGN_COUNT ? [designTopic, sales] : [designTopic] });
  }
  // A draft on a topic that has nothing else, by Jane: neither the article nor the topic may show.
  await article('unpublished-draft', { author: jane, topics: [draftsOnly] }, false);
  // Published last, but its author and only topic are drafts: no byline, no topic, no related articles.
  await article(NEWEST_SLUG, { author: ghost, topics: [secret] });
  return { files, withAll };
}
