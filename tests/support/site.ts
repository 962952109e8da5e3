// Builds the real site into a fresh directory and serves it with the stack's own static server; hands out the
// rich site the reading suites share (built once per run by the fixture broker).
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeServer, listen } from '../../scripts/common/http.ts';
import { buildSite, type SiteBuild } from '../../scripts/rebuild/build-site.ts';
import { createStaticServer } from '../../scripts/rebuild/static-server.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { inject } from 'vitest';
import type { RichSite } from './site-fixtures.ts';

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

/**
 * Asks the fixture broker, with no deadline on its answer: the first file to ask for the rich site waits for a
 * CMS boot and a build, longer than fetch's 300 s for the headers on a loaded machine.
 */
function askBroker<T>(pathname: string, method: 'GET' | 'POST' = 'GET'): Promise<T> {
  const base = inject('fixtureBroker');
  if (!base) throw new Error('No fixture broker: this project has no globalSetup tests/support/global-setup.ts (vitest.config.ts).');
  return new Promise<T>((resolve, reject) => {
    const asked = request(`${base}${pathname}`, { method }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) reject(new Error(`The fixture broker could not make ${pathname}:\n${text}`));
        else resolve(JSON.parse(text) as T);
      });
    });
    asked.on('error', reject);
    asked.end();
  });
}

/**
 * The rich site the reading suites share (./rich-site.ts, ./site-fixtures.ts): built once per run by the first
 * file that asks. Read its output, never write to it; serve it with `serve(site.build.outDir)`.
 */
export const richSite = () => askBroker<RichSite>('/rich-site');

/** Stops the rich site's CMS for the rest of the run (the image tests' last step: the pages need no CMS). */
export const stopRichCms = () => askBroker<null>('/rich-site/stop-cms', 'POST');
