// Real Chromium (Debian's package, installed by .ci/run) driven by playwright-core, and the reader's tabs the
// reading suites open pages in (tests/e2e/reader.test.ts, reader-pages.test.ts, search.test.ts).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../scripts/ops/chromium.ts';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/** What a tab saw since it was last handed out: each list in the order it happened. */
export type TabRecord = {
  /** console.error messages of the page and of its workers (text as Chromium logged it). */
  consoleErrors: string[];
  /** Uncaught exceptions in the page's scripts. */
  pageErrors: string[];
  /** The URL of every script the page requested. */
  scripts: string[];
  /** Every response with a status of 400 or more, as "status url". */
  failed: string[];
};

type Tab = { context: BrowserContext; page: Page; record: TabRecord };

const emptyRecord = (): TabRecord => ({ consoleErrors: [], pageErrors: [], scripts: [], failed: [] });

/**
 * One tab per kind of reader (the context's options: colour scheme, viewport, JavaScript), reused from test to
 * test: a new browser context costs Chromium a renderer process each time (seconds of CPU on a loaded machine,
 * most of what a page check took), while a tab navigated within the same site keeps its process. Each `tab()`
 * hands the tab back on a blank slate: screen media, the context's colour scheme, nothing recorded; the next
 * `goto` loads a fresh document.
 * `prepare` runs once per new context (e.g. an init script that reports CSP violations).
 */
export function readerTabs(browser: Browser, prepare?: (context: BrowserContext) => Promise<unknown>) {
  const tabs = new Map<string, Promise<Tab>>();

  async function make(options: BrowserContextOptions): Promise<Tab> {
    const context = await browser.newContext(options);
    await prepare?.(context);
    const page = await context.newPage();
    const tab: Tab = { context, page, record: emptyRecord() };
    // Each listener writes to the tab's current record, which `tab()` replaces: one listener per event for the
    // tab's life, not one per test.
    page.on('console', (message) => message.type() === 'error' && tab.record.consoleErrors.push(message.text()));
    page.on('pageerror', (error) => tab.record.pageErrors.push(error.message));
    page.on('worker', (worker) =>
      worker.on('console', (message) => message.type() === 'error' && tab.record.consoleErrors.push(message.text())),
    );
    page.on('response', (response) => response.status() >= 400 && tab.record.failed.push(`${response.status()} ${response.url()}`));
    page.on('request', (request) => request.resourceType() === 'script' && tab.record.scripts.push(request.url()));
    return tab;
  }

  return {
    /** The tab for these options, on about:blank with screen media, its colour scheme and an empty record (what it saw from now on). */
    async tab(options: BrowserContextOptions = {}): Promise<{ page: Page; record: TabRecord }> {
      const key = JSON.stringify(options);
      if (!tabs.has(key)) tabs.set(key, make(options));
      const tab = await tabs.get(key)!;
      // A fresh document, so nothing of the last test's page (focus, scroll, timers, late requests) reaches this one.
      await tab.page.goto('about:blank');
      // Screen media and the context's own colour scheme (Playwright's default: light), which a test may have switched.
      await tab.page.emulateMedia({ media: null, colorScheme: options.colorScheme ?? 'light' });
      tab.record = emptyRecord();
      return tab;
    },
    async close(): Promise<void> {
      for (const tab of tabs.values()) await (await tab).context.close().catch(() => {});
      tabs.clear();
    },
  };
}
