// Strapi 5's "blocks" rich-text format, as the GraphQL API returns it (a JSON scalar).
// Validated here so a block type the site cannot render fails the build instead of vanishing.
import './zod-config.ts';
import { z } from 'zod';

export const TextNodeSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
  underline: z.boolean().optional(),
  strikethrough: z.boolean().optional(),
  code: z.boolean().optional(),
});
export type TextNode = z.infer<typeof TextNodeSchema>;

// Browsers are lenient with URLs in ways a prefix check is not: they drop tabs and newlines anywhere
// (`java\tscript:` runs as `javascript:`), strip leading control characters, and read `\` as `/`, so
// `//evil.example` and `/\evil.example` both lead to another host. So a URL with any whitespace, control
// character or backslash is refused outright, and a site-relative path may not start with a second slash.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\s\\]/;
/** `/path` on this site, never `//host` (protocol-relative). */
const SITE_PATH = /^\/(?!\/)/;
const WEB_URL = /^https?:\/\/[^/]/i;

/** An absolute http(s) URL the platform can parse, e.g. `https://example.com/a`. */
function isWebUrl(url: string): boolean {
  return WEB_URL.test(url) && URL.canParse(url);
}

/** A link a reader may follow: http(s), mailto:, tel:, a site-relative `/path` or a `#fragment`. */
export function isSafeLinkUrl(url: string): boolean {
  if (url === '' || UNSAFE_CHARS.test(url)) return false;
  return isWebUrl(url) || /^(mailto|tel):./i.test(url) || SITE_PATH.test(url) || url.startsWith('#');
}

/** An image source: an http(s) URL or a site-relative path such as `/uploads/photo.jpg` (from the CMS). */
export function isSafeImageUrl(url: string): boolean {
  if (url === '' || UNSAFE_CHARS.test(url)) return false;
  return isWebUrl(url) || SITE_PATH.test(url);
}

/** Only web, mail and phone links: a `javascript:` URL typed by an editor must never reach a reader. */
export const SafeUrlSchema = z
  .string()
  .trim()
  .check((ctx) => {
    if (ctx.value === '') ctx.issues.push({ code: 'custom', input: ctx.value, message: 'must not be empty' });
    else if (!isSafeLinkUrl(ctx.value)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message:
          'must be an http(s), mailto: or tel: URL, a path on this site starting with a single / or a #fragment, without spaces or backslashes',
      });
    }
  });

export const LinkNodeSchema = z.object({
  type: z.literal('link'),
  url: SafeUrlSchema,
  children: z.array(TextNodeSchema),
});
export type LinkNode = z.infer<typeof LinkNodeSchema>;

/**
 * The message for a node whose `type` matches no known schema: Strapi may add block types, and one the site
 * does not render must fail the build by name instead of vanishing (or reading as "Invalid input").
 */
export function unknownTypeError(what: string, key = 'type') {
  return (issue: { code?: string; input?: unknown }) => {
    if (issue.code !== 'invalid_union') return undefined;
    const type = (issue.input as Record<string, unknown> | null | undefined)?.[key];
    return type === undefined ? `must be a ${what}` : `is a ${what} type the site cannot render (${String(type)})`;
  };
}

export const InlineNodeSchema = z.discriminatedUnion('type', [TextNodeSchema, LinkNodeSchema], {
  error: unknownTypeError('rich-text inline node'),
});
export type InlineNode = z.infer<typeof InlineNodeSchema>;

export const ParagraphBlockSchema = z.object({
  type: z.literal('paragraph'),
  children: z.array(InlineNodeSchema),
});

export const HeadingBlockSchema = z.object({
  type: z.literal('heading'),
  level: z.number().int().min(1).max(6),
  children: z.array(InlineNodeSchema),
});

export const QuoteBlockSchema = z.object({
  type: z.literal('quote'),
  children: z.array(InlineNodeSchema),
});

export const CodeBlockSchema = z.object({
  type: z.literal('code'),
  language: z.string().optional(),
  children: z.array(InlineNodeSchema),
});

export const ImageBlockSchema = z.object({
  type: z.literal('image'),
  image: z.object({
    url: z.string().trim().refine(isSafeImageUrl, 'must be an http(s) URL or a path on this site such as /uploads/photo.jpg'),
    alternativeText: z.string().nullish(),
    width: z.number().nullish(),
    height: z.number().nullish(),
  }),
  children: z.array(InlineNodeSchema).optional(),
});

export const ListItemSchema = z.object({
  type: z.literal('list-item'),
  children: z.array(InlineNodeSchema),
});
export type ListItem = z.infer<typeof ListItemSchema>;

export type ListBlock = {
  type: 'list';
  format: 'ordered' | 'unordered';
  indentLevel?: number | undefined;
  children: Array<ListItem | ListBlock>;
};
// Lists nest (Strapi indents a list inside a list), so the schema refers to itself through a getter (zod 4's
// way of writing recursive objects, which keeps it usable in the discriminated unions below).
type ListChildrenSchema = z.ZodArray<z.ZodDiscriminatedUnion<[typeof ListItemSchema, typeof ListBlockSchema]>>;
export const ListBlockSchema = z.object({
  type: z.literal('list'),
  format: z.enum(['ordered', 'unordered']),
  indentLevel: z.number().int().min(0).optional(),
  get children(): ListChildrenSchema {
    return z.array(z.discriminatedUnion('type', [ListItemSchema, ListBlockSchema], { error: unknownTypeError('list entry') }));
  },
});

// Discriminated by `type`, so a bad link deep in a paragraph is reported at its own path with its own message.
export const RichTextBlockSchema = z.discriminatedUnion(
  'type',
  [ParagraphBlockSchema, HeadingBlockSchema, QuoteBlockSchema, CodeBlockSchema, ImageBlockSchema, ListBlockSchema],
  { error: unknownTypeError('rich-text block') },
);
export type ParagraphBlock = z.infer<typeof ParagraphBlockSchema>;
export type HeadingBlock = z.infer<typeof HeadingBlockSchema>;
export type QuoteBlock = z.infer<typeof QuoteBlockSchema>;
export type CodeBlock = z.infer<typeof CodeBlockSchema>;
export type ImageBlock = z.infer<typeof ImageBlockSchema>;
export type RichTextBlock = ParagraphBlock | HeadingBlock | QuoteBlock | CodeBlock | ImageBlock | ListBlock;

/** A rich-text field: at least one block with some visible content. */
export const RichTextSchema = z
  .array(RichTextBlockSchema, { error: 'must be rich text (a list of blocks)' })
  .min(1, 'must not be empty')
  .refine((blocks) => blocks.some((block) => plainText([block as RichTextBlock]).trim() !== '' || block.type === 'image'), {
    message: 'must contain some text',
    // Only judge blocks that all parsed: a bad block is reported at its own path, not as "no text" here.
    when: ({ issues }) => issues.length === 0,
  }) as unknown as z.ZodType<RichTextBlock[]>;
export type RichText = RichTextBlock[];

/** The visible text of inline nodes, without formatting. */
export function inlineText(nodes: readonly InlineNode[]): string {
  return nodes.map((node) => (node.type === 'text' ? node.text : inlineText(node.children))).join('');
}

/** The visible text of rich text, one line per block (list items included). */
export function plainText(blocks: readonly RichTextBlock[]): string {
  return blocks
    .map((block): string => {
      switch (block.type) {
        case 'list':
          return plainText(
            block.children.map((child) => (child.type === 'list-item' ? { type: 'paragraph', children: child.children } : child)),
          );
        case 'image':
          return block.image.alternativeText ?? '';
        default:
          return inlineText(block.children);
      }
    })
    .join('\n');
}

/** Builds rich text from plain paragraphs: how the seed turns the client's copy into blocks. */
export function paragraphs(...texts: string[]): RichText {
  return texts.map((text) => ({ type: 'paragraph', children: [{ type: 'text', text }] }));
}
