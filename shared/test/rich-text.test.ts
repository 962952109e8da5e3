// Which URLs rich text (and the CTA) may carry. The site puts link URLs straight into href and image URLs
// into src, so these schemas are what keeps `javascript:` and links to other hosts away from readers.
import { describe, expect, it } from 'vitest';
import { ImageBlockSchema, RichTextSchema, SafeUrlSchema, isSafeImageUrl, isSafeLinkUrl, paragraphs, plainText } from '../src/index.ts';
import { image, link, paragraph, text } from './fixtures.ts';

describe('SafeUrlSchema (links)', () => {
  it.each([
    ['https://example.com/a?b=1#c', 'https://example.com/a?b=1#c'],
    ['HTTP://EXAMPLE.COM', 'HTTP://EXAMPLE.COM'],
    ['mailto:hello@example.com', 'mailto:hello@example.com'],
    ['Tel:+61298765432', 'Tel:+61298765432'],
    ['/articles/sales-vs-marketing/', '/articles/sales-vs-marketing/'],
    ['/', '/'],
    ['#top', '#top'],
    ['  https://example.com  ', 'https://example.com'],
    ['\n/contact/\t', '/contact/'],
  ])('accepts %j as %j', (url, expected) => {
    expect(SafeUrlSchema.parse(url)).toBe(expected);
    expect(isSafeLinkUrl(expected)).toBe(true);
  });

  it.each([
    // Other hosts in disguise: browsers read these as //evil.example.
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    // Scripts, in any case and with whitespace or control characters hiding the scheme.
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0000javascript:alert(1)',
    '\u0001https://example.com',
    'https://example.com/\u0000',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    // Not links the site makes: other schemes, relative paths, incomplete URLs, inner spaces.
    'ftp://example.com',
    'articles/x/',
    '?page=2',
    'https:',
    'https://',
    'http:evil.example',
    'tel:',
    'https://example.com/a b',
  ])('rejects %j', (url) => {
    const result = SafeUrlSchema.safeParse(url);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.message).toMatch(
      /^must be an http\(s\), mailto: or tel: URL, a path on this site starting with a single \//,
    );
  });

  it('says "must not be empty" for an empty URL, once', () => {
    for (const url of ['', '   ']) {
      const result = SafeUrlSchema.safeParse(url);
      expect(result.error?.issues.map((issue) => issue.message)).toEqual(['must not be empty']);
    }
  });
});

describe('ImageBlockSchema (image sources)', () => {
  it.each(['/uploads/team_1.jpg', 'https://cdn.example.com/a.png', 'http://127.0.0.1:1337/uploads/a.png'])('accepts %s', (url) => {
    expect(ImageBlockSchema.parse(image(url)).image.url).toBe(url);
    expect(isSafeImageUrl(url)).toBe(true);
  });

  it.each([
    '',
    '//evil.example/a.png',
    '/\\evil.example/a.png',
    'javascript:alert(1)',
    'data:image/png;base64,AAAA',
    'uploads/a.png',
    'mailto:a@b.c',
    '#x',
  ])('rejects %j with a clear message', (url) => {
    const result = ImageBlockSchema.safeParse(image(url));
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['image.url', 'must be an http(s) URL or a path on this site such as /uploads/photo.jpg'],
    ]);
  });
});

describe('RichTextSchema', () => {
  it('accepts every block type Strapi 5 produces', () => {
    const blocks = [
      { type: 'heading', level: 2, children: [text('Title')] },
      paragraph(text('Plain '), { type: 'text', text: 'bold', bold: true }, link('/x/')),
      { type: 'quote', children: [text('Quoted')] },
      { type: 'code', language: 'ts', children: [text('const a = 1;')] },
      image('/uploads/a.png'),
      {
        type: 'list',
        format: 'ordered',
        children: [
          { type: 'list-item', children: [text('One')] },
          { type: 'list', format: 'unordered', indentLevel: 1, children: [{ type: 'list-item', children: [text('One.a')] }] },
        ],
      },
    ];
    expect(RichTextSchema.parse(blocks)).toEqual(blocks);
    expect(plainText(RichTextSchema.parse(blocks))).toBe('Title\nPlain bolda link\nQuoted\nconst a = 1;\nA photo\nOne\nOne.a');
  });

  it('accepts an image on its own (no text needed), rejects text-free rich text', () => {
    expect(RichTextSchema.safeParse([image('/uploads/a.png')]).success).toBe(true);
    expect(RichTextSchema.safeParse(paragraphs('', ' ')).error?.issues.map((issue) => issue.message)).toEqual(['must contain some text']);
  });

  it('names an unknown inline node and a heading level out of range', () => {
    const inline = RichTextSchema.safeParse([paragraph({ type: 'mention', user: 'x' })]);
    expect(inline.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['0.children.0.type', 'is a rich-text inline node type the site cannot render (mention)'],
    ]);
    expect(RichTextSchema.safeParse([{ type: 'heading', level: 7, children: [text('x')] }]).error?.issues[0]?.path).toEqual([0, 'level']);
  });
});
