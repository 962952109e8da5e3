// Breadcrumb trails (src/lib/breadcrumbs.ts), their BreadcrumbList JSON-LD (src/seo/json-ld.ts) and the topic
// and author paths (src/lib/routes.ts).
import { describe, expect, it } from 'vitest';
import { article, SITE_URL } from './support/fixtures.ts';
import { articleCrumbs, authorCrumbs, authorsIndexCrumbs, topicCrumbs, topicsIndexCrumbs } from '../src/lib/breadcrumbs.ts';
import { AUTHORS_PATH, TOPICS_PATH, authorPath, topicPath } from '../src/lib/routes.ts';
import { breadcrumbJsonLd } from '../src/seo/json-ld.ts';

const sales = { slug: 'sales', name: 'Sales' };
const jane = { slug: 'jane-doe', name: 'Jane Doe' };

describe('topic and author paths', () => {
  it('puts the first page at the list’s own address and later pages under page/N/', () => {
    expect([TOPICS_PATH, topicPath('sales'), topicPath('sales', 1), topicPath('sales', 2)]).toEqual([
      '/topics/',
      '/topics/sales/',
      '/topics/sales/',
      '/topics/sales/page/2/',
    ]);
    expect([AUTHORS_PATH, authorPath('jane-doe'), authorPath('jane-doe', 3)]).toEqual([
      '/authors/',
      '/authors/jane-doe/',
      '/authors/jane-doe/page/3/',
    ]);
  });
});

describe('breadcrumbs', () => {
  it('goes Home › first topic › article, or Home › article without topics', () => {
    const withTopics = article({
      topics: [
        { documentId: 't1', description: null, ...sales },
        { documentId: 't2', description: null, slug: 'strategy', name: 'Strategy' },
      ],
    });
    expect(articleCrumbs(withTopics)).toEqual([
      { name: 'Home', path: '/' },
      { name: 'Sales', path: '/topics/sales/' },
      { name: withTopics.title, path: '/articles/sales-vs-marketing/' },
    ]);
    expect(articleCrumbs(article({ topics: [] }))).toEqual([
      { name: 'Home', path: '/' },
      { name: withTopics.title, path: '/articles/sales-vs-marketing/' },
    ]);
  });

  it('goes Home › Topics › topic and Home › Authors › name, with a page crumb after the first page', () => {
    expect(topicCrumbs(sales)).toEqual([
      { name: 'Home', path: '/' },
      { name: 'Topics', path: '/topics/' },
      { name: 'Sales', path: '/topics/sales/' },
    ]);
    expect(topicCrumbs(sales, 2).at(-1)).toEqual({ name: 'Page 2', path: '/topics/sales/page/2/' });
    expect(authorCrumbs(jane)).toEqual([
      { name: 'Home', path: '/' },
      { name: 'Authors', path: '/authors/' },
      { name: 'Jane Doe', path: '/authors/jane-doe/' },
    ]);
    expect(authorCrumbs(jane, 3).slice(2)).toEqual([
      { name: 'Jane Doe', path: '/authors/jane-doe/' },
      { name: 'Page 3', path: '/authors/jane-doe/page/3/' },
    ]);
    expect(topicsIndexCrumbs().map((crumb) => crumb.path)).toEqual(['/', '/topics/']);
    expect(authorsIndexCrumbs().map((crumb) => crumb.path)).toEqual(['/', '/authors/']);
  });

  it('gives search engines the same trail as a BreadcrumbList with absolute URLs and positions from 1', () => {
    expect(breadcrumbJsonLd(topicCrumbs(sales), SITE_URL)).toEqual({
      '@context': 'https://schema.org',
      '@type': 'BreadcrumbList',
      itemListElement: [
        { '@type': 'ListItem', position: 1, name: 'Home', item: 'https://agency.example/' },
        { '@type': 'ListItem', position: 2, name: 'Topics', item: 'https://agency.example/topics/' },
        { '@type': 'ListItem', position: 3, name: 'Sales', item: 'https://agency.example/topics/sales/' },
      ],
    });
  });
});
