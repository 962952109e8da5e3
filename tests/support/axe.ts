// axe-core in a page the tests opened in Chromium: the WCAG 2.2 AA rules every reader page is held to, and
// the one way the e2e tests run them (tests/e2e/reader.test.ts, reader-pages.test.ts, search.test.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** The minified build (650 kB, not axe.js's 1.5 MB): sent to and parsed by every page it checks. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The rule tags of WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** What axe found on the page: each violation as a readable line with its elements, and the ids of the rules that passed. */
export type AxeFindings = { violations: string[]; passed: string[] };

/** Runs axe's WCAG 2.2 AA rules on the whole page. */
export async function runAxe(page: Page): Promise<AxeFindings> {
  // Evaluated, not added as a <script>: the page's CSP (script hashes only) would refuse an inline script. Once
  // per document: a second run on the same page (after an interaction) reuses it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    // The few fields of axe's result read here (axe-core runs in the page, not in Node).
    type AxeRule = { id: string; impact?: string; help: string; nodes: Array<{ target: string[]; failureSummary?: string }> };
    type AxeResult = { passes: AxeRule[]; violations: AxeRule[] };
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<AxeResult> } }).axe;
    // resultTypes: every rule still runs on every element and every violation lists all its elements, but passes
    // keep one element each: axe skips making a unique selector for every passing node, most of its time here.
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return {
      passed: result.passes.map((rule) => rule.id),
      violations: result.violations.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('\n    ')}`,
      ),
    };
  }, WCAG_22_AA);
}

/** The colour schemes every reader page is checked in. */
export const SCHEMES = ['light', 'dark'] as const;
export type Scheme = (typeof SCHEMES)[number];

/**
 * axe in each colour scheme on the one loaded page: the scheme is switched in place (prefers-color-scheme is
 * evaluated live, so the page restyles as it would have loaded in it), so the page loads and takes axe once for
 * both, not once per scheme. Leaves the page in the last scheme.
 */
export async function runAxeInEachScheme(page: Page): Promise<Array<AxeFindings & { scheme: Scheme }>> {
  const findings: Array<AxeFindings & { scheme: Scheme }> = [];
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    const active = await page.evaluate(() => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
    if (active !== scheme) throw new Error(`The page did not switch to the ${scheme} colour scheme (it reports ${active}).`);
    findings.push({ scheme, ...(await runAxe(page)) });
  }
  return findings;
}
