import type { InlineNode, RichTextBlock } from '@agency/shared';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderRichText, resolveMediaUrl, RichTextError, safeHref } from '../src/lib/rich-text.ts';

const text = (value: string, marks: Record<string, boolean> = {}) => ({ type: 'text' as const, text: value, ...marks });
const p = (...children: InlineNode[]): RichTextBlock => ({ type: 'paragraph', children });
const link = (url: string, label = 'label') => ({ type: 'link' as const, url, children: [text(label)] });

describe('escaping', () => {
  it('escapes & < > " and \'', () => {
    expect(escapeHtml(`& < > " '`)).toBe('&amp; &lt; &gt; &quot; &#39;');
  });

  it('escapes text, so a <script> is shown, never run', () => {
    const html = renderRichText([p(text('<script>alert("x")</script> & more'))]);
    expect(html).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more</p>');
    expect(html).not.toContain('<script');
  });

  it('escapes attribute values in links and images', () => {
    const html = renderRichText([
      p(link('https://example.com/?a=1&b="2"\'><script>', 'x')),
      { type: 'image', image: { url: '/uploads/a"b.png', alternativeText: 'say "hi" <b>', width: 10, height: 5 } },
    ]);
    expect(html).toContain('href="https://example.com/?a=1&amp;b=&quot;2&quot;&#39;&gt;&lt;script&gt;"');
    expect(html).toContain('alt="say &quot;hi&quot; &lt;b&gt;"');
    expect(html).toContain('src="/uploads/a&quot;b.png"');
    expect(html).not.toMatch(/<script|<b>/);
  });

  it('escapes heading, quote, list and code text', () => {
    const html = renderRichText([
      { type: 'heading', level: 2, children: [text('<h1>')] },
      { type: 'quote', children: [text('<i>')] },
      { type: 'list', format: 'unordered', children: [{ type: 'list-item', children: [text('<li>')] }] },
      { type: 'code', children: [text('if (a < b && c > "d") {}')] },
    ]);
    expect(html).toBe(
      '<h2>&lt;h1&gt;</h2><blockquote><p>&lt;i&gt;</p></blockquote><ul><li>&lt;li&gt;</li></ul>' +
        '<pre><code>if (a &lt; b &amp;&amp; c &gt; &quot;d&quot;) {}</code></pre>',
    );
  });
});

describe('links', () => {
  it('renders safe links; external ones get rel="noopener"', () => {
    expect(renderRichText([p(link('https://example.com', 'Ext'))])).toBe('<p><a href="https://example.com" rel="noopener">Ext</a></p>');
    // Protocol-relative links are refused (shared/src/rich-text.ts): they look like paths but leave the site.
    expect(renderRichText([p(link('//cdn.example.com/x'))])).toBe('<p>label</p>');
    expect(renderRichText([p(link('/articles/x/', 'In'))])).toBe('<p><a href="/articles/x/">In</a></p>');
    expect(renderRichText([p(link('#top'))])).toBe('<p><a href="#top">label</a></p>');
    expect(renderRichText([p(link('mailto:hi@example.com'))])).toBe('<p><a href="mailto:hi@example.com">label</a></p>');
    expect(renderRichText([p(link('tel:+6123456789'))])).toBe('<p><a href="tel:+6123456789">label</a></p>');
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\nscript:alert(1)',
    'data:text/html,<b>x</b>',
    'vbscript:x',
    'ftp://x',
    '',
    '/\\evil.com',
  ])('never links to %j, but keeps the words', (url) => {
    const html = renderRichText([p(text('see '), link(url, 'this'))]);
    expect(html).toBe('<p>see this</p>');
    expect(html).not.toContain('<a');
  });

  it('formats the text inside a link', () => {
    const html = renderRichText([p({ type: 'link', url: '/x/', children: [text('bold', { bold: true }), text(' plain')] })]);
    expect(html).toBe('<p><a href="/x/"><strong>bold</strong> plain</a></p>');
  });

  it('safeHref trims and refuses hidden schemes', () => {
    expect(safeHref('  https://a.b  ')).toBe('https://a.b');
    expect(safeHref('jav\tascript:x')).toBeNull();
    expect(safeHref('javascript:x')).toBeNull();
  });
});

describe('blocks', () => {
  it('renders paragraphs and skips empty ones', () => {
    expect(renderRichText([p(text('One')), p(text('')), p(text('Two'))])).toBe('<p>One</p><p>Two</p>');
  });

  it('turns newlines in text into <br>', () => {
    expect(renderRichText([p(text('line 1\nline 2\r\nline 3'))])).toBe('<p>line 1<br>line 2<br>line 3</p>');
  });

  it('renders every text modifier, nested', () => {
    expect(
      renderRichText([
        p(
          text('b', { bold: true }),
          text('i', { italic: true }),
          text('u', { underline: true }),
          text('s', { strikethrough: true }),
          text('c', { code: true }),
        ),
      ]),
    ).toBe('<p><strong>b</strong><em>i</em><u>u</u><s>s</s><code>c</code></p>');
    expect(renderRichText([p(text('all', { bold: true, italic: true, underline: true, strikethrough: true, code: true }))])).toBe(
      '<p><strong><em><u><s><code>all</code></s></u></em></strong></p>',
    );
  });

  it('renders headings at their level, shifted by headingOffset and clamped to h1..h6', () => {
    const headings = ([1, 2, 3, 4, 5, 6] as const).map((level): RichTextBlock => ({
      type: 'heading',
      level,
      children: [text(`H${level}`)],
    }));
    expect(renderRichText(headings)).toBe('<h1>H1</h1><h2>H2</h2><h3>H3</h3><h4>H4</h4><h5>H5</h5><h6>H6</h6>');
    expect(renderRichText(headings, { headingOffset: 2 })).toBe('<h3>H1</h3><h4>H2</h4><h5>H3</h5><h6>H4</h6><h6>H5</h6><h6>H6</h6>');
    expect(renderRichText(headings.slice(0, 1), { headingOffset: 10 })).toBe('<h6>H1</h6>');
    expect(renderRichText(headings.slice(0, 1), { headingOffset: -3 })).toBe('<h1>H1</h1>');
  });

  it('renders a quote as a blockquote', () => {
    expect(renderRichText([{ type: 'quote', children: [text('Wise', { italic: true }), text(' words')] }])).toBe(
      '<blockquote><p><em>Wise</em> words</p></blockquote>',
    );
  });

  it('renders code as pre > code, with a language class only for a plain language name', () => {
    expect(renderRichText([{ type: 'code', language: 'typescript', children: [text('const a = 1;\nconst b = 2;')] }])).toBe(
      '<pre><code class="language-typescript">const a = 1;\nconst b = 2;</code></pre>',
    );
    expect(renderRichText([{ type: 'code', language: 'plaintext', children: [text('x')] }])).toBe('<pre><code>x</code></pre>');
    expect(renderRichText([{ type: 'code', language: '"><script>', children: [text('x')] }])).toBe('<pre><code>x</code></pre>');
  });

  it('renders an image with alt, size and lazy loading, resolving /uploads against mediaBaseUrl', () => {
    const image: RichTextBlock = {
      type: 'image',
      image: { url: '/uploads/team_1.jpg', alternativeText: 'Our team', width: 800, height: 600 },
    };
    expect(renderRichText([image], { mediaBaseUrl: 'http://127.0.0.1:1337' })).toBe(
      '<img src="http://127.0.0.1:1337/uploads/team_1.jpg" alt="Our team" width="800" height="600" loading="lazy" decoding="async">',
    );
    expect(renderRichText([image])).toContain('src="/uploads/team_1.jpg"');
    expect(
      renderRichText(
        [{ type: 'image', image: { url: 'https://cdn.example.com/a.png', alternativeText: null, width: null, height: null } }],
        { mediaBaseUrl: 'http://cms' },
      ),
    ).toBe('<img src="https://cdn.example.com/a.png" alt="" loading="lazy" decoding="async">');
  });

  it('resolves media URLs and refuses unsafe ones', () => {
    expect(resolveMediaUrl('/uploads/a.png', 'https://cms.example.com/')).toBe('https://cms.example.com/uploads/a.png');
    expect(resolveMediaUrl('/uploads/a.png', 'https://cms.example.com/base')).toBe('https://cms.example.com/uploads/a.png');
    expect(resolveMediaUrl('https://x.y/a.png', 'https://cms.example.com')).toBe('https://x.y/a.png');
    expect(() => resolveMediaUrl('javascript:alert(1)')).toThrow(RichTextError);
    expect(() => resolveMediaUrl('data:image/png;base64,xx')).toThrow(/only http\(s\)/);
  });

  it('renders ordered and unordered lists, nesting a sub-list inside the item before it', () => {
    const html = renderRichText([
      {
        type: 'list',
        format: 'ordered',
        children: [
          { type: 'list-item', children: [text('One')] },
          {
            type: 'list',
            format: 'unordered',
            indentLevel: 1,
            children: [
              { type: 'list-item', children: [text('One.a')] },
              {
                type: 'list',
                format: 'ordered',
                indentLevel: 2,
                children: [{ type: 'list-item', children: [text('deep', { bold: true })] }],
              },
            ],
          },
          { type: 'list-item', children: [text('Two'), link('/x/', 'link')] },
        ],
      },
    ]);
    expect(html).toBe(
      '<ol><li>One<ul><li>One.a<ol><li><strong>deep</strong></li></ol></li></ul></li><li>Two<a href="/x/">link</a></li></ol>',
    );
  });

  it('wraps a list that starts with a sub-list in an item of its own', () => {
    const html = renderRichText([
      {
        type: 'list',
        format: 'unordered',
        children: [{ type: 'list', format: 'unordered', children: [{ type: 'list-item', children: [text('x')] }] }],
      },
    ]);
    expect(html).toBe('<ul><li><ul><li>x</li></ul></li></ul>');
  });

  it('renders the seed article body: one paragraph per block', async () => {
    const { seed } = await import('@agency/shared');
    const section = seed.salesVsMarketing.body[0]!;
    expect(renderRichText(section.body)).toMatch(/^<p>Sales deal with present customers[^<]*<\/p>$/);
  });

  it('throws a clear error for a block type it does not know', () => {
    const unknown = { type: 'table', children: [] } as unknown as RichTextBlock;
    expect(() => renderRichText([unknown])).toThrow(RichTextError);
    expect(() => renderRichText([unknown])).toThrow(/block of type "table"/);
    const badInline = { type: 'paragraph', children: [{ type: 'mention', text: 'x' }] } as unknown as RichTextBlock;
    expect(() => renderRichText([badInline])).toThrow(/inline node of type "mention"/);
  });

  it('hands image blocks to renderImage when given (the static build’s <picture>), with the block’s own image', () => {
    const image: RichTextBlock = {
      type: 'image',
      image: { url: '/uploads/team_1.jpg', alternativeText: 'Our team', width: 800, height: 600 },
    };
    const seen: unknown[] = [];
    const html = renderRichText([image], {
      mediaBaseUrl: 'http://127.0.0.1:1337',
      renderImage: (img) => {
        seen.push(img);
        return '<picture>built</picture>';
      },
    });
    expect(html).toBe('<picture>built</picture>');
    expect(seen).toEqual([image.image]);
  });

  it('renders nothing for no blocks', () => {
    expect(renderRichText([])).toBe('');
  });
});
