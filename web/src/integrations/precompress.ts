// Writes a Brotli (`.br`) and a gzip (`.gz`) copy beside every text file of the build over 1 KB, once every
// page is written, so Caddy (`file_server { precompressed br gzip }`, web/caddy/Caddyfile) and our static server
// (scripts/rebuild/static-server.ts) send compressed files without compressing per request. Runs before the
// rebuild service checks and activates the build, so a live build always has its compressed files.
//
// Most of a rebuild's files are byte for byte those of the build before (the scripts in _astro/, Pagefind's
// scripts, every page the change did not touch), so the compressed copies are kept in Astro's cache directory
// (SITE_CACHE_DIR), named by the SHA-256 of the original: a file seen before is copied, not compressed again
// (Brotli was ~5% of a seed build's CPU, docs/benchmarks.md). The copies are the same bytes either way. After
// each build the cache keeps only what that build used, so it never outgrows one build's compressed files.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { AstroIntegration } from 'astro';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Files worth compressing: text formats; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(html|css|js|mjs|json|xml|svg|txt|webmanifest)$/i;
const MIN_BYTES = 1024;

// Brotli's quality, measured on this site's pages (a 33 KB article, the 36 KB home page, the sitemap): 6 makes
// them within 0.5% of quality 9's size in a tenth of the time (1.4 ms against 15 ms a page); 11 is another 10%
// smaller for 40–60× the time. At 9, compression was half of a 1,000-article build (25 s of 54 s), and every
// millisecond delays a publish going live (docs/benchmarks.md). zlib runs on libuv's pool: a few files at once.
const BROTLI_QUALITY = 6;
const GZIP_LEVEL = zlib.constants.Z_BEST_COMPRESSION;
const CONCURRENCY = 4;

/** Where the compressed copies are kept, inside Astro's cache directory. */
const CACHE_SUBDIR = 'precompressed';

// Part of every cached copy's name: a copy made with other settings or another zlib/Brotli is never reused.
const CACHE_VERSION = createHash('sha256')
  .update(JSON.stringify([BROTLI_QUALITY, GZIP_LEVEL, process.versions.zlib, process.versions.brotli]))
  .digest('hex')
  .slice(0, 8);

type Compressed = { br: Buffer; gz: Buffer };

async function compressContent(content: Buffer): Promise<Compressed> {
  const [br, gz] = await Promise.all([
    brotli(content, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    }),
    gzip(content, { level: GZIP_LEVEL }),
  ]);
  return { br, gz };
}

/** Writes `file` whole or not at all: a copy cut short (a full disk, a killed build) never reaches the cache. */
async function writeAtomically(file: string, data: Buffer): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The compressed copies of one build's files, kept between builds in `dir`; null: no cache. */
class CompressedCache {
  /** The cached names this build used: every other one is removed when the build is done. */
  readonly used = new Set<string>();
  hits = 0;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** The cached copies of `content`, or null when they are not both there (another build may be pruning). */
  async get(name: string): Promise<Compressed | null> {
    this.used.add(name);
    try {
      const [br, gz] = await Promise.all([readFile(path.join(this.dir, `${name}.br`)), readFile(path.join(this.dir, `${name}.gz`))]);
      this.hits += 1;
      return { br, gz };
    } catch {
      return null;
    }
  }

  /** Keeps the copies; the cache is a speed-up only, so a failure to write it never fails the build. */
  async set(name: string, compressed: Compressed): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      await Promise.all([
        writeAtomically(path.join(this.dir, `${name}.br`), compressed.br),
        writeAtomically(path.join(this.dir, `${name}.gz`), compressed.gz),
      ]);
    } catch {
      // Compressing again next time is all it costs.
    }
  }

  /**
   * Removes every file this build did not use, half-written ones included; returns how many it removed. A build
   * running beside this one on the same cache may lose its copies or a write: it compresses again, no more.
   */
  async prune(): Promise<number> {
    const files = await readdir(this.dir).catch(() => [] as string[]);
    const stale = files.filter((file) => {
      const match = /^(.+)\.(br|gz)$/.exec(file);
      return !match || !this.used.has(match[1]!);
    });
    await Promise.all(stale.map((file) => rm(path.join(this.dir, file), { force: true })));
    return stale.length;
  }
}

function cacheName(content: Buffer): string {
  return `${CACHE_VERSION}-${createHash('sha256').update(content).digest('hex')}`;
}

async function compress(file: string, cache: CompressedCache | null): Promise<boolean> {
  const info = await stat(file);
  if (!info.isFile() || info.size < MIN_BYTES) return false;
  const content = await readFile(file);
  const name = cache ? cacheName(content) : '';
  let compressed = cache ? await cache.get(name) : null;
  if (!compressed) {
    compressed = await compressContent(content);
    await cache?.set(name, compressed);
  }
  // Replaced, never written into: an incremental build's directory shares the live build's files (hard links).
  await Promise.all([writeAtomically(`${file}.br`, compressed.br), writeAtomically(`${file}.gz`, compressed.gz)]);
  return true;
}

export type PrecompressResult = {
  /** Files that got their .br and .gz copies. */
  compressed: number;
  /** Of those, how many were copied from the cache instead of compressed. */
  fromCache: number;
};

/**
 * Writes `<file>.br` and `<file>.gz` for each compressible file under `dir`, reusing the copies kept in
 * `cacheDir` (null: compress everything, keep nothing).
 */
/** Compresses `files` (relative to `dir`) a few at a time; returns how many got copies. */
async function compressAll(dir: string, files: readonly string[], cache: CompressedCache | null): Promise<number> {
  let count = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < files.length) {
        const file = path.join(dir, files[next++]!);
        if (await compress(file, cache)) count += 1;
      }
    }),
  );
  return count;
}

/**
 * Writes `<file>.br` and `<file>.gz` for each compressible file under `dir`, reusing the copies kept in
 * `cacheDir` (null: compress everything, keep nothing).
 */
export async function precompressDir(dir: string, cacheDir: string | null): Promise<PrecompressResult> {
  const files = (await readdir(dir, { recursive: true, encoding: 'utf8' })).filter((file) => COMPRESSIBLE.test(file));
  const cache = cacheDir ? new CompressedCache(cacheDir) : null;
  const count = await compressAll(dir, files, cache);
  await cache?.prune();
  return { compressed: count, fromCache: cache?.hits ?? 0 };
}

/**
 * The same for some files of `dir` only (relative paths; the ones not worth compressing are skipped): an
 * incremental build's new files. The cache is read and fed but not pruned, since this is not a whole build.
 */
export async function precompressFiles(dir: string, files: readonly string[], cacheDir: string | null): Promise<PrecompressResult> {
  const cache = cacheDir ? new CompressedCache(cacheDir) : null;
  const count = await compressAll(
    dir,
    files.filter((file) => COMPRESSIBLE.test(file)),
    cache,
  );
  return { compressed: count, fromCache: cache?.hits ?? 0 };
}

export function precompress(): AstroIntegration {
  let cacheDir: string | null = null;
  return {
    name: 'agency:precompress',
    hooks: {
      'astro:config:done': ({ config }) => {
        cacheDir = fileURLToPath(new URL(`${CACHE_SUBDIR}/`, config.cacheDir));
      },
      'astro:build:done': async ({ dir, logger }) => {
        const { compressed, fromCache } = await precompressDir(fileURLToPath(dir), cacheDir);
        logger.info(`wrote .br and .gz beside ${compressed} files (${fromCache} unchanged since an earlier build, copied)`);
      },
    },
  };
}
