// The build's precompressed copies (web/src/integrations/precompress.ts): every text file over 1 KB gets a
// .br and a .gz that decompress to it, whether they were compressed now or copied from the cache of an earlier
// build; the cache holds only what the last build used, and a damaged or missing cache never changes the output.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../web/src/integrations/precompress.ts';

const root = mkdtempSync(path.join(tmpdir(), 'agency-precompress-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let builds = 0;

/** A build's output directory with these files (site path → text). */
function site(files: Record<string, string>): string {
  const dir = path.join(root, `build-${++builds}`);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function page(title: string): string {
  return `<!doctype html><title>${title}</title>${'<p>Branding, positioning and the words around them.</p>'.repeat(40)}`;
}

/** Every .br and .gz under `dir` decompresses to the file beside it; returns the files that have them. */
function verifiedCopies(dir: string): string[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  const compressed = files.filter((file) => file.endsWith('.br')).map((file) => file.slice(0, -3));
  for (const file of compressed) {
    const original = readFileSync(path.join(dir, file));
    expect(brotliDecompressSync(readFileSync(path.join(dir, `${file}.br`))).equals(original), `${file}.br`).toBe(true);
    expect(gunzipSync(readFileSync(path.join(dir, `${file}.gz`))).equals(original), `${file}.gz`).toBe(true);
  }
  expect(files.filter((file) => file.endsWith('.gz')).length).toBe(compressed.length);
  return compressed.sort();
}

describe('precompressed copies', () => {
  const script = `export const x = ${JSON.stringify('a'.repeat(3000))};`;

  it('are written beside every text file over 1 KB, and nothing else, with or without a cache', async () => {
    const files = {
      'index.html': page('Home'),
      'articles/one/index.html': page('One'),
      '_astro/client.js': script,
      'small.html': '<p>under a kilobyte</p>',
      'cover.webp': 'x'.repeat(5000),
    };
    const withoutCache = site(files);
    expect(await precompressDir(withoutCache, null)).toEqual({ compressed: 3, fromCache: 0 });
    const expected = ['_astro/client.js', 'articles/one/index.html', 'index.html'].map((file) => path.normalize(file));
    expect(verifiedCopies(withoutCache)).toEqual(expected);

    const cached = site(files);
    expect(await precompressDir(cached, path.join(root, 'cache-a'))).toEqual({ compressed: 3, fromCache: 0 });
    expect(verifiedCopies(cached)).toEqual(expected);
    // The same bytes as compressing without the cache.
    for (const file of expected) {
      expect(readFileSync(path.join(cached, `${file}.br`)).equals(readFileSync(path.join(withoutCache, `${file}.br`)))).toBe(true);
    }
  });

  it('are copied from the cache for files unchanged since the last build, and the cache keeps only what that build used', async () => {
    const cache = path.join(root, 'cache-b');
    const first = site({ 'index.html': page('Home'), 'articles/one/index.html': page('One'), '_astro/client.js': script });
    expect(await precompressDir(first, cache)).toEqual({ compressed: 3, fromCache: 0 });
    expect(readdirSync(cache)).toHaveLength(6);

    // A publish: the home page changes, article one is gone, article two is new, the script is the same.
    const second = site({ 'index.html': page('Home, again'), 'articles/two/index.html': page('Two'), '_astro/client.js': script });
    expect(await precompressDir(second, cache)).toEqual({ compressed: 3, fromCache: 1 });
    verifiedCopies(second);
    expect(readdirSync(cache)).toHaveLength(6);

    // Nothing changed: everything comes from the cache, and is still right.
    const third = site({ 'index.html': page('Home, again'), 'articles/two/index.html': page('Two'), '_astro/client.js': script });
    expect(await precompressDir(third, cache)).toEqual({ compressed: 3, fromCache: 3 });
    verifiedCopies(third);
  });

  it('are compressed again when the cache lost a copy, and half-written leftovers are cleared', async () => {
    const cache = path.join(root, 'cache-c');
    const files = { 'index.html': page('Home'), '_astro/client.js': script };
    await precompressDir(site(files), cache);
    const [lost] = readdirSync(cache).filter((file) => file.endsWith('.gz'));
    rmSync(path.join(cache, lost!));
    writeFileSync(path.join(cache, 'left-over.br.1234.tmp'), 'cut short');

    const again = site(files);
    expect(await precompressDir(again, cache)).toEqual({ compressed: 2, fromCache: 1 });
    verifiedCopies(again);
    expect(readdirSync(cache).sort()).toHaveLength(4);
    expect(readdirSync(cache).some((file) => file.endsWith('.tmp'))).toBe(false);
  });
});
