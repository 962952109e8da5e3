// `npm run bench:serve`: how fast the article is served by the production front door (Debian's `caddy` with
// web/caddy/Caddyfile, HTTPS with `tls internal`) and by our own static server (scripts/rebuild/static-server.ts,
// plain HTTP, what `npm start` and serve-site use), side by side. It builds the seed site once from a throwaway
// CMS into a site store (the CMS is stopped before measuring), then sends --requests GETs for the article over
// --connections keep-alive connections to each server, as a browser asks (Accept-Encoding: br, gzip), after a
// short warm-up, and prints requests/s, median and p99 latency. Figures are reported, never asserted: it exits
// non-zero only when a request fails or answers anything but 200 with the precompressed body.
// Flags: --smoke (CI: 1,000 requests over 8 connections), --requests N (20,000), --connections M (32),
// --json FILE (the figures as JSON, for CI artifacts).
import http from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';
import {
  fail,
  freshCmsEnv,
  median,
  renderTable,
  requireCmsBuild,
  runBench,
  say,
  seconds,
  tempDir,
  thousands,
  track,
  writeFigures,
} from './bench-kit.ts';
import { httpsGet, startCaddy } from './caddy.ts';
import { closeServer, listen } from '../common/http.ts';
import { buildSite } from '../rebuild/build-site.ts';
import { SiteStore } from '../rebuild/site-store.ts';
import { createStaticServer } from '../rebuild/static-server.ts';
import { startCms } from '../stack/cms-runner.ts';
import { freePort } from '../stack/ports.ts';

const ARTICLE = '/articles/sales-vs-marketing/';
const HOST = 'site.bench';

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    requests: { type: 'string' },
    connections: { type: 'string' },
    json: { type: 'string' },
  },
});
const requests = Number(flags.requests ?? (flags.smoke ? 1_000 : 20_000));
const connections = Number(flags.connections ?? (flags.smoke ? 8 : 32));
if (!(Number.isInteger(requests) && requests > 0 && Number.isInteger(connections) && connections > 0)) {
  fail('--requests and --connections take positive whole numbers.');
}

type Figures = { server: string; requests: number; connections: number; perSecond: number; medianMs: number; p99Ms: number };

/** `count` requests over `connections` concurrent loops; each request's latency in ms, and the wall time. */
async function load(get: () => Promise<void>, count: number): Promise<{ latencies: number[]; ms: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(connections, count) }, async () => {
      while (next < count) {
        next += 1;
        const sent = performance.now();
        await get();
        latencies.push(performance.now() - sent);
      }
    }),
  );
  return { latencies, ms: performance.now() - started };
}

async function measure(server: string, get: () => Promise<void>): Promise<Figures> {
  await load(get, Math.min(500, requests)); // warm-up: connections open, files in the page cache
  const { latencies, ms } = await load(get, requests);
  const sorted = latencies.sort((a, b) => a - b);
  const figures = {
    server,
    requests,
    connections,
    perSecond: Math.round((requests / ms) * 1000),
    medianMs: Number(median(sorted).toFixed(2)),
    p99Ms: Number(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!.toFixed(2)),
  };
  say(`${server}: ${thousands(figures.perSecond)} requests/s\n`);
  return figures;
}

/** Throws unless the answer is the article, compressed with Brotli from the build's .br file. */
function check(status: number, encoding: string | string[] | undefined): void {
  if (status !== 200 || encoding !== 'br') throw new Error(`expected 200 with content-encoding br, got ${status} ${String(encoding)}`);
}

await runBench(async () => {
  requireCmsBuild();
  const dir = tempDir('agency-bench-serve-');
  const env = freshCmsEnv(dir, { REBUILD_URL: '', CMS_TOKEN: '' });
  const cmsPort = await freePort();
  say('Booting a throwaway CMS… ');
  const cms = await startCms({ port: cmsPort, env });
  track(() => cms.stop());
  const store = new SiteStore(`${dir}/site`);
  const buildDir = store.newBuildDir('bench');
  const build = await buildSite({
    cmsUrl: `http://127.0.0.1:${cmsPort}`,
    outDir: buildDir,
    env: { CMS_TOKEN: '', SITE_URL: `https://${HOST}` },
  });
  if (!build.ok) fail(`The site build failed:\n${build.output}`);
  await store.activate(buildDir);
  await cms.stop();
  say(`site built in ${seconds(build.durationMs)}.\n`);

  const caddy = await startCaddy({
    hosts: { site: HOST, cms: 'cms.bench', preview: 'preview.bench' },
    siteRoot: store.current,
    cmsUpstream: '127.0.0.1:9',
    previewUpstream: '127.0.0.1:9',
  });
  track(() => caddy.stop());
  const tlsAgent = new https.Agent({ keepAlive: true, maxSockets: connections, rejectUnauthorized: false });
  track(async () => tlsAgent.destroy());

  const ours = createStaticServer(() => store.liveDir());
  const oursPort = await freePort();
  await listen(ours, oursPort);
  track(() => closeServer(ours));
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  track(async () => agent.destroy());

  const headers = { 'accept-encoding': 'br, gzip' };
  const viaCaddy = async () => {
    const response = await httpsGet({ agent: tlsAgent, port: caddy.httpsPort, host: HOST, path: ARTICLE, headers });
    check(response.status, response.headers['content-encoding']);
  };
  const viaOurs = () =>
    new Promise<void>((resolve, reject) =>
      http
        .get({ agent, host: '127.0.0.1', port: oursPort, path: ARTICLE, headers }, (response) => {
          response.resume();
          response.on('end', () => {
            try {
              check(response.statusCode ?? 0, response.headers['content-encoding']);
              resolve();
            } catch (error) {
              reject(error);
            }
          });
          response.on('error', reject);
        })
        .on('error', reject),
    );

  say(`GET ${ARTICLE} ×${thousands(requests)} over ${connections} keep-alive connections (Accept-Encoding: br, gzip)…\n`);
  const results = [await measure('Caddy (HTTPS, tls internal)', viaCaddy), await measure('our static server (HTTP)', viaOurs)];
  console.log(
    `\n${renderTable(
      ['Server', 'Requests/s', 'Median', 'p99'],
      results.map((r) => [r.server, thousands(r.perSecond), `${r.medianMs} ms`, `${r.p99Ms} ms`]),
    )}\n`,
  );
  writeFigures(flags.json, { article: ARTICLE, results });
});
