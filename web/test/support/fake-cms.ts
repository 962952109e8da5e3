// A stand-in for Strapi's GraphQL API: answers the site's queries (shared/src/queries.ts) from content held
// in memory, pages articles as Strapi does, and records every request. Enough to test the content loader and
// the preview's loading without booting a CMS; tests/e2e covers the real one.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seed } from '@agency/shared';
import { firstPage, type RawArticle } from './fixtures.ts';

export type FakeCmsContent = {
  global?: unknown;
  consultationCta?: unknown;
  articles: RawArticle[];
};

type RecordedRequest = { operation: string; variables: Record<string, unknown>; headers: IncomingHttpHeaders };

export type FakeCms = {
  url: string;
  /** Every GraphQL request received, in order. */
  requests: RecordedRequest[];
  /** What the next requests are answered from; change it between builds. */
  content: FakeCmsContent;
  close: () => Promise<void>;
};

function connection(articles: RawArticle[], page: number, pageSize: number) {
  const total = articles.length;
  return {
    nodes: articles.slice((page - 1) * pageSize, page * pageSize),
    pageInfo: { page, pageCount: Math.ceil(total / pageSize), total },
  };
}

export async function startFakeCms(content: FakeCmsContent): Promise<FakeCms> {
  const requests: RecordedRequest[] = [];
  const cms: Omit<FakeCms, 'url' | 'close'> = { requests, content };
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const { query, variables = {} } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
    const operation = /query (\w+)/.exec(query)?.[1] ?? 'anonymous';
    requests.push({ operation, variables, headers: req.headers });
    const { global = seed.siteSettings, consultationCta = seed.consultationCta, articles } = cms.content;
    const pageSize = Number(variables.pageSize ?? 100);
    let data: unknown;
    if (operation === 'SiteContent') {
      const { authors_connection, topics_connection } = firstPage([]);
      data = { global, consultationCta, articles_connection: connection(articles, 1, pageSize), authors_connection, topics_connection };
    } else if (operation === 'ArticlesPage') data = { articles_connection: connection(articles, Number(variables.page), pageSize) };
    else if (operation === 'PreviewArticle')
      data = { global, consultationCta, articles: articles.filter((a) => a.documentId === variables.documentId).slice(0, 1) };
    else if (operation === 'PreviewCta') data = { global, consultationCta };
    else {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: [{ message: `Unknown operation ${operation}` }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(cms, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  });
}
