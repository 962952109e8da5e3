// The CMS's content model (cms/src/**/schema.json) and the contract must agree: same fields, same limits,
// same patterns, same components; and the GraphQL documents must ask for every field the schemas read.
// Content the CMS accepts but the contract rejects fails every build; the reverse lets bad content through.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ARTICLES_PAGE_QUERY,
  ArticleBlockSchema,
  ArticleFieldsSchema,
  ArticleSchema,
  AuthorSchema,
  ConsultationCtaSchema,
  ImageSchema,
  LIMITS,
  PHONE_PATTERN,
  SITE_CONTENT_QUERY,
  SLUG_PATTERN,
  SectionSchema,
  SeoSchema,
  SideNoteSchema,
  SiteSettingsSchema,
  TopicSchema,
  UID,
  seed,
} from '../src/index.ts';
import { rawArticle, rawCta, rawSite, section, sideNote } from './fixtures.ts';

type Attribute = {
  type: string;
  required?: boolean;
  maxLength?: number;
  regex?: string;
  component?: string;
  components?: string[];
  relation?: string;
  target?: string;
  mappedBy?: string;
  inversedBy?: string;
  multiple?: boolean;
  allowedTypes?: string[];
};
const CMS = path.resolve(import.meta.dirname, '..', '..', 'cms', 'src');
const attributes = (file: string): Record<string, Attribute> => JSON.parse(readFileSync(path.join(CMS, file), 'utf8')).attributes;

const article = attributes('api/article/content-types/article/schema.json');
const author = attributes('api/author/content-types/author/schema.json');
const topic = attributes('api/topic/content-types/topic/schema.json');
const cta = attributes('api/consultation-cta/content-types/consultation-cta/schema.json');
const global = attributes('api/global/content-types/global/schema.json');
const seo = attributes('components/shared/seo.json');
const sectionAttrs = attributes('components/article/section.json');
const sideNoteAttrs = attributes('components/article/side-note.json');

/** Strapi's GraphQL type name for a component uid: `article.side-note` → `ComponentArticleSideNote`. */
const typename = (uid: string) =>
  `Component${uid
    .split(/[.-]/)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('')}`;

/** Fields the contract reads that the CMS does not define: system fields and GraphQL's __typename. */
const SYSTEM = new Set(['documentId', 'publishedAt', 'updatedAt', '__typename']);
const contractFields = (keys: string[]) => keys.filter((key) => !SYSTEM.has(key)).sort();
/** The inverse side of a relation (author.articles, topic.articles): the site reads the owning side, article. */
const INVERSE = new Set(['articles']);
const cmsFields = (attrs: Record<string, Attribute>) => Object.keys(attrs).filter((key) => !(INVERSE.has(key) && attrs[key]!.mappedBy));

// Each content type or component, its CMS attributes, the contract schema and a valid raw entry to vary.
const PAIRS: Array<{
  name: string;
  attrs: Record<string, Attribute>;
  schema: z.ZodType;
  fields: string[];
  valid: () => Record<string, unknown>;
}> = [
  { name: 'article', attrs: article, schema: ArticleSchema, fields: Object.keys(ArticleFieldsSchema.shape), valid: rawArticle },
  {
    name: 'author',
    attrs: author,
    schema: AuthorSchema,
    fields: Object.keys(AuthorSchema.shape),
    valid: () => ({ ...seed.agencyAuthor, documentId: 'a1', photo: null }),
  },
  {
    name: 'topic',
    attrs: topic,
    schema: TopicSchema,
    fields: Object.keys(TopicSchema.shape),
    valid: () => ({ ...seed.topics[0], documentId: 't1' }),
  },
  { name: 'consultation-cta', attrs: cta, schema: ConsultationCtaSchema, fields: Object.keys(ConsultationCtaSchema.shape), valid: rawCta },
  { name: 'global', attrs: global, schema: SiteSettingsSchema, fields: Object.keys(SiteSettingsSchema.shape), valid: rawSite },
  // SeoSchema is nullish and transformed; parsing {} yields every field it reads.
  {
    name: 'shared.seo',
    attrs: seo,
    schema: SeoSchema,
    fields: Object.keys(SeoSchema.parse({})!),
    valid: () => ({ metaTitle: 'T', metaDescription: 'D', canonicalUrl: null, noIndex: false }),
  },
  {
    name: 'article.section',
    attrs: sectionAttrs,
    schema: SectionSchema,
    fields: Object.keys(SectionSchema.in.shape),
    valid: () => section('Heading'),
  },
  {
    name: 'article.side-note',
    attrs: sideNoteAttrs,
    schema: SideNoteSchema,
    fields: Object.keys(SideNoteSchema.in.shape),
    valid: () => sideNote('Side note'),
  },
];

describe('CMS schema ↔ contract', () => {
  it('the slug and phone patterns are the same regexes', () => {
    expect(article.slug).toMatchObject({ type: 'uid', targetField: 'title', regex: SLUG_PATTERN.source });
    expect(cta.phone?.regex).toBe(PHONE_PATTERN.source);
  });

  it('the shared LIMITS are the CMS maxLengths', () => {
    expect(seo.metaTitle?.maxLength).toBe(LIMITS.metaTitle);
    expect(seo.metaDescription?.maxLength).toBe(LIMITS.metaDescription);
    expect(article.title?.maxLength).toBe(LIMITS.title);
    expect(article.slug?.maxLength).toBe(LIMITS.slug);
    expect(article.coverAlt?.maxLength).toBe(LIMITS.coverAlt);
    expect(author.name?.maxLength).toBe(LIMITS.authorName);
    expect(author.role?.maxLength).toBe(LIMITS.authorRole);
    expect(author.bio?.maxLength).toBe(LIMITS.authorBio);
    expect(topic.name?.maxLength).toBe(LIMITS.topicName);
    expect(topic.description?.maxLength).toBe(LIMITS.topicDescription);
    expect(LIMITS).toEqual({
      metaTitle: 60,
      metaDescription: 160,
      title: 120,
      slug: 80,
      coverAlt: 200,
      authorName: 80,
      authorRole: 80,
      authorBio: 300,
      topicName: 60,
      topicDescription: 300,
    });
  });

  it('author and topic slugs use the article slug pattern', () => {
    for (const attrs of [author, topic]) expect(attrs.slug).toMatchObject({ type: 'uid', targetField: 'name', regex: SLUG_PATTERN.source });
  });

  it('every image field is one image (cover, author photo, share image)', () => {
    for (const attr of [article.cover, author.photo, seo.shareImage]) {
      expect(attr).toMatchObject({ type: 'media', multiple: false, allowedTypes: ['images'] });
    }
  });

  it('article → author is many-to-one and article → topics many-to-many, each with its inverse', () => {
    expect(article.author).toMatchObject({ type: 'relation', relation: 'manyToOne', target: UID.author, inversedBy: 'articles' });
    expect(author.articles).toMatchObject({ type: 'relation', relation: 'oneToMany', target: UID.article, mappedBy: 'author' });
    expect(article.topics).toMatchObject({ type: 'relation', relation: 'manyToMany', target: UID.topic, inversedBy: 'articles' });
    expect(topic.articles).toMatchObject({ type: 'relation', relation: 'manyToMany', target: UID.article, mappedBy: 'topics' });
  });

  it('the dynamic zone lists exactly the components the contract maps', () => {
    expect(article.body).toMatchObject({ type: 'dynamiczone', required: true });
    const mapped = ArticleBlockSchema.options.map((option) => option.in.shape.__typename.value).sort();
    expect(article.body?.components?.map(typename).sort()).toEqual(mapped);
    expect(mapped).toEqual(['ComponentArticleSection', 'ComponentArticleSideNote']);
  });

  it('article SEO and the default SEO are the shared.seo component SeoSchema mirrors', () => {
    expect(article.seo).toMatchObject({ type: 'component', component: 'shared.seo', repeatable: false });
    expect(global.defaultSeo).toMatchObject({ type: 'component', component: 'shared.seo', repeatable: false });
  });

  it.each(PAIRS)('$name: the contract reads exactly the CMS attributes', ({ attrs, fields }) => {
    expect(contractFields(fields)).toEqual(cmsFields(attrs).sort());
  });

  it('the CMS requires the fields the site cannot do without', () => {
    const required = (attrs: Record<string, Attribute>) =>
      Object.keys(attrs)
        .filter((key) => attrs[key]!.required)
        .sort();
    expect(required(article)).toEqual(['body', 'intro', 'slug', 'title']);
    expect(required(cta)).toEqual(['actionLabel', 'body', 'heading']);
    expect(required(global)).toEqual(['siteName']);
    expect(required(author)).toEqual(['name', 'slug']);
    expect(required(topic)).toEqual(['name', 'slug']);
    expect(required(sectionAttrs)).toEqual(['body', 'heading']);
    expect(required(sideNoteAttrs)).toEqual(['body', 'label']);
  });

  // One case per CMS attribute, so each check below runs only where it applies.
  const cases = PAIRS.flatMap((pair) =>
    Object.entries(pair.attrs).map(([field, attr]) => ({ ...pair, id: `${pair.name}.${field}`, field, attr })),
  );

  // A boolean with a CMS default (seo.noIndex) may be absent in the API; the contract defaults it to false.
  it.each(cases.filter(({ attr }) => attr.required && attr.type !== 'boolean'))(
    '$id is required by the contract too',
    ({ field, schema, valid }) => {
      for (const value of [null, undefined]) {
        const result = schema.safeParse({ ...valid(), [field]: value });
        expect(result.error?.issues.map((issue) => issue.path[0])).toContain(field);
      }
    },
  );

  it.each(cases.filter(({ attr }) => !attr.required))(
    '$id is optional in the CMS, so the contract accepts it empty',
    ({ field, attr, schema, valid }) => {
      expect(schema.safeParse({ ...valid(), [field]: null }).success).toBe(true);
      expect(schema.safeParse({ ...valid(), [field]: undefined }).success).toBe(true);
      // Strapi stores a cleared text field as "" and skips its regex for it.
      if (attr.type === 'string' || attr.type === 'text') expect(schema.safeParse({ ...valid(), [field]: '' }).success).toBe(true);
    },
  );

  // Patterned fields (slug, phone) are checked against their patterns above.
  it.each(cases.filter(({ attr }) => attr.maxLength && !attr.regex))(
    '$id: text at the CMS maxLength passes, and any contract limit is the same',
    ({ field, attr, schema, valid }) => {
      const max = attr.maxLength!;
      expect(schema.safeParse({ ...valid(), [field]: 'x'.repeat(max) }).success).toBe(true);
      const over = schema.safeParse({ ...valid(), [field]: 'x'.repeat(max + 1) });
      if (!over.success) expect(over.error.issues.map((issue) => issue.message)).toEqual([`must be at most ${max} characters`]);
    },
  );

  it.each(cases.filter(({ attr }) => attr.type === 'blocks'))('$id ("blocks") is validated as rich text', ({ field, schema, valid }) => {
    const issues = schema.safeParse({ ...valid(), [field]: 'plain text' }).error?.issues ?? [];
    expect(issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([[field, 'must be rich text (a list of blocks)']]);
  });
});

// ---------------------------------------------------------------------------------------------------
// GraphQL documents: parsed with graphql-js, then each selection compared with the schema that reads it.

/** The field names a selection set asks for, fragment spreads expanded; inline fragments by type condition. */
function selected(set: SelectionSetNode | undefined, doc: DocumentNode, on?: string): string[] {
  const fragments = new Map(doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  return (set?.selections ?? []).flatMap((selection): string[] => {
    if (selection.kind === Kind.FIELD) return on ? [] : [selection.name.value];
    if (selection.kind === Kind.FRAGMENT_SPREAD) return on ? [] : selected(fragments.get(selection.name.value)?.selectionSet, doc);
    return selection.typeCondition?.name.value === on ? selected(selection.selectionSet, doc) : [];
  });
}
/** The fields of a selection set, fragment spreads expanded (inline fragments left out). */
function fieldsOf(set: SelectionSetNode, doc: DocumentNode): FieldNode[] {
  return set.selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind !== Kind.FRAGMENT_SPREAD) return [];
    const fragment = doc.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
    return fragment?.kind === Kind.FRAGMENT_DEFINITION ? fieldsOf(fragment.selectionSet, doc) : [];
  });
}
/** The selection set of the field at `fieldPath` (e.g. `articles_connection.nodes`), fragments followed. */
function fieldAt(doc: DocumentNode, fieldPath: string): SelectionSetNode | undefined {
  const operation = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  let set = operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet : undefined;
  for (const name of fieldPath.split('.')) set = set && fieldsOf(set, doc).find((field) => field.name.value === name)?.selectionSet;
  return set;
}

describe('GraphQL documents ↔ contract', () => {
  const site = parse(SITE_CONTENT_QUERY);
  const page = parse(ARTICLES_PAGE_QUERY);
  const sorted = (names: string[]) => [...new Set(names)].sort();

  it('both documents are valid GraphQL with one operation each', () => {
    for (const doc of [site, page]) expect(doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)).toHaveLength(1);
  });

  it('select every field the site settings and CTA schemas read', () => {
    expect(sorted(selected(fieldAt(site, 'global'), site))).toEqual(sorted(Object.keys(SiteSettingsSchema.shape)));
    expect(sorted(selected(fieldAt(site, 'global.defaultSeo'), site))).toEqual(sorted(Object.keys(SeoSchema.parse({})!)));
    expect(sorted(selected(fieldAt(site, 'consultationCta'), site))).toEqual(sorted(Object.keys(ConsultationCtaSchema.shape)));
  });

  it.each([
    ['SITE_CONTENT_QUERY', site],
    ['ARTICLES_PAGE_QUERY', page],
  ])('%s selects every article field, SEO field and body component field', (_, doc) => {
    expect(sorted(selected(fieldAt(doc, 'articles_connection.nodes'), doc))).toEqual(sorted(Object.keys(ArticleFieldsSchema.shape)));
    expect(sorted(selected(fieldAt(doc, 'articles_connection.nodes.seo'), doc))).toEqual(sorted(Object.keys(SeoSchema.parse({})!)));
    const body = fieldAt(doc, 'articles_connection.nodes.body');
    expect(selected(body, doc)).toEqual(['__typename']);
    for (const option of ArticleBlockSchema.options) {
      const fields = Object.keys(option.in.shape).filter((key) => key !== '__typename');
      expect(sorted(selected(body, doc, option.in.shape.__typename.value))).toEqual(sorted(fields));
    }
    expect(sorted(selected(fieldAt(doc, 'articles_connection.pageInfo'), doc))).toEqual(['page', 'pageCount', 'total']);
  });

  it.each([
    ['SITE_CONTENT_QUERY', site],
    ['ARTICLES_PAGE_QUERY', page],
  ])('%s selects every image, author and topic field of an article', (_, doc) => {
    const image = sorted(Object.keys(ImageSchema.shape));
    for (const at of ['cover', 'author.photo', 'seo.shareImage']) {
      expect(sorted(selected(fieldAt(doc, `articles_connection.nodes.${at}`), doc)), at).toEqual(image);
    }
    expect(sorted(selected(fieldAt(doc, 'articles_connection.nodes.author'), doc))).toEqual(sorted(Object.keys(AuthorSchema.shape)));
    expect(sorted(selected(fieldAt(doc, 'articles_connection.nodes.topics'), doc))).toEqual(sorted(Object.keys(TopicSchema.shape)));
  });

  it('the first request also brings every author and topic, with their totals (no further request for them)', () => {
    expect(sorted(selected(fieldAt(site, 'authors_connection.nodes'), site))).toEqual(sorted(Object.keys(AuthorSchema.shape)));
    expect(sorted(selected(fieldAt(site, 'topics_connection.nodes'), site))).toEqual(sorted(Object.keys(TopicSchema.shape)));
    expect(selected(fieldAt(site, 'authors_connection.pageInfo'), site)).toEqual(['total']);
    expect(selected(fieldAt(site, 'topics_connection.pageInfo'), site)).toEqual(['total']);
    expect(sorted(selected(fieldAt(site, 'global.defaultSeo.shareImage'), site))).toEqual(sorted(Object.keys(ImageSchema.shape)));
  });
});
