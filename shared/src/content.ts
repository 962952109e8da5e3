// The content the site consumes, as the CMS's GraphQL API delivers it, and the domain types the site's
// components receive. Each schema validates the raw shape and turns it into the domain type, so a
// component never sees a half-formed entry.
import './zod-config.ts';
import { z } from 'zod';
import { PHONE_PATTERN } from './phone.ts';
import { RichTextSchema, SafeUrlSchema, unknownTypeError, type RichText } from './rich-text.ts';

/** Limits shared with the CMS schema (cms/src/components/shared/seo.json), so both sides agree. */
export const LIMITS = {
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
} as const;

/** The CMS uses the same pattern (article slug `regex`); shared/test/contract.test.ts keeps them equal. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** The CTA phone number, as the CMS's `regex` for it (cms/src/api/consultation-cta); defined in phone.ts. */
export { PHONE_PATTERN };

const requiredText = (max?: number) => {
  const base = z.string({ error: 'is required' }).trim().min(1, 'must not be empty');
  return max ? base.max(max, `must be at most ${max} characters`) : base;
};
const optionalText = (max?: number) =>
  z
    .string()
    .trim()
    .max(max ?? Number.MAX_SAFE_INTEGER, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value ? value : null));

/**
 * An image from the CMS's media library (Strapi's UploadFile), as every image field (cover, author photo,
 * share image) returns it. `url` is a path on the CMS (`/uploads/…`) or, with a bucket provider, absolute;
 * `hash` names the file's content, so the site can tell an unchanged image from a new one.
 */
export const ImageSchema = z.object({
  url: requiredText(),
  alternativeText: optionalText(),
  width: z.number({ error: 'must be the image’s width in pixels' }).int('must be a whole number').positive('must be positive'),
  height: z.number({ error: 'must be the image’s height in pixels' }).int('must be a whole number').positive('must be positive'),
  mime: requiredText().regex(/^image\//, 'must be an image (image/…)'),
  hash: requiredText(),
});
export type Image = z.output<typeof ImageSchema>;

/** An optional image field: absent or null both read as null. */
const optionalImage = () => ImageSchema.nullish().transform((image) => image ?? null);

const slugField = () => requiredText(LIMITS.slug).regex(SLUG_PATTERN, 'must be lowercase words joined by hyphens');

/** Who wrote an article (Strapi's api::author.author): shown with the article and on /authors/<slug>/. */
export const AuthorSchema = z.object({
  documentId: requiredText(),
  name: requiredText(LIMITS.authorName),
  slug: slugField(),
  role: optionalText(LIMITS.authorRole),
  photo: optionalImage(),
  bio: optionalText(LIMITS.authorBio),
});
export type Author = z.output<typeof AuthorSchema>;

/** What an article is about (Strapi's api::topic.topic): shown with the article and at /topics/<slug>/. */
export const TopicSchema = z.object({
  documentId: requiredText(),
  name: requiredText(LIMITS.topicName),
  slug: slugField(),
  description: optionalText(LIMITS.topicDescription),
});
export type Topic = z.output<typeof TopicSchema>;

export const SeoSchema = z
  .object({
    metaTitle: optionalText(LIMITS.metaTitle),
    metaDescription: optionalText(LIMITS.metaDescription),
    canonicalUrl: z
      .string()
      .trim()
      .nullish()
      .transform((value) => (value ? value : null))
      .pipe(z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).nullable()),
    noIndex: z
      .boolean()
      .nullish()
      .transform((value) => value ?? false),
    /** The picture link previews show; the site falls back to the cover, then to a generated card. */
    shareImage: optionalImage(),
  })
  .nullish()
  .transform((seo) => seo ?? null);
export type Seo = NonNullable<z.output<typeof SeoSchema>>;

export const SectionSchema = z
  .object({
    __typename: z.literal('ComponentArticleSection'),
    heading: requiredText(),
    body: RichTextSchema,
  })
  .transform(({ heading, body }) => ({ kind: 'section' as const, heading, body }));

export const SideNoteSchema = z
  .object({
    __typename: z.literal('ComponentArticleSideNote'),
    label: requiredText(),
    body: RichTextSchema,
  })
  .transform(({ label, body }) => ({ kind: 'side-note' as const, label, body }));

export type Section = { kind: 'section'; heading: string; body: RichText };
export type SideNote = { kind: 'side-note'; label: string; body: RichText };
export type ArticleBlock = Section | SideNote;

export const ArticleBlockSchema = z.discriminatedUnion('__typename', [SectionSchema, SideNoteSchema], {
  error: unknownTypeError('block', '__typename'),
});

/** The cover's description, required when a cover is set (the CMS checks it on save, cms/src/bootstrap/cover-alt.ts). */
export const COVER_ALT_REQUIRED = 'is required when a cover image is set: describe the picture for readers who cannot see it';

/** An article's fields as the API sends them (the GraphQL fragment selects exactly these). */
export const ArticleFieldsSchema = z.object({
  documentId: requiredText(),
  slug: slugField(),
  title: requiredText(LIMITS.title),
  intro: requiredText(),
  cover: optionalImage(),
  coverAlt: optionalText(LIMITS.coverAlt),
  /** Null when no author is set, or the author is not published. */
  author: AuthorSchema.nullish().transform((author) => author ?? null),
  /** Only published topics; empty when none. */
  topics: z
    .array(TopicSchema)
    .nullish()
    .transform((topics) => topics ?? []),
  body: z
    .array(ArticleBlockSchema)
    .min(1, 'must have at least one section')
    .refine((blocks) => blocks.some((block) => block.kind === 'section'), {
      message: 'must have at least one section',
      // A block that failed is still raw input (no `kind`): judge only a body whose blocks all parsed.
      when: ({ issues }) => issues.length === 0,
    }),
  seo: SeoSchema,
  publishedAt: z.iso.datetime({ offset: true, error: 'must be an ISO date' }),
  /** Set by the CMS on the first publish and kept (cms/src/bootstrap/first-published.ts); null before that change. */
  firstPublishedAt: z.iso.datetime({ offset: true, error: 'must be an ISO date' }).nullish(),
  updatedAt: z.iso.datetime({ offset: true, error: 'must be an ISO date' }),
});

/**
 * An article as the site shows it. `publishedAt` is when it was first published: Strapi moves its own
 * publishedAt to the latest publish, and an article corrected today must not be dated today, jump to the top of
 * every list, or make a publish change pages all over the site. `updatedAt` says when it last changed.
 */
export const ArticleSchema = ArticleFieldsSchema.superRefine((article, context) => {
  if (article.cover && !article.coverAlt) context.addIssue({ code: 'custom', path: ['coverAlt'], message: COVER_ALT_REQUIRED });
}).transform(({ firstPublishedAt, ...article }) => ({ ...article, publishedAt: firstPublishedAt ?? article.publishedAt }));
export type Article = z.output<typeof ArticleSchema>;

export const ConsultationCtaSchema = z.object({
  heading: requiredText(),
  subheading: optionalText(),
  body: RichTextSchema,
  phone: optionalText(40).pipe(z.string().regex(PHONE_PATTERN, 'must be a phone number (digits, spaces, +, -, parentheses)').nullable()),
  actionLabel: requiredText(60),
  // Optional: Strapi stores a cleared field as "" (its regex check skips empty strings), which means "no URL".
  actionUrl: z
    .string()
    .trim()
    .nullish()
    .transform((value) => (value ? value : null))
    .pipe(SafeUrlSchema.nullable()),
});
export type ConsultationCta = z.output<typeof ConsultationCtaSchema>;

export const SiteSettingsSchema = z.object({
  siteName: requiredText(80),
  footerText: optionalText(),
  defaultSeo: SeoSchema,
});
export type SiteSettings = z.output<typeof SiteSettingsSchema>;

/** The digits of a phone number as a `tel:` URL, or null when no phone is set. */
export function telHref(phone: string | null): string | null {
  if (!phone) return null;
  return `tel:${phone.replace(/[^0-9+]/g, '')}`;
}
