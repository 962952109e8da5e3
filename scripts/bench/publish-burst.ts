// The burst of `npm run bench:publish`: many webhook calls within ~2 s, straight to the rebuild service, with
// one real publish among the last of them; then the builds they caused are counted once the service is idle.
// It proves the service coalesces events (≤ 2 builds per burst) and loses none (the last publish is served).
import { checkInterrupted, fail } from './bench-kit.ts';
import { modelName, UID } from '@agency/shared';
import { sleep } from '../common/sleep.ts';
import {
  ARTICLE_PATH,
  buildsIn,
  checkFailures,
  escapeHtml,
  idle,
  newTitle,
  queuedPublishesIn,
  servedAt,
  type Stack,
} from './publish-stack.ts';

export const BURST_CALLS = 50;
const BURST_MS = 2_000;
/** The real publish goes out with this call of the burst (0-based), so its own webhook lands near the end. */
export const BURST_PUBLISH_AT = 45;
export const BURST_BUILD_GOAL = 2;

export type Burst = {
  calls: number;
  sentMs: number;
  builds: number;
  eventsPerBuild: number[];
  liveMs: number;
  idleMs: number;
  lastServed: boolean;
};

/** 50 webhook calls within ~2 s, one real publish among the last of them; then builds counted once idle. */
export async function burst(stack: Stack): Promise<Burst> {
  await idle(stack);
  const from = stack.log.length;
  const historyFrom = stack.service.history.at(-1)?.id;
  const form = await stack.admin.articleForm(stack.documentId);
  const title = newTitle('burst');
  const body = () =>
    JSON.stringify({
      event: 'entry.publish',
      model: modelName(UID.article),
      uid: UID.article,
      entry: null,
      createdAt: new Date().toISOString(),
    });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${stack.token}` };

  const started = performance.now();
  const calls: Array<Promise<Response>> = [];
  let published: Promise<void> | undefined;
  let publishStarted = 0;
  for (let i = 0; i < BURST_CALLS; i++) {
    await sleep(started + (i * BURST_MS) / BURST_CALLS - performance.now());
    if (i === BURST_PUBLISH_AT) {
      publishStarted = performance.now();
      published = stack.admin.publish(stack.documentId, { ...form, title });
    }
    calls.push(fetch(stack.hookUrl, { method: 'POST', headers, body: body() }));
  }
  const responses = await Promise.all(calls);
  const sentMs = performance.now() - started;
  for (const response of responses) {
    const answer = (await response.json()) as { status?: string };
    if (response.status !== 202 || answer.status !== 'queued')
      fail(`The service answered a burst call with ${response.status} ${JSON.stringify(answer)}.`);
  }
  await published;

  // Strapi's own webhook for the real publish is one more queued event; wait for it, then for the builds.
  const expected = BURST_CALLS + 1;
  while (queuedPublishesIn(stack.log.slice(from)) < expected) {
    checkInterrupted();
    if (performance.now() - publishStarted > 30_000)
      fail(`Strapi's webhook for the burst's publish never reached the service. Log:\n${stack.log.slice(-10).join('\n')}`);
    await sleep(20);
  }
  const liveMs = (await servedAt(stack, title, publishStarted, from)) - publishStarted;
  await idle(stack);
  const idleMs = performance.now() - started;

  const lines = stack.log.slice(from);
  checkFailures(lines);
  const history = stack.service.history;
  const records = history.slice(history.findIndex((record) => record.id === historyFrom) + 1);
  const html = await (await fetch(`${stack.siteUrl}${ARTICLE_PATH}`)).text();
  return {
    calls: expected,
    sentMs,
    builds: buildsIn(lines),
    eventsPerBuild: records.map((record) => record.trigger.length),
    liveMs,
    idleMs,
    lastServed: html.includes(`<h1>${escapeHtml(title)}</h1>`),
  };
}
