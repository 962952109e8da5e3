// Where a built page's file is and what it uses, for the incremental update (./update-site.ts): the file name
// as Astro writes it (`build.format: 'directory'`, astro/dist/core/build/common.js getOutFile), the page as
// the build report lists it, and the `_astro/` files (scripts, images) the page refers to.
import path from 'node:path';

/** The file a path is written to, relative to the build: `/a/` → `a/index.html`, `/404` → `404.html`, `/x.xml` → `x.xml`. */
export function outputFile(pathname: string, route: { type: string }): string {
  const relative = pathname.replace(/^\/+/, '');
  if (route.type === 'endpoint') return relative;
  if (pathname === '/404' || pathname === '/500') return `${relative}.html`;
  return path.posix.join(relative, 'index.html');
}

/** A written file as the build report names its page (src/integrations/build-report.ts). */
export function sitePath(file: string): string {
  const page = `/${file}`;
  return page.endsWith('/index.html') ? page.slice(0, -'index.html'.length) : page;
}

const ASSET = /\/_astro\/[\w.-]+/g;

/** The `_astro/` files a page refers to (relative to the build, sorted); only HTML refers to them. */
export function assetsOf(file: string, body: Uint8Array): string[] {
  if (!file.endsWith('.html')) return [];
  const found = Buffer.from(body).toString('utf8').match(ASSET) ?? [];
  return [...new Set(found.map((asset) => asset.slice(1)))].sort();
}
