// Hands the stored originals (src/images/source-cache.ts) to astro:assets under one fixed, made-up origin,
// for the length of one build. Why: astro:assets encodes a remote image from its URL and keeps every variant
// in its cache (cacheDir/assets) under a hash of that URL and the options; a URL that is the same on every
// build and named by the bytes' SHA-256 makes that cache content-addressed, and `immutable` tells Astro its
// entries never need revalidating. A local HTTP server would put its port, new on every build, in the URL and
// defeat the cache; so the build's fetch answers this origin from the store instead (`.invalid` never
// resolves: nothing outside a build can reach it). Astro asks for an original only when one of its variants is
// missing from its cache, so the requests counted here are exactly the originals this build encoded.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The made-up origin astro:assets loads originals from (allowed in its remotePatterns by src/integrations/images.ts). */
export const SOURCE_HOST = 'cms-image-source.invalid';
export const SOURCE_ORIGIN = `http://${SOURCE_HOST}`;

const NAME = /^\/([0-9a-f]{64})\.(jpg|png|webp|avif|gif|tiff)$/;
const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
};

/** Until the returned function is called, fetch() answers SOURCE_ORIGIN from `<dir>/sources/`; `onFetch` hears each key. */
export function answerSourceOrigin(dir: string, onFetch: (key: string) => void): () => void {
  const original = globalThis.fetch;
  const sourceFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== SOURCE_ORIGIN) return original(input, init);
    const match = NAME.exec(url.pathname);
    if (!match) return new Response(null, { status: 404 });
    const [, key, ext] = match as unknown as [string, string, string];
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, 'sources', `${key}.${ext}`));
    } catch {
      return new Response(null, { status: 404 });
    }
    onFetch(key);
    return new Response(new Uint8Array(bytes), {
      status: 200,
      headers: { 'content-type': TYPES[ext]!, 'cache-control': 'public, max-age=31536000, immutable' },
    });
  };
  globalThis.fetch = sourceFetch;
  return () => {
    if (globalThis.fetch === sourceFetch) globalThis.fetch = original;
  };
}
