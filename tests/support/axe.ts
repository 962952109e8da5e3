// axe-core in a page the tests opened in Chromium: the WCAG 2.2 AA rules every reader page is held to, and
// the one way the e2e tests run them (tests/e2e/reader.test.ts, reader-pages.test.ts, search.test.ts).
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE: string = require('axe-core').source;

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
