// The form's JavaScript weight as `npm run bench` and the form's e2e test read it (scripts/bench/js-weight.ts):
// the island's component and renderer with every module they import statically, each counted once, gzipped;
// and the budgets it is held to.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FORM_JS_BUDGET_BYTES, FORM_OWN_CHUNK_BUDGET_BYTES, formJsProblems, weighIsland } from '../../scripts/bench/js-weight.ts';

/** A build directory with `files` (path → content) written into it. */
function build(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'js-weight-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}
const gz = (text: string) => gzipSync(text).length;

const ISLAND =
  '<astro-island uid="x" component-url="/_astro/ConsultationForm.abc.js" component-export="default" renderer-url="/_astro/client.def.js" client="visible"></astro-island>';

describe('weighIsland', () => {
  it('follows static imports from the component and the renderer, counting each file once', () => {
    const files = {
      'page/index.html': `<html><body><astro-island component-url="/_astro/Other.js" renderer-url="/_astro/client.def.js"></astro-island>${ISLAND}</body></html>`,
      '_astro/ConsultationForm.abc.js': 'import{a as b}from"./react.123.js";import"./style.456.js";export default b;',
      '_astro/client.def.js': 'import{c}from"./react.123.js";export{c};const lazy=()=>import("./lazy.789.js");',
      '_astro/react.123.js': 'export const a=1,c=2;',
      '_astro/style.456.js': 'console.log(1);',
      '_astro/lazy.789.js': 'x'.repeat(5000),
    };
    const weight = weighIsland(build(files), 'page/index.html', 'ConsultationForm');
    expect(weight.ownChunk).toBe('/_astro/ConsultationForm.abc.js');
    expect(weight.ownChunkGzip).toBe(gz(files['_astro/ConsultationForm.abc.js']));
    // Loaded on demand only, so not counted: the dynamic import.
    expect(weight.files.map((f) => f.file).sort()).toEqual([
      '/_astro/ConsultationForm.abc.js',
      '/_astro/client.def.js',
      '/_astro/react.123.js',
      '/_astro/style.456.js',
    ]);
    const expected = ['ConsultationForm.abc.js', 'client.def.js', 'react.123.js', 'style.456.js'].reduce(
      (sum, file) => sum + gz(files[`_astro/${file}` as keyof typeof files]),
      0,
    );
    expect(weight.totalGzip).toBe(expected);
    expect(formJsProblems(weight)).toEqual([]);
  });

  it('says so when the page has no such island', () => {
    const dir = build({ 'index.html': '<html><body><form></form></body></html>' });
    expect(() => weighIsland(dir, 'index.html', 'ConsultationForm')).toThrow(/index\.html has no <astro-island> for ConsultationForm/);
  });
});

describe('formJsProblems', () => {
  it('names each budget exceeded, with the figures', () => {
    const base = { ownChunk: '/_astro/F.js', files: [] };
    expect(formJsProblems({ ...base, ownChunkGzip: FORM_OWN_CHUNK_BUDGET_BYTES, totalGzip: FORM_JS_BUDGET_BYTES })).toEqual([]);
    expect(formJsProblems({ ...base, ownChunkGzip: FORM_OWN_CHUNK_BUDGET_BYTES + 1, totalGzip: FORM_JS_BUDGET_BYTES + 1 })).toEqual([
      `the form's JavaScript is ${FORM_JS_BUDGET_BYTES + 1} B gzip in all, over its ${FORM_JS_BUDGET_BYTES} B budget`,
      `the form's own chunk (/_astro/F.js) is ${FORM_OWN_CHUNK_BUDGET_BYTES + 1} B gzip, over its ${FORM_OWN_CHUNK_BUDGET_BYTES} B budget`,
    ]);
  });
});
