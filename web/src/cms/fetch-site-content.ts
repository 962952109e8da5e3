// All of a build's content in as few GraphQL requests as the API allows: the first request brings the site
// settings, the CTA and the first PAGE_SIZE articles with the page count; the remaining article pages follow,
// a few at a time. ⌈articles / PAGE_SIZE⌉ requests in all (at least one). Validation is src/cms/site-content.ts.
import { ARTICLES_PAGE_QUERY, PAGE_SIZE, SITE_CONTENT_QUERY, type ArticlesPageResult, type SiteContentResult } from '@agency/shared';
import type { CmsClient } from './client.ts';
import { checkConnection, toSiteContent, type SiteContent } from './site-content.ts';

/** How many article pages are fetched at once after the first. */
const CONCURRENCY = 4;

export type FetchedSiteContent = {
  content: SiteContent;
  /** GraphQL requests sent. */
  requests: number;
  /** From the first request to the validated content. */
  fetchMs: number;
};

/** Fetches and validates all the site's content. Throws CmsError (or InvalidContentError) when it cannot. */
export async function fetchSiteContent(client: CmsClient): Promise<FetchedSiteContent> {
  const started = performance.now();
  const first = await client.request<SiteContentResult>(SITE_CONTENT_QUERY, { pageSize: PAGE_SIZE });
  const pageCount = checkConnection(first?.articles_connection, 1).pageInfo.pageCount;

  const pages = Array.from({ length: Math.max(0, pageCount - 1) }, (_, index) => index + 2);
  const rest: ArticlesPageResult[] = new Array(pages.length);
  let next = 0;
  const worker = async () => {
    while (next < pages.length) {
      const index = next++;
      rest[index] = await client.request<ArticlesPageResult>(ARTICLES_PAGE_QUERY, { page: pages[index], pageSize: PAGE_SIZE });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pages.length) }, worker));

  const content = toSiteContent(first, rest);
  return { content, requests: 1 + pages.length, fetchMs: Math.round(performance.now() - started) };
}
