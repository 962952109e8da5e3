// Polling a served site until a page reaches the state a test expects: one loop for every rebuild fixture
// (./stack.ts), failing with the rebuild log so a person sees why it never got there.
import { sleep } from '../../scripts/common/sleep.ts';

/** Polls `siteUrl + pathname` until `check` passes; returns the time it took, or throws after `timeoutMs`. */
export async function waitForSite(
  siteUrl: string,
  pathname: string,
  check: (status: number, html: string) => boolean,
  timeoutMs: number,
  log: readonly string[],
): Promise<number> {
  const started = performance.now();
  let last = '';
  while (performance.now() - started < timeoutMs) {
    const response = await fetch(`${siteUrl}${pathname}`);
    const html = await response.text();
    if (check(response.status, html)) return performance.now() - started;
    last = `${response.status}`;
    await sleep(100);
  }
  throw new Error(
    `${pathname} did not reach the expected state within ${timeoutMs} ms (last status ${last}). Rebuild log:\n${log.join('\n')}`,
  );
}
