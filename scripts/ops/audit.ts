// `npm run audit`: what a reader's browser makes of the seed site. It boots a fresh CMS (throwaway SQLite,
// seeded on first start, like scripts/bench/bench.ts), gives the seeded article a cover and an inline image
// through the admin's upload API (as an editor would: issue 11 measures an article with pictures), builds the site with SITE_URL set to where it is served,
// serves it with the stack's static server, and runs Lighthouse (Debian's Chromium, headless, no network
// beyond 127.0.0.1) on the home page and the seeded article, as a phone and as a desktop. It prints the four
// category scores and, per page, the bytes a reader downloads (gzip, as a server would send them): HTML (with
// its inlined CSS), CSS (inlined + linked), JS, and the JS requested before any interaction.
// Figures are printed, never asserted: it exits non-zero only when something breaks.
// Flags: --smoke (CI: the article, mobile only), --pages /,/articles/x/, --form-factors mobile,desktop,
// --report-dir DIR (writes each Lighthouse JSON report there), --json FILE (the scores and weights as JSON, for CI
// artifacts), --html DIR (writes each Lighthouse HTML report there, e.g. article-mobile.html).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import {
  fail,
  freshCmsEnv,
  renderTable,
  requireCmsBuild,
  runBench,
  say,
  seconds,
  tail,
  tempDir,
  thousands,
  track,
  writeFigures,
} from '../bench/bench-kit.ts';
import { closeServer, listen } from '../common/http.ts';
import { buildSite } from '../rebuild/build-site.ts';
import { createStaticServer } from '../rebuild/static-server.ts';
import { illustrateSeededArticle } from '../stack/test-images.ts';
import { CmsAdmin } from '../stack/cms-admin.ts';
import { startCms } from '../stack/cms-runner.ts';
import { freePort } from '../stack/ports.ts';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium.ts';

const ARTICLE = '/articles/sales-vs-marketing/';
const CHROMIUM = CHROMIUM_PATH;
const CHROME_FLAGS = ['--headless=new', ...CHROMIUM_FLAGS];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
/** Issue 11: the article, with its cover and inline image, HTML + CSS gzipped. */
const PAGE_BUDGET_BYTES = 12 * 1024;

type FormFactor = 'mobile' | 'desktop';

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    pages: { type: 'string' },
    'form-factors': { type: 'string' },
    'report-dir': { type: 'string' },
    json: { type: 'string' },
    html: { type: 'string' },
  },
});
const pages = (flags.pages ?? (flags.smoke ? ARTICLE : `/,${ARTICLE}`)).split(',').map((p) => p.trim());
const formFactors = (flags['form-factors'] ?? (flags.smoke ? 'mobile' : 'mobile,desktop')).split(',').map((f) => f.trim()) as FormFactor[];

// ---------------------------------------------------------------------------------------------------
// Bytes, from the built files.

type Weight = { html: number; css: number; cssInline: number; cssLinked: number; js: number; jsInline: number; jsFiles: number };

const gzip = (text: string | Buffer) => gzipSync(text).length;

/** What the page at `pathname` costs a reader: its HTML and the CSS and JS it inlines or links, gzipped. */
function weigh(outDir: string, pathname: string): Weight {
  const file = path.join(outDir, pathname, pathname.endsWith('/') ? 'index.html' : '');
  if (!existsSync(file)) fail(`The build wrote no ${path.relative(outDir, file)}.`);
  const html = readFileSync(file, 'utf8');
  const local = (href: string) => {
    if (/^(https?:)?\/\//i.test(href)) fail(`${pathname} links an external resource (${href}); the audit only weighs local files.`);
    const clean = href.replace(/[?#].*$/, '');
    return readFileSync(clean.startsWith('/') ? path.join(outDir, clean) : path.resolve(path.dirname(file), clean));
  };
  const inlineCss = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => m[1]).join('');
  let cssLinked = 0;
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    if (!/\brel=["']?stylesheet\b/i.test(tag)) continue;
    const href = /\bhref=["']?([^"'\s>]+)/i.exec(tag)?.[1];
    if (href) cssLinked += gzip(local(href));
  }
  let jsLinked = 0;
  let jsFiles = 0;
  let inlineJs = '';
  for (const [, attributes = '', body = ''] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/type=["']?application\/(ld\+)?json/i.test(attributes)) continue; // data, not code
    const src = /\bsrc=["']?([^"'\s>]+)/i.exec(attributes)?.[1];
    if (src) {
      jsLinked += gzip(local(src));
      jsFiles++;
    } else inlineJs += body;
  }
  const cssInline = inlineCss ? gzip(inlineCss) : 0;
  const jsInline = inlineJs.trim() ? gzip(inlineJs) : 0;
  return { html: gzip(html), css: cssInline + cssLinked, cssInline, cssLinked, js: jsInline + jsLinked, jsInline, jsFiles };
}

// ---------------------------------------------------------------------------------------------------
// Lighthouse.

type Run = {
  page: string;
  formFactor: FormFactor;
  scores: Record<(typeof CATEGORIES)[number], number | null>;
  /** JavaScript requested while the page loaded (no interaction): count and transferred bytes. */
  scriptsOnLoad: { count: number; bytes: number };
  failing: string[];
};

async function audit(url: string, page: string, formFactor: FormFactor): Promise<Run> {
  const chrome = await launch({
    chromePath: CHROMIUM,
    chromeFlags: CHROME_FLAGS,
    logLevel: 'silent',
    connectionPollInterval: 250,
    maxConnectionRetries: 80,
  });
  const kill = async () => {
    try {
      chrome.kill();
    } catch {
      /* already gone */
    }
  };
  track(kill);
  try {
    const config = formFactor === 'desktop' ? desktopConfig : { extends: 'lighthouse:default' as const };
    const result = await lighthouse(
      `${url}${page}`,
      {
        port: chrome.port,
        output: flags.html ? 'html' : 'json',
        logLevel: 'error',
        onlyCategories: [...CATEGORIES],
        formFactor,
        disableFullPageScreenshot: true,
      },
      config,
    );
    if (!result) fail(`Lighthouse returned nothing for ${page} (${formFactor}).`);
    const { lhr } = result;
    if (lhr.runtimeError) fail(`Lighthouse could not audit ${page} (${formFactor}): ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const name = `${page.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}-${formFactor}`;
    if (flags['report-dir']) {
      mkdirSync(flags['report-dir'], { recursive: true });
      writeFileSync(path.join(flags['report-dir'], `${name}.json`), JSON.stringify(lhr, null, 1));
    }
    if (flags.html) {
      mkdirSync(flags.html, { recursive: true });
      const html = Array.isArray(result.report) ? result.report[0] : result.report;
      if (typeof html === 'string') writeFileSync(path.join(flags.html, `${name}.html`), html);
    }
    const scores = Object.fromEntries(CATEGORIES.map((id) => [id, lhr.categories[id]?.score ?? null])) as Run['scores'];
    const requests = (
      (lhr.audits['network-requests']?.details as { items?: Array<{ resourceType?: string; transferSize?: number }> } | undefined)?.items ??
      []
    ).filter((item) => item.resourceType === 'Script');
    // What to fix: every audit in the four categories that counts and did not pass.
    const failing = CATEGORIES.flatMap((id) =>
      (lhr.categories[id]?.auditRefs ?? [])
        .filter((ref) => ref.weight > 0)
        .map((ref) => lhr.audits[ref.id]!)
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'notApplicable')
        .map((a) => `${id}: ${a.id} (${a.score}) ${a.title}${a.displayValue ? ` — ${a.displayValue}` : ''}`),
    );
    return {
      page,
      formFactor,
      scores,
      scriptsOnLoad: { count: requests.length, bytes: requests.reduce((sum, item) => sum + (item.transferSize ?? 0), 0) },
      failing,
    };
  } finally {
    await kill();
  }
}

// ---------------------------------------------------------------------------------------------------

const started = performance.now();
await runBench(async () => {
  requireCmsBuild();
  if (!existsSync(CHROMIUM)) fail(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  if (formFactors.some((f) => f !== 'mobile' && f !== 'desktop'))
    fail(`--form-factors must list mobile and/or desktop, not "${flags['form-factors']}".`);
  if (pages.some((p) => !p.startsWith('/'))) fail(`--pages must list site paths such as / or ${ARTICLE}, not "${flags.pages}".`);
  console.log(`Audit: ${pages.join(', ')} × ${formFactors.join(', ')} (Lighthouse, ${CHROMIUM}).`);

  const dir = tempDir('agency-audit-');
  say('• CMS: ');
  const cmsStarted = performance.now();
  const env = freshCmsEnv(dir);
  const cms = await startCms({ port: await freePort(), env });
  track(() => cms.stop());
  await illustrateSeededArticle(new CmsAdmin(cms.url, { email: env.ADMIN_EMAIL!, password: env.ADMIN_PASSWORD! }));
  say(`up in ${seconds(performance.now() - cmsStarted)}, cover and inline image uploaded; site: `);

  // The site is built for the URL it is served at, so canonical URLs and the robots.txt sitemap match.
  const port = await freePort();
  const siteUrl = `http://127.0.0.1:${port}`;
  const outDir = path.join(dir, 'site');
  const build = await buildSite({ cmsUrl: cms.url, outDir, env: { CMS_TOKEN: '', SITE_URL: siteUrl } });
  if (!build.ok) fail(`The site build failed. Its last output:\n${tail(build.output, 40)}`);
  say(`built in ${seconds(build.durationMs)}; `);
  await cms.stop(); // Lighthouse's timings should not compete with an idle Strapi for the 2 cores
  const server = createStaticServer(() => outDir);
  await listen(server, port);
  track(() => closeServer(server));
  say(`served at ${siteUrl}\n`);

  const runs: Run[] = [];
  for (const page of pages) {
    for (const formFactor of formFactors) {
      say(`• Lighthouse ${page} (${formFactor})… `);
      const t = performance.now();
      runs.push(await audit(siteUrl, page, formFactor));
      say(`${seconds(performance.now() - t)}\n`);
    }
  }

  const score = (value: number | null) => (value === null ? 'n/a' : String(Math.round(value * 100)));
  const scoreTable = renderTable(
    ['Page', 'Form factor', 'Performance', 'Accessibility', 'Best practices', 'SEO', 'JS on load'],
    runs.map((run) => [
      run.page,
      run.formFactor,
      ...CATEGORIES.map((id) => score(run.scores[id])),
      `${run.scriptsOnLoad.count} requests, ${thousands(run.scriptsOnLoad.bytes)} B`,
    ]),
  );
  const weights = pages.map((page) => ({ page, ...weigh(outDir, page) }));
  const bytesTable = renderTable(
    ['Page', 'HTML gzip (CSS inlined)', 'CSS gzip (inline + linked)', 'JS in the page gzip (inline + files)', 'HTML + linked CSS'],
    weights.map((w) => {
      const total = w.html + w.cssLinked;
      return [
        w.page,
        `${thousands(w.html)} B`,
        `${thousands(w.css)} B (${thousands(w.cssInline)} + ${thousands(w.cssLinked)})`,
        `${thousands(w.js)} B (${thousands(w.jsInline)} + ${thousands(w.js - w.jsInline)} in ${w.jsFiles} files)`,
        `${thousands(total)} B ≤ ${thousands(PAGE_BUDGET_BYTES)} ${total <= PAGE_BUDGET_BYTES ? 'pass' : 'OVER'}`,
      ];
    }),
  );
  console.log(`\n${scoreTable}\n\n${bytesTable}\n`);
  const failing = [...new Set(runs.flatMap((run) => run.failing.map((line) => `${run.page} ${run.formFactor}: ${line}`)))];
  if (failing.length) console.log(`Audits below 1:\n  ${failing.join('\n  ')}\n`);
  console.log(
    `Goals: 100 in all four categories; article (with a cover and an inline image) HTML + CSS ≤ 12 KB gzip; 0 bytes of JS before interaction. "JS on load" counts the script ` +
      `files requested while the page loads (as Lighthouse saw them, before any scroll or click); "JS in the page" also counts inline ` +
      `scripts (e.g. Astro's island loader), which run at load. Total ${seconds(performance.now() - started)}.`,
  );
  if (flags.html) console.log(`Lighthouse HTML reports written to ${path.resolve(flags.html)}.`);
  writeFigures(flags.json, {
    audit: 'Lighthouse',
    goals: { score: 100, articlePageBytes: PAGE_BUDGET_BYTES, jsBeforeInteractionBytes: 0 },
    // Scores as Lighthouse shows them (0–100), null where a category could not be scored.
    runs: runs.map((run) => ({
      page: run.page,
      formFactor: run.formFactor,
      scores: Object.fromEntries(CATEGORIES.map((id) => [id, run.scores[id] === null ? null : Math.round(run.scores[id]! * 100)])),
      scriptsOnLoad: run.scriptsOnLoad,
      failing: run.failing,
    })),
    weights: weights.map((w) => ({ ...w, htmlPlusLinkedCss: w.html + w.cssLinked })),
    totalMs: Math.round(performance.now() - started),
  });
});
