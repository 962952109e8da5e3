// What a request without credentials may put in its query (src/bootstrap): which parameters ask about drafts
// (draft-guard.ts), and which REST populates are too wide (public-populate.ts), in each of the query's forms.
// The real requests, refused by a running Strapi, are tests/integration/security.test.ts and api-limits.suite.ts
// (run by incremental.test.ts).
import { describe, expect, it } from 'vitest';
import { draftQuestions } from '../src/bootstrap/draft-guard.ts';
import { populatePaths, publicPopulateProblem, type GetModel } from '../src/bootstrap/public-populate.ts';

describe('draftQuestions', () => {
  it('finds nothing in a read of published content', () => {
    expect(draftQuestions({})).toEqual([]);
    expect(draftQuestions({ status: 'published', populate: { topics: { fields: ['slug'] } }, filters: { slug: 'x' } })).toEqual([]);
  });

  it('finds a status other than published, publicationFilter and hasPublishedVersion, whatever their value', () => {
    expect(draftQuestions({ status: 'draft' })).toEqual(['status']);
    expect(draftQuestions({ status: '' })).toEqual(['status']);
    expect(draftQuestions({ status: ['draft'] })).toEqual(['status']);
    expect(draftQuestions({ status: 'published', publicationFilter: 'modified' })).toEqual(['publicationFilter']);
    expect(draftQuestions({ hasPublishedVersion: 'false' })).toEqual(['hasPublishedVersion']);
  });

  it('finds them inside populate, at any depth, in arrays too', () => {
    expect(draftQuestions({ populate: { topics: { status: 'published' } } })).toEqual(['populate[topics][status]']);
    expect(draftQuestions({ populate: { topics: { populate: { articles: { publicationFilter: 'modified' } } } } })).toEqual([
      'populate[topics][populate][articles][publicationFilter]',
    ]);
    expect(draftQuestions({ populate: [{ author: { hasPublishedVersion: true } }] })).toEqual(['populate[0][author][hasPublishedVersion]']);
  });
});

/** The site's content types, as much of them as a populate path walks through. */
const models: Record<string, { attributes: Record<string, { type: string; target?: string; component?: string }> }> = {
  'api::article.article': {
    attributes: {
      topics: { type: 'relation', target: 'api::topic.topic' },
      author: { type: 'relation', target: 'api::author.author' },
      cover: { type: 'media' },
      seo: { type: 'component', component: 'shared.seo' },
      body: { type: 'dynamiczone' },
    },
  },
  'api::topic.topic': { attributes: { articles: { type: 'relation', target: 'api::article.article' } } },
  'api::author.author': { attributes: { articles: { type: 'relation', target: 'api::article.article' }, photo: { type: 'media' } } },
  'shared.seo': { attributes: { shareImage: { type: 'media' } } },
  'plugin::upload.file': { attributes: {} },
};
const getModel: GetModel = (uid) => models[uid];
const problem = (populate: unknown, uid = 'api::article.article') => publicPopulateProblem(populate, uid, getModel);

describe('populatePaths', () => {
  it('reads every form of REST populate', () => {
    expect(populatePaths('topics,seo.shareImage')).toEqual([['topics'], ['seo', 'shareImage']]);
    expect(populatePaths(['topics', 'author.photo'])).toEqual([['topics'], ['author', 'photo']]);
    expect(populatePaths({ topics: true, cover: 'true', seo: { populate: { shareImage: true } }, author: 'false' })).toEqual([
      ['topics'],
      ['cover'],
      ['seo'],
      ['seo', 'shareImage'],
    ]);
    expect(populatePaths({ body: { on: { 'article.section': { populate: { image: true } } } } })).toEqual([['body'], ['body', 'image']]);
    // Past 20 items the query parser keeps an array as an object with numeric keys.
    expect(populatePaths({ 25: 'topics.articles' })).toEqual([['topics', 'articles']]);
    expect(populatePaths('*')).toEqual([['*']]);
    expect(populatePaths({ topics: { populate: '*' } })).toEqual([['topics'], ['topics', '*']]);
  });
});

describe('publicPopulateProblem', () => {
  it('allows what one page needs: named relations, 2 levels, one relation between content types per path', () => {
    for (const populate of [
      'topics',
      'author',
      ['cover', 'seo.shareImage'],
      'author.photo',
      { topics: true, author: { populate: ['photo'] } },
    ])
      expect(problem(populate), JSON.stringify(populate)).toBeNull();
    expect(problem('articles', 'api::topic.topic')).toBeNull();
  });

  it('refuses a wildcard, naming it', () => {
    expect(problem('*')).toMatch(/^populate is limited without credentials, and "\*" populates everything\. Name each relation/);
    expect(problem({ topics: { populate: '*' } })).toMatch(/"topics\.\*" populates everything/);
    expect(problem(true)).toMatch(/populates everything/);
  });

  it('refuses a path deeper than 2 levels', () => {
    expect(problem('author.photo.related')).toMatch(/"author\.photo\.related" is 3 levels deep/);
    expect(problem({ topics: { populate: { articles: { populate: { topics: true } } } } })).toMatch(/is 3 levels deep/);
  });

  it('refuses two relations on one path: they multiply', () => {
    expect(problem('topics.articles')).toMatch(/"topics\.articles" crosses 2 relations, which multiply/);
    expect(problem({ 25: 'author.articles' })).toMatch(/crosses 2 relations/);
    expect(problem(['articles.topics'], 'api::topic.topic')).toMatch(/crosses 2 relations/);
  });
});
