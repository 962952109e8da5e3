// How long a publish's build may take before the rebuild service stops it (REBUILD_TIMEOUT_MS). Without a
// deadline one hung step (an image server that never answers, a worker waiting for a line that never comes)
// held the service for good: the build stayed `running` in /status and every later publish queued behind it.
// Unset, the deadline is sized from the site, because a full build's time grows with it: a cold build of
// 1,000 articles with covers took 456–585 s, 10,000 without new images 251 s (docs/benchmarks.md). Ten minutes
// plus half a second per article is above every figure measured, so only a build that is stuck reaches it.
import { readdirSync } from 'node:fs';
import path from 'node:path';

const BASE_MS = 10 * 60_000;
const PER_ARTICLE_MS = 500;

/** The deadline of a build of a site with `articles` articles, unless REBUILD_TIMEOUT_MS (`fixedMs`) sets one. */
export function buildDeadlineMs(articles: number, fixedMs: number | null = null): number {
  return fixedMs ?? BASE_MS + PER_ARTICLE_MS * Math.max(0, articles);
}

/** How many article pages the live build has (its `articles/<slug>/` folders); 0 without a live build. */
export function liveArticleCount(liveDir: string | null): number {
  if (!liveDir) return 0;
  try {
    return readdirSync(path.join(liveDir, 'articles'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).length;
  } catch {
    return 0;
  }
}
