// What the consultation form's island costs a reader in JavaScript, read from a built page: the island's
// component module (its "own chunk", web/src/components/ConsultationForm.tsx) and its renderer (React), each
// with every module it imports statically, each file gzipped (zlib default level) as a server sends it. Used
// by `npm run bench` (which fails when a budget is exceeded) and by the form's e2e test.
// Budgets (issue 10): all of it ≤ 75 KB gzip; the form's own chunk ≤ 8 KB gzip.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const FORM_JS_BUDGET_BYTES = 75 * 1024;
export const FORM_OWN_CHUNK_BUDGET_BYTES = 8 * 1024;

export type FormJsWeight = {
  /** The component module, e.g. /_astro/ConsultationForm.abc123.js. */
  ownChunk: string;
  ownChunkGzip: number;
  /** Every file loaded to run the island (component, renderer, their static imports), each gzipped. */
  files: Array<{ file: string; gzip: number }>;
  totalGzip: number;
};

/** The static imports of an ES module built by Vite (`import … from"./x.js"`, `import"./x.js"`, `export … from`). */
function staticImports(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"']+\.js)["']/g)) found.push(match[1]!);
  return found;
}

/** The island whose component is `component` (e.g. "ConsultationForm") on the page `htmlFile` in the build `outDir`. */
export function weighIsland(outDir: string, htmlFile: string, component: string): FormJsWeight {
  const html = readFileSync(path.join(outDir, htmlFile), 'utf8');
  const island = [...html.matchAll(/<astro-island\b[^>]*>/g)]
    .map(([tag]) => tag)
    .find((tag) => new RegExp(`component-url="[^"]*/${component}\\.[^"]*\\.js"`).test(tag));
  if (!island) throw new Error(`${htmlFile} has no <astro-island> for ${component}: is the form still on the page, as an island?`);
  const attribute = (name: string) => {
    const value = new RegExp(`\\b${name}="([^"]+)"`).exec(island)?.[1];
    if (!value) throw new Error(`The ${component} island on ${htmlFile} has no ${name} attribute.`);
    return value;
  };
  const ownChunk = attribute('component-url');
  const seen = new Map<string, number>();
  const visit = (url: string) => {
    if (seen.has(url)) return;
    if (!url.startsWith('/')) throw new Error(`The ${component} island loads ${url}, which is not a file of the site.`);
    const bytes = readFileSync(path.join(outDir, url));
    seen.set(url, gzipSync(bytes).length);
    for (const imported of staticImports(bytes.toString('utf8'))) visit(new URL(imported, `http://site${url}`).pathname);
  };
  visit(ownChunk);
  visit(attribute('renderer-url'));
  const files = [...seen].map(([file, gzip]) => ({ file, gzip }));
  return { ownChunk, ownChunkGzip: seen.get(ownChunk)!, files, totalGzip: files.reduce((sum, file) => sum + file.gzip, 0) };
}

/** What is over budget, in words; empty when both budgets hold. */
export function formJsProblems(weight: FormJsWeight): string[] {
  const problems: string[] = [];
  if (weight.totalGzip > FORM_JS_BUDGET_BYTES)
    problems.push(`the form's JavaScript is ${weight.totalGzip} B gzip in all, over its ${FORM_JS_BUDGET_BYTES} B budget`);
  if (weight.ownChunkGzip > FORM_OWN_CHUNK_BUDGET_BYTES)
    problems.push(
      `the form's own chunk (${weight.ownChunk}) is ${weight.ownChunkGzip} B gzip, over its ${FORM_OWN_CHUNK_BUDGET_BYTES} B budget`,
    );
  return problems;
}
