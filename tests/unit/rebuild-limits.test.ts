// The rebuild service's limits as pure logic: each build's deadline, sized from the live site unless
// REBUILD_TIMEOUT_MS fixes it (scripts/rebuild/build-deadline.ts), what a failure's message may show in
// /status (scripts/rebuild/status-text.ts), and how the end of a warm build is read from the worker's output
// (scripts/rebuild/build-worker-protocol.ts). The deadline at work, a worker stopped and replaced:
// tests/integration/rebuild-faults.test.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeadlineMs, liveArticleCount } from '../../scripts/rebuild/build-deadline.ts';
import { endMarker, readMarker } from '../../scripts/rebuild/build-worker-protocol.ts';
import { rebuildServiceSettings } from '../../scripts/rebuild/settings.ts';
import { statusText } from '../../scripts/rebuild/status-text.ts';

describe('the build deadline', () => {
  it('grows with the site: 10 minutes, plus half a second per article', () => {
    expect(buildDeadlineMs(0)).toBe(600_000);
    expect(buildDeadlineMs(1_000)).toBe(1_100_000);
    expect(buildDeadlineMs(10_000)).toBe(5_600_000);
    // Above every build measured (docs/benchmarks.md): 1,000 articles with every cover encoded, 585 s.
    expect(buildDeadlineMs(1_000)).toBeGreaterThan(585_000 * 1.5);
    expect(buildDeadlineMs(1_000, 90_000)).toBe(90_000);
  });

  it('counts the live build’s article pages', () => {
    const live = mkdtempSync(path.join(tmpdir(), 'agency-live-'));
    expect(liveArticleCount(null)).toBe(0);
    expect(liveArticleCount(live)).toBe(0);
    for (const slug of ['a', 'b', 'c']) mkdirSync(path.join(live, 'articles', slug), { recursive: true });
    writeFileSync(path.join(live, 'articles', 'index.html'), '');
    expect(liveArticleCount(live)).toBe(3);
  });

  it('reads REBUILD_TIMEOUT_MS: unset sizes it from the site; nonsense is refused, saying what it must be', () => {
    const base = { WEBHOOK_TOKEN: 'a-webhook-token-long-enough' };
    expect(rebuildServiceSettings.read(base).REBUILD_TIMEOUT_MS).toBeNull();
    expect(rebuildServiceSettings.read({ ...base, REBUILD_TIMEOUT_MS: '120000' }).REBUILD_TIMEOUT_MS).toBe(120_000);
    expect(() => rebuildServiceSettings.read({ ...base, REBUILD_TIMEOUT_MS: '10m' })).toThrow(
      /REBUILD_TIMEOUT_MS.*must be a whole number of milliseconds from 1000 to 86400000/,
    );
  });
});

describe('what /status shows of a failure', () => {
  it('cuts credentials and query strings out of URLs, whatever wrote the message', () => {
    expect(
      statusText('"A", body, image https://user:s3cret@media.example.com/a.jpg?X-Amz-Signature=abc123&t=1: 403 Forbidden. Is it?'),
    ).toBe('"A", body, image https://***@media.example.com/a.jpg?…: 403 Forbidden. Is it?');
    expect(statusText('Cannot reach the CMS at http://cms:1337 (ECONNREFUSED).')).toBe(
      'Cannot reach the CMS at http://cms:1337 (ECONNREFUSED).',
    );
  });

  it('is never longer than a person reads', () => {
    expect(statusText('x'.repeat(10_000))).toHaveLength(4001);
  });
});

describe('the end of a warm build', () => {
  it('finds the end marker at the end of a line the build left unfinished (a publish once waited for it forever)', () => {
    // What the worker printed when a page's render failed: Astro's progress line for it never got its time.
    expect(readMarker(`13:18:34   ├─ /articles/sales-vs-marketing/index.html${endMarker(1)}`, 1)).toEqual({
      ended: true,
      before: '13:18:34   ├─ /articles/sales-vs-marketing/index.html',
    });
    expect(readMarker(endMarker(7), 7)).toEqual({ ended: true, before: null });
    expect(readMarker(endMarker(7), 17)).toEqual({ ended: false, before: endMarker(7) });
    expect(readMarker('13:18:34 [build] ✓ Completed in 1.76s.', 1)).toEqual({
      ended: false,
      before: '13:18:34 [build] ✓ Completed in 1.76s.',
    });
  });
});
