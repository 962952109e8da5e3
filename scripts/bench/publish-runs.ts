// The measuring of one editor publish on the stack (./publish-stack.ts): an article's new title, built
// incrementally (production) or in full, from the publish request until the new <h1> is served; and a new
// article, published once. One run each: ./publish-site.ts pairs and repeats them, ./publish-report.ts reads them.
import { randomBytes } from 'node:crypto';
import { fail } from './bench-kit.ts';
import { UID } from '@agency/shared';
import { buildsIn, idle, newTitle, servedAt, type Builder, type Stack } from './publish-stack.ts';

/**
 * hookMs: from the publish request until Strapi's webhook reached the service (Strapi's part of the wait);
 * liveMs − hookMs is the service's part.
 */
export type PublishRun = {
  builder: Builder;
  liveMs: number;
  requestMs: number;
  hookMs: number;
  buildMs: number;
  builds: number;
  detail: string;
};

/** One editor publish: a new title, from the publish request until the new <h1> is served, built by `builder`. */
export async function timePublish(stack: Stack, run: number, builder: Builder): Promise<PublishRun> {
  await idle(stack);
  stack.builder.use = builder;
  const from = stack.log.length;
  const form = await stack.admin.articleForm(stack.documentId); // the form the editor has open
  const title = newTitle(`publish ${run}`);
  const started = performance.now();
  await stack.admin.publish(stack.documentId, { ...form, title });
  const requestMs = performance.now() - started;
  const liveMs = (await servedAt(stack, title, started, from)) - started;
  const hook = stack.log.findIndex((line, index) => index >= from && line === `[rebuild] entry.publish ${UID.article} queued`);
  const hookMs = hook === -1 ? NaN : stack.logTimes[hook]! - started;
  await idle(stack);
  const record = stack.service.history.at(-1);
  stack.builder.use = 'incremental';
  const detail = record?.detail ?? '';
  if (builder === 'incremental' && !/; incremental: \d+ of/.test(detail)) fail(`The publish was not made incrementally: ${detail}`);
  return { builder, liveMs, requestMs, hookMs, buildMs: record?.durationMs ?? NaN, builds: buildsIn(stack.log.slice(from)), detail };
}

/**
 * A new article (no topic, no author), created and published as the editor does it, from the create request
 * until its page is served. Not the goal's figure, said beside it: a new article is the newest, so it shifts
 * every page of the home page's list by one, and those pages are rendered again (docs/rebuilds.md).
 */
export async function timeNewArticle(stack: Stack): Promise<{ liveMs: number; detail: string }> {
  await idle(stack);
  const from = stack.log.length;
  const slug = `bench-new-${randomBytes(3).toString('hex')}`;
  const title = newTitle('a new article');
  const started = performance.now();
  await stack.admin.createArticle(
    {
      title,
      slug,
      intro: `A new article, published by the benchmark.`,
      body: [
        { __component: 'article.section', heading: 'A section', body: [{ type: 'paragraph', children: [{ type: 'text', text: title }] }] },
      ],
    },
    { publish: true },
  );
  const liveMs = (await servedAt(stack, title, started, from, `/articles/${slug}/`)) - started;
  await idle(stack);
  const detail = stack.service.history.at(-1)?.detail ?? '';
  if (!/; incremental: \d+ of/.test(detail)) fail(`The new article was not published incrementally: ${detail}`);
  return { liveMs, detail };
}
