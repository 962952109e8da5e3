// The build report (SITE_BUILD_REPORT): the file's atomic writes and classification
// (src/lib/build-report-file.ts), and the integration that opens and closes it (src/integrations/build-report.ts);
// and the integration that keeps no content from an earlier build (src/integrations/fresh-content.ts).
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BuildReportSchema, InvalidContentError } from '@agency/shared';
import { describe, expect, it } from 'vitest';
import { CmsError } from '../src/cms/errors.ts';
import { buildReport, writtenPages } from '../src/integrations/build-report.ts';
import { freshContent } from '../src/integrations/fresh-content.ts';
import { CONTENT_FETCHED, STARTED, buildFailure, readBuildReport, writeBuildReport } from '../src/lib/build-report-file.ts';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'web-report-'));
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const content = { articles: 3, requests: 1, fetchMs: 42 };

/** Runs one of the integration's hooks with just the parameters it reads. */
function hook(file: string | null, name: 'astro:config:setup' | 'astro:build:done', params: Record<string, unknown>) {
  const run = buildReport(file).hooks[name] as (params: unknown) => void;
  return run(params);
}

describe('the report file', () => {
  it('is written whole, through a temporary file, and read back only when valid', () => {
    const dir = tempDir();
    const file = path.join(dir, 'nested', 'report.json');
    writeBuildReport(file, { ok: false, error: STARTED });
    writeBuildReport(file, { ok: true, content, pages: ['/'] });
    expect(readdirSync(path.dirname(file))).toEqual(['report.json']);
    expect(readJson(file)).toEqual({ ok: true, content, pages: ['/'] });
    expect(readBuildReport(file)).toEqual({ ok: true, content, pages: ['/'] });

    expect(readBuildReport(path.join(dir, 'missing.json'))).toBeNull();
    writeFileSync(path.join(dir, 'broken.json'), '{"ok": tr');
    expect(readBuildReport(path.join(dir, 'broken.json'))).toBeNull();
  });

  it('refuses to write a report that does not match the schema', () => {
    const file = path.join(tempDir(), 'report.json');
    expect(() => writeBuildReport(file, { ok: true, pages: [] } as never)).toThrow();
    expect(readdirSync(path.dirname(file))).toEqual([]);
  });

  it('names a failure by its CmsError kind, invalid-content, or build', () => {
    expect(buildFailure(new CmsError('unreachable', 'Cannot reach the CMS at x'))).toEqual({
      kind: 'unreachable',
      message: 'Cannot reach the CMS at x',
    });
    expect(buildFailure(new InvalidContentError('article "a"', [{ field: 'title', message: 'must not be empty' }]))).toMatchObject({
      kind: 'invalid-content',
      message: expect.stringContaining('article "a"'),
    });
    expect(buildFailure(new TypeError('x is undefined'))).toEqual({ kind: 'build', message: 'x is undefined' });
  });
});

describe('the build report integration', () => {
  const outDir = pathToFileURL(`${tempDir()}/dist/`);
  const written = new Map<string, URL[]>([
    ['/', [new URL('index.html', outDir)]],
    ['/articles/[slug]', [new URL('articles/b/index.html', outDir), new URL('articles/a/index.html', outDir)]],
    ['/404', [new URL('404.html', outDir)]],
    ['/sitemap.xml', [new URL('sitemap.xml', outDir)]],
    ['/rss.xml', [new URL('rss.xml', outDir)]],
    ['/robots.txt', [new URL('robots.txt', outDir)]],
  ]);

  it('lists every page written as site paths', () => {
    expect(writtenPages(outDir, written)).toEqual([
      '/',
      '/404.html',
      '/articles/a/',
      '/articles/b/',
      '/robots.txt',
      '/rss.xml',
      '/sitemap.xml',
    ]);
  });

  it('replaces an older report when a build starts, and only for astro build', () => {
    const file = path.join(tempDir(), 'report.json');
    writeBuildReport(file, { ok: true, content, pages: ['/'] });
    hook(file, 'astro:config:setup', { command: 'sync' });
    expect(readJson(file).ok).toBe(true);
    hook(file, 'astro:config:setup', { command: 'build' });
    expect(readJson(file)).toEqual({ ok: false, error: STARTED });
  });

  it('reports success with the loader’s figures and the pages once the build is done', () => {
    const file = path.join(tempDir(), 'report.json');
    hook(file, 'astro:config:setup', { command: 'build' });
    writeBuildReport(file, { ok: false, content, error: CONTENT_FETCHED }); // what the content loader writes
    hook(file, 'astro:build:done', { dir: outDir, assets: written, pages: [] });
    const report = BuildReportSchema.parse(readJson(file));
    expect(report).toEqual({ ok: true, content, pages: writtenPages(outDir, written) });
  });

  it('fails the build, and says so in the report, when the loader left no figures', () => {
    const file = path.join(tempDir(), 'report.json');
    hook(file, 'astro:config:setup', { command: 'build' });
    expect(() => hook(file, 'astro:build:done', { dir: outDir, assets: written, pages: [] })).toThrow(/no content figures/);
    expect(readJson(file)).toEqual({ ok: false, error: { kind: 'build', message: expect.stringContaining('no content figures') } });
  });

  it('writes nothing without SITE_BUILD_REPORT', () => {
    expect(() => hook(null, 'astro:config:setup', { command: 'build' })).not.toThrow();
    expect(() => hook(null, 'astro:build:done', { dir: outDir, assets: written, pages: [] })).not.toThrow();
  });
});

describe('the fresh content integration', () => {
  it('deletes the content store Astro kept from an earlier build, when a build starts', () => {
    const cacheDir = pathToFileURL(`${tempDir()}/`);
    const store = new URL('data-store.json', cacheDir);
    const start = (command: string) =>
      (freshContent().hooks['astro:config:setup'] as (params: unknown) => void)({ command, config: { cacheDir } });
    writeFileSync(store, '[["Map"]]');
    start('sync');
    expect(existsSync(store)).toBe(true);
    start('build');
    expect(existsSync(store)).toBe(false);
    expect(() => start('build')).not.toThrow();
  });
});
