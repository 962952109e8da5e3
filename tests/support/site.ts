// Builds the real site into a fresh directory and serves it with the stack's own static server.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { buildSite, type SiteBuild } from '../../scripts/rebuild/build-site.ts';
import { createStaticServer } from '../../scripts/rebuild/static-server.ts';
import { freePort } from '../../scripts/stack/ports.ts';

export async function buildFrom(cmsUrl: string, env: NodeJS.ProcessEnv = {}): Promise<SiteBuild> {
  const outDir = path.join(mkdtempSync(path.join(tmpdir(), 'agency-site-')), 'dist');
  return buildSite({ cmsUrl, outDir, env: { CMS_TOKEN: '', ...env } });
}

/** Every HTML file a build wrote, relative to its output directory. */
export function htmlFiles(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.html'))
    .sort();
}

/** Serves `outDir` on `port` (default: a free one; pass one when the CMS must know the site's origin first). */
export async function serve(outDir: string, port?: number): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createStaticServer(() => outDir);
  port ??= await freePort();
  await listen(server, port);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => closeServer(server),
  };
}
