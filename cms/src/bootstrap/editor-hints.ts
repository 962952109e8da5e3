// The help text editors see under each field in the Content Manager. Strapi keeps it in the view
// configuration (database), not in schema.json, so it is written here at boot.
import type { Core } from '@strapi/strapi';
import { UID } from '@agency/shared';

const HINTS: Record<string, Record<string, string>> = {
  [UID.article]: {
    title: 'The headline, shown as the page title. At most 120 characters.',
    slug: 'The address: /articles/<slug>/. Lowercase words joined by hyphens. Changing it breaks old links.',
    intro: 'The opening paragraph, also shown on the home page card and used when the SEO description is empty.',
    cover: 'Optional: the picture at the top of the article and on its card. Needs a description (below).',
    coverAlt: 'Required with a cover: what the picture shows, for readers who cannot see it. At most 200 characters.',
    author: 'Optional: who wrote it. Only a published author is shown on the site.',
    topics: 'What the article is about. Only published topics are shown; readers find the article on each topic’s page.',
    body: 'The article in order: sections (heading + text) and side notes (an aside, shown where you place it).',
    seo: 'Optional: how search engines and link previews show this article.',
    firstPublishedAt: 'Set by the CMS on the first publish, and kept: the date the site shows and sorts the article by.',
  },
  [UID.author]: {
    name: 'As shown in the byline, e.g. “Jane Smith” or the agency’s name.',
    slug: 'The author’s page: /authors/<slug>/. Lowercase words joined by hyphens. Changing it breaks old links.',
    role: 'Optional: shown under the name, e.g. “Creative director”.',
    photo: 'Optional: a portrait, shown small next to the name. Fill in its alternative text in the Media Library.',
    bio: 'Optional: two or three sentences about the author, shown on their page. At most 300 characters.',
    articles: 'The articles this author wrote (set on each article).',
  },
  [UID.topic]: {
    name: 'A short subject name, e.g. “Marketing”.',
    slug: 'The topic’s page: /topics/<slug>/. Lowercase words joined by hyphens. Changing it breaks old links.',
    description: 'Optional: one or two sentences shown on the topic’s page. At most 300 characters.',
    articles: 'The articles about this topic (set on each article).',
  },
  [UID.consultationCta]: {
    heading: 'The call to action’s headline, e.g. “Free 30-minute consultation.”',
    subheading: 'Optional line under the heading.',
    body: 'What the reader gets and how to ask for it.',
    phone: 'Optional. When set, readers see it as a link that dials it. Digits, spaces, +, - and parentheses.',
    actionLabel: 'The button’s text. At most 60 characters.',
    actionUrl: 'Optional. Where the button leads (https://…, mailto:…, tel:… or a path on the site).',
  },
  [UID.global]: {
    siteName: 'Shown in the header and in every page title.',
    footerText: 'Shown at the foot of every page.',
    defaultSeo: 'Used for pages that set no SEO of their own.',
  },
  [UID.consultationRequest]: {
    name: 'As the reader typed it on the site.',
    email: 'Where to reply.',
    phone: 'Optional: the reader prefers a call.',
    preferredTime: 'Optional: when the reader would like to be contacted, in their words.',
    message: 'Optional: what the reader would like to discuss.',
    consent: 'The reader agreed to be contacted about this request (required by the form).',
    requestStatus: 'new: nobody has replied yet. contacted: someone got in touch. closed: done (booked, declined or spam).',
    notificationStatus:
      'Set by the CMS. pending: the e-mail to the agency (and the confirmation to the reader) is waiting to be sent or retried. sent: delivered to the mail server. failed: given up after 24 hours; the error says why.',
    notificationAttempts: 'Set by the CMS: how many times sending was tried.',
    notificationError: 'Set by the CMS: why the last attempt failed (the mail server’s answer).',
    notificationNextAttemptAt: 'Set by the CMS: when sending is tried again (1 minute after the first failure, doubling up to 1 hour).',
    notificationSentAt: 'Set by the CMS: when the agency’s e-mail was sent.',
    confirmationSentAt: 'Set by the CMS: when the reader’s confirmation was sent.',
  },
  'shared.seo': {
    metaTitle: 'At most 60 characters; search engines cut longer titles. Empty: the page title is used.',
    metaDescription: 'At most 160 characters. Empty: the intro is used.',
    canonicalUrl: 'Only when this content’s original lives at another address (absolute https:// URL).',
    noIndex: 'Ask search engines not to list this page.',
    shareImage: 'Optional: the picture shown when the page is shared (best 1200 × 630). Empty: the cover is used.',
  },
  'article.section': {
    heading: 'The section’s heading.',
    body: 'The section’s text.',
  },
  'article.side-note': {
    label: 'Introduces the note, e.g. “Side note”.',
    body: 'The note’s text.',
  },
};

/** Field labels where the attribute name would read badly (the edit form and the list view). */
const LABELS: Record<string, Record<string, string>> = {
  [UID.article]: {
    title: 'Title',
    slug: 'Address (slug)',
    intro: 'Intro',
    cover: 'Cover image',
    coverAlt: 'Cover image description',
    author: 'Author',
    topics: 'Topics',
    body: 'Body',
    seo: 'SEO',
    firstPublishedAt: 'First published',
  },
  [UID.author]: { name: 'Name', slug: 'Address (slug)', role: 'Role', photo: 'Photo', bio: 'Short bio', articles: 'Articles' },
  [UID.topic]: { name: 'Name', slug: 'Address (slug)', description: 'Description', articles: 'Articles' },
  [UID.consultationCta]: {
    heading: 'Heading',
    subheading: 'Subheading',
    body: 'Text',
    phone: 'Phone number',
    actionLabel: 'Button text',
    actionUrl: 'Button link',
  },
  [UID.global]: { siteName: 'Site name', footerText: 'Footer text', defaultSeo: 'Default SEO' },
  'shared.seo': {
    metaTitle: 'Search title',
    metaDescription: 'Search description',
    canonicalUrl: 'Canonical address',
    noIndex: 'Hide from search engines',
    shareImage: 'Share image',
  },
  'article.section': { heading: 'Heading', body: 'Text' },
  'article.side-note': { label: 'Label', body: 'Text' },
  [UID.consultationRequest]: {
    name: 'Name',
    email: 'E-mail',
    phone: 'Phone',
    message: 'Message',
    consent: 'Consent',
    requestStatus: 'Status',
    preferredTime: 'Preferred time',
    notificationStatus: 'Notification',
    notificationAttempts: 'Notification attempts',
    notificationError: 'Notification error',
    notificationNextAttemptAt: 'Next attempt',
    notificationSentAt: 'Agency notified at',
    confirmationSentAt: 'Confirmation sent at',
    createdAt: 'Received',
  },
};

/** Fields the CMS writes (the consultation mail outbox, src/leads): shown, not editable. */
const READ_ONLY: Record<string, string[]> = {
  [UID.article]: ['firstPublishedAt'],
  [UID.consultationRequest]: [
    'notificationStatus',
    'notificationAttempts',
    'notificationError',
    'notificationNextAttemptAt',
    'notificationSentAt',
    'confirmationSentAt',
  ],
};

/** Internal fields editors never need to see (the outbox's claim). */
const HIDDEN: Record<string, string[]> = {
  [UID.consultationRequest]: ['notificationLeaseUntil', 'notificationLeaseToken'],
};

/** The Content Manager's list columns, set when the list lacks `mustShow` (Strapi shows the first four fields). */
const LIST_COLUMNS: Record<string, { columns: string[]; mustShow: string }> = {
  [UID.consultationRequest]: {
    columns: ['name', 'email', 'requestStatus', 'notificationStatus', 'createdAt'],
    mustShow: 'notificationStatus',
  },
};

type Metadatas = Record<string, { edit?: Record<string, unknown>; list?: Record<string, unknown> }>;
type Layouts = { list?: string[]; edit?: Array<Array<{ name: string; size: number }>> } & Record<string, unknown>;
type Configurable = {
  findConfiguration: (model: { uid: string }) => Promise<{ metadatas?: Metadatas; layouts?: Layouts } & Record<string, unknown>>;
  updateConfiguration: (model: { uid: string }, config: Record<string, unknown>) => Promise<unknown>;
};

export async function applyEditorHints(strapi: Core.Strapi): Promise<void> {
  const contentManager = strapi.plugin('content-manager');
  for (const uid of new Set([...Object.keys(HINTS), ...Object.keys(LABELS), ...Object.keys(LIST_COLUMNS)])) {
    const hints = HINTS[uid] ?? {};
    const service = (uid.includes('::') ? contentManager.service('content-types') : contentManager.service('components')) as Configurable;
    const config = await service.findConfiguration({ uid });
    const metadatas: Metadatas = { ...(config.metadatas ?? {}) };
    let changed = false;
    for (const [field, description] of Object.entries(hints)) {
      const edit = metadatas[field]?.edit ?? {};
      if (edit.description === description) continue;
      metadatas[field] = { ...metadatas[field], edit: { ...edit, description } };
      changed = true;
    }
    for (const [field, label] of Object.entries(LABELS[uid] ?? {})) {
      const { edit = {}, list = {} } = metadatas[field] ?? {};
      if (edit.label === label && list.label === label) continue;
      metadatas[field] = { ...metadatas[field], edit: { ...edit, label }, list: { ...list, label } };
      changed = true;
    }
    for (const field of READ_ONLY[uid] ?? []) {
      const edit = metadatas[field]?.edit ?? {};
      if (edit.editable === false) continue;
      metadatas[field] = { ...metadatas[field], edit: { ...edit, editable: false } };
      changed = true;
    }
    for (const field of HIDDEN[uid] ?? []) {
      const { edit = {}, list = {} } = metadatas[field] ?? {};
      if (edit.visible === false && list.searchable === false) continue;
      metadatas[field] = { ...metadatas[field], edit: { ...edit, visible: false }, list: { ...list, searchable: false, sortable: false } };
      changed = true;
    }
    let layouts: Layouts = config.layouts ?? {};
    const list = LIST_COLUMNS[uid];
    // Set once, on the first boot with the column; an editor's own choice of columns (that keeps it) stays.
    if (list && !layouts.list?.includes(list.mustShow)) {
      layouts = { ...layouts, list: list.columns };
      changed = true;
    }
    const hidden = new Set(HIDDEN[uid] ?? []);
    if (hidden.size > 0 && layouts.edit?.some((row) => row.some((cell) => hidden.has(cell.name)))) {
      layouts = {
        ...layouts,
        edit: layouts.edit.map((row) => row.filter((cell) => !hidden.has(cell.name))).filter((row) => row.length > 0),
      };
      changed = true;
    }
    if (changed) await service.updateConfiguration({ uid }, { ...config, metadatas, layouts });
  }
}
