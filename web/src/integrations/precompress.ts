// Writes a Brotli (`.br`) and a gzip (`.gz`) copy beside every text file of the build over 1 KB, once every
// page is written, so Caddy (`file_server { precompressed br gzip }`, web/caddy/Caddyfile) and our static server
// (scripts/rebuild/static-server.ts) send compressed files without compressing per request. Runs before the
// rebuild service checks and activates the build, so a live build always has its compressed files.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
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

// Brotli's quality 11 is ~3× slower than 9 for ~10% smaller pages: too slow for a 1,000-article rebuild, where
// every second delays a publish going live (docs/benchmarks.md). zlib runs on libuv's pool: a few files at once.
const BROTLI_QUALITY = 9;
const CONCURRENCY = 4;

async function compress(file: string): Promise<boolean> {
  const info = await stat(file);
  if (!info.isFile() || info.size < MIN_BYTES) return false;
  const content = await readFile(file);
  const [br, gz] = await Promise.all([
    brotli(content, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    }),
    gzip(content, { level: zlib.constants.Z_BEST_COMPRESSION }),
  ]);
  await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
  return true;
}

/** Writes `<file>.br` and `<file>.gz` for each compressible file under `dir`; returns how many files it compressed. */
async function precompressDir(dir: string): Promise<number> {
  const files = (await readdir(dir, { recursive: true, encoding: 'utf8' })).filter((file) => COMPRESSIBLE.test(file));
  let count = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < files.length) {
        const file = path.join(dir, files[next++]!);
        if (await compress(file)) count += 1;
      }
    }),
  );
  return count;
}

export function precompress(): AstroIntegration {
  return {
    name: 'agency:precompress',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const count = await precompressDir(fileURLToPath(dir));
        logger.info(`wrote .br and .gz beside ${count} files`);
      },
    },
  };
}
