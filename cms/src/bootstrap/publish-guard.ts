// Publishing checks the entry against the site's content contract (shared/), so an editor who publishes
// something the site cannot render (an article of side notes only, a `javascript:` link, an empty heading)
// is told at once, field by field, in the admin — instead of the next site build failing.
// Drafts stay free to be incomplete: only `publish` is checked.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  ArticleSchema,
  AuthorSchema,
  ConsultationCtaSchema,
  InvalidContentError,
  SiteSettingsSchema,
  TopicSchema,
  UID,
  isSiteContentUid,
  parseEntry,
  type SiteContentUid,
} from '@agency/shared';
import type { z } from 'zod';

/** The GraphQL type name of each dynamic-zone component: the contract validates the API's shape. */
const TYPENAMES: Record<string, string> = {
  'article.section': 'ComponentArticleSection',
  'article.side-note': 'ComponentArticleSideNote',
};

/** A draft as the Document Service returns it; only the contract's schema says what is in it. */
type Draft = Record<string, unknown>;
type Check = {
  schema: z.ZodType;
  /** The draft as the contract needs it: with its components and dynamic zones (typed against the schema). */
  draft: (strapi: Core.Strapi, documentId: string) => Promise<Draft | null>;
  name: (draft: Draft) => string;
  toContract?: (draft: Draft) => Draft;
};

/** One check per type the site is built from (SITE_CONTENT_UIDS): a new site type fails to compile until it has one. */
const CHECKS: Record<SiteContentUid, Check> = {
  [UID.article]: {
    schema: ArticleSchema,
    draft: (strapi, documentId) =>
      strapi.documents(UID.article).findOne({ documentId, status: 'draft', populate: ['body', 'seo', 'seo.shareImage', 'cover'] }),
    name: (draft) => (draft.slug ? `article "${draft.slug}"` : 'this article'),
    toContract: (draft) => {
      const now = new Date().toISOString();
      return {
        ...draft,
        // Author and topics are checked when they are published; the site only ever sees published ones.
        author: null,
        topics: [],
        publishedAt: now,
        firstPublishedAt: null,
        updatedAt: typeof draft.updatedAt === 'string' || draft.updatedAt instanceof Date ? new Date(draft.updatedAt).toISOString() : now,
        body: Array.isArray(draft.body)
          ? draft.body.map((block: Draft) => ({ ...block, __typename: TYPENAMES[String(block.__component)] ?? block.__component }))
          : draft.body,
      };
    },
  },
  [UID.author]: {
    schema: AuthorSchema,
    draft: (strapi, documentId) => strapi.documents(UID.author).findOne({ documentId, status: 'draft', populate: ['photo'] }),
    name: (draft) => (draft.slug ? `author "${draft.slug}"` : 'this author'),
  },
  [UID.topic]: {
    schema: TopicSchema,
    draft: (strapi, documentId) => strapi.documents(UID.topic).findOne({ documentId, status: 'draft' }),
    name: (draft) => (draft.slug ? `topic "${draft.slug}"` : 'this topic'),
  },
  [UID.consultationCta]: {
    schema: ConsultationCtaSchema,
    draft: (strapi, documentId) => strapi.documents(UID.consultationCta).findOne({ documentId, status: 'draft' }),
    name: () => 'the consultation CTA',
  },
  [UID.global]: {
    schema: SiteSettingsSchema,
    draft: (strapi, documentId) =>
      strapi.documents(UID.global).findOne({ documentId, status: 'draft', populate: ['defaultSeo', 'defaultSeo.shareImage'] }),
    name: () => 'the Global settings',
  },
};

export function registerPublishGuard(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const uid = context.uid;
    const documentId = (context.params as { documentId?: string } | undefined)?.documentId;
    if (context.action !== 'publish' || !isSiteContentUid(uid) || !documentId) return next();
    const check = CHECKS[uid];

    const draft = await check.draft(strapi, documentId);
    if (draft) {
      const name = check.name(draft);
      try {
        parseEntry(check.schema, check.toContract ? check.toContract(draft) : draft, name);
      } catch (error) {
        if (!(error instanceof InvalidContentError)) throw error;
        const list = error.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
        throw new errors.ValidationError(`Cannot publish ${name}, the site could not show it. Fix: ${list}.`, { issues: error.issues });
      }
    }
    return next();
  });
}
