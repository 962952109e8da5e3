// Renders Strapi 5 "blocks" rich text (validated by @agency/shared) to an HTML string.
// Pure: no Astro, no DOM. Every text and attribute value is escaped; raw HTML never passes through.
import {
  isSafeImageUrl,
  isSafeLinkUrl,
  type ImageBlock,
  type InlineNode,
  type ListBlock,
  type ListItem,
  type RichTextBlock,
  type TextNode,
} from '@agency/shared';

export type RichTextOptions = {
  /** Added to every heading level (clamped to h6), so rich text inside an h2 section starts at h3. */
  headingOffset?: number;
  /** Base URL for relative media URLs such as `/uploads/photo.jpg` (the CMS's public URL). */
  mediaBaseUrl?: string;
  /**
   * Renders an image block's picture (the static build's optimised <picture>, src/components/RichText.astro);
   * without it, an <img> of the URL resolved against mediaBaseUrl (the preview server).
   */
  renderImage?: (image: ImageBlock['image']) => string;
};

/** Rich text the renderer cannot turn into safe HTML. Validation should have caught it before. */
export class RichTextError extends Error {
  override name = 'RichTextError';
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in HTML content and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Absolute web links leave the site. */
const EXTERNAL_LINK = /^https?:\/\//i;

/**
 * The link's URL when it is safe to put in an href, else null. The rules are the contract's (shared/), the
 * same validation already applied: this is the renderer's own last line, not a second, drifting rule set.
 */
export function safeHref(url: string): string | null {
  const trimmed = url.trim();
  return isSafeLinkUrl(trimmed) ? trimmed : null;
}

/** The image's URL resolved against mediaBaseUrl when relative; throws for anything but http(s) or a site path. */
export function resolveMediaUrl(url: string, mediaBaseUrl?: string): string {
  const trimmed = url.trim();
  if (!isSafeImageUrl(trimmed)) {
    throw new RichTextError(`Cannot render an image with the URL "${url}": only http(s) and /uploads/... URLs are allowed.`);
  }
  return trimmed.startsWith('/') && mediaBaseUrl ? new URL(trimmed, mediaBaseUrl).href : trimmed;
}

function renderText(node: TextNode): string {
  let html = escapeHtml(node.text).replace(/\r?\n/g, '<br>');
  if (node.code) html = `<code>${html}</code>`;
  if (node.strikethrough) html = `<s>${html}</s>`;
  if (node.underline) html = `<u>${html}</u>`;
  if (node.italic) html = `<em>${html}</em>`;
  if (node.bold) html = `<strong>${html}</strong>`;
  return html;
}

function renderInline(nodes: readonly InlineNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
          return renderText(node);
        case 'link': {
          const content = renderInline(node.children);
          const href = safeHref(node.url);
          if (href === null) return content; // never a link to javascript: and friends; keep the words
          const rel = EXTERNAL_LINK.test(href) ? ' rel="noopener"' : '';
          return `<a href="${escapeHtml(href)}"${rel}>${content}</a>`;
        }
        default:
          throw new RichTextError(`Cannot render rich-text inline node of type "${String((node as { type?: unknown }).type)}".`);
      }
    })
    .join('');
}

/** The raw text of inline nodes, for code blocks (formatting and links dropped, newlines kept). */
function rawText(nodes: readonly InlineNode[]): string {
  return nodes.map((node) => (node.type === 'link' ? rawText(node.children) : node.text)).join('');
}

function isBlank(nodes: readonly InlineNode[]): boolean {
  return rawText(nodes).trim() === '' && !nodes.some((node) => node.type === 'link');
}

function renderList(list: ListBlock): string {
  const tag = list.format === 'ordered' ? 'ol' : 'ul';
  // Strapi puts a nested list next to the item it belongs to; HTML wants it inside that <li>.
  const items: Array<{ item: ListItem | null; lists: ListBlock[] }> = [];
  for (const child of list.children) {
    if (child.type === 'list-item') items.push({ item: child, lists: [] });
    else if (child.type === 'list') {
      const last = items.at(-1);
      if (last) last.lists.push(child);
      else items.push({ item: null, lists: [child] });
    } else {
      throw new RichTextError(`Cannot render list child of type "${String((child as { type?: unknown }).type)}".`);
    }
  }
  const lis = items.map(({ item, lists }) => `<li>${item ? renderInline(item.children) : ''}${lists.map(renderList).join('')}</li>`);
  return `<${tag}>${lis.join('')}</${tag}>`;
}

function renderBlock(block: RichTextBlock, options: RichTextOptions): string {
  switch (block.type) {
    case 'paragraph':
      return isBlank(block.children) ? '' : `<p>${renderInline(block.children)}</p>`;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Math.trunc(block.level + (options.headingOffset ?? 0))));
      return `<h${level}>${renderInline(block.children)}</h${level}>`;
    }
    case 'quote':
      return `<blockquote><p>${renderInline(block.children)}</p></blockquote>`;
    case 'code': {
      const language = block.language && /^[a-z0-9+#_-]+$/i.test(block.language) ? block.language : null;
      const cls = language && language !== 'plaintext' ? ` class="language-${escapeHtml(language)}"` : '';
      return `<pre><code${cls}>${escapeHtml(rawText(block.children))}</code></pre>`;
    }
    case 'image': {
      if (options.renderImage) return options.renderImage(block.image);
      const { url, alternativeText, width, height } = block.image;
      const attrs = [
        `src="${escapeHtml(resolveMediaUrl(url, options.mediaBaseUrl))}"`,
        `alt="${escapeHtml(alternativeText ?? '')}"`,
        width ? `width="${Math.round(width)}"` : '',
        height ? `height="${Math.round(height)}"` : '',
        'loading="lazy"',
        'decoding="async"',
      ];
      return `<img ${attrs.filter(Boolean).join(' ')}>`;
    }
    case 'list':
      return renderList(block);
    default:
      throw new RichTextError(
        `Cannot render rich-text block of type "${String((block as { type?: unknown }).type)}": the site knows paragraph, heading, quote, code, image and list.`,
      );
  }
}

/** Renders rich-text blocks to HTML. Throws RichTextError for a block type it does not know. */
export function renderRichText(blocks: readonly RichTextBlock[], options: RichTextOptions = {}): string {
  return blocks.map((block) => renderBlock(block, options)).join('');
}
