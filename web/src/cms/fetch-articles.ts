// An incremental publish's fetch (src/incremental/update-site.ts): only the articles a publish named, by
// documentId, in their published state, validated by the shared schema as a full build validates every one.
// ⌈ids / PAGE_SIZE⌉ requests. An id missing from the answer is an article that is no longer published
// (unpublished or deleted).
import {
  ARTICLES_BY_ID_QUERY,
  ArticleSchema,
  PAGE_SIZE,
  describeArticle,
  parseEntry,
  type Article,
  type ArticlesByIdResult,
} from '@agency/shared';
import type { CmsClient } from './client.ts';
import { CmsError } from './errors.ts';

export type FetchedArticles = {
  /** The published articles among the ids asked for, by documentId. */
  articles: Map<string, Article>;
  requests: number;
  fetchMs: number;
};

export async function fetchArticlesById(client: CmsClient, documentIds: readonly string[]): Promise<FetchedArticles> {
  const started = performance.now();
  const ids = [...new Set(documentIds)];
  const articles = new Map<string, Article>();
  let requests = 0;
  for (let start = 0; start < ids.length; start += PAGE_SIZE) {
    const chunk = ids.slice(start, start + PAGE_SIZE);
    const answer = await client.request<ArticlesByIdResult>(ARTICLES_BY_ID_QUERY, { documentIds: chunk, pageSize: PAGE_SIZE });
    requests += 1;
    if (!answer || !Array.isArray(answer.articles))
      throw new CmsError('bad-response', "The CMS's answer for the changed articles has no articles list.");
    for (const raw of answer.articles) {
      const article = parseEntry(ArticleSchema, raw, describeArticle(raw));
      articles.set(article.documentId, article);
    }
  }
  return { articles, requests, fetchMs: Math.round(performance.now() - started) };
}
