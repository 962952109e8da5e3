// Runs Debian's `caddy` (apt-get install caddy; .ci/run installs it) with the repository's production Caddyfile
// (web/caddy/Caddyfile) on local ports, with `tls internal` and its state in a temporary directory: what
// `npm run bench:serve` and tests/e2e/front-door.suite.ts (in start.test.ts) measure and check. The public hosts are names of
// the caller's choosing that resolve nowhere: requests go to 127.0.0.1 with the host as SNI and Host header.
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChild } from '../common/children.ts';
import { WEB_DIR } from '../common/paths.ts';
import { sleep } from '../common/sleep.ts';
import { freePort } from '../stack/ports.ts';

const CADDYFILE = path.join(WEB_DIR, 'caddy', 'Caddyfile');

type CaddyHosts = { site: string; cms: string; preview: string };

export type RunningCaddy = {
  httpPort: number;
  httpsPort: number;
  /** A keep-alive agent for HTTPS to this Caddy (its internal CA is not trusted, so certificates are not checked). */
  agent: https.Agent;
  stop: () => Promise<void>;
};

/** Starts Caddy serving `siteRoot` for `hosts.site` and proxying the CMS and preview hosts to the given upstreams. */
export async function startCaddy(options: {
  hosts: CaddyHosts;
  siteRoot: string;
  cmsUpstream: string;
  previewUpstream: string;
  /** Chosen beforehand when the CMS or the build must know the public addresses first (caddyPorts()). */
  ports?: { http: number; https: number };
  /** Who may reach the CMS's admin (the Caddyfile's ADMIN_ALLOW: CIDRs, space-separated); unset: everyone. */
  adminAllow?: string;
}): Promise<RunningCaddy> {
  const state = mkdtempSync(path.join(tmpdir(), 'agency-caddy-'));
  const { http: httpPort, https: httpsPort } = options.ports ?? (await caddyPorts());
  const adminPort = await freePort();
  const origin = (host: string) => `https://${host}:${httpsPort}`;
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: state,
    XDG_DATA_HOME: path.join(state, 'data'),
    XDG_CONFIG_HOME: path.join(state, 'config'),
    SITE_URL: origin(options.hosts.site),
    CMS_PUBLIC_URL: origin(options.hosts.cms),
    PREVIEW_PUBLIC_URL: origin(options.hosts.preview),
    TLS_MODE: 'internal',
    SITE_ROOT: options.siteRoot,
    CMS_UPSTREAM: options.cmsUpstream,
    PREVIEW_UPSTREAM: options.previewUpstream,
    CADDY_HTTP_PORT: String(httpPort),
    CADDY_HTTPS_PORT: String(httpsPort),
    CADDY_ADMIN: `127.0.0.1:${adminPort}`,
    ...(options.adminAllow === undefined ? {} : { ADMIN_ALLOW: options.adminAllow }),
  };
  const child = startChild('caddy', 'caddy', ['run', '--config', CADDYFILE, '--adapter', 'caddyfile'], { env });
  const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
  const stop = async () => {
    agent.destroy();
    await child.stop();
    rmSync(state, { recursive: true, force: true });
  };
  // Ready once it answers HTTPS for the site (its internal certificate is issued at startup).
  const deadline = Date.now() + 30_000;
  for (;;) {
    const exited = await Promise.race([child.exited.then(() => true), sleep(200).then(() => false)]);
    if (exited) {
      await stop();
      throw new Error(`caddy exited while starting:\n${child.tail()}`);
    }
    try {
      await httpsGet({ agent, port: httpsPort, host: options.hosts.site, path: '/' });
      return { httpPort, httpsPort, agent, stop };
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`caddy did not answer on https://127.0.0.1:${httpsPort}/ within 30 s (${String(error)}):\n${child.tail()}`, {
          cause: error,
        });
      }
    }
  }
}

/** Free ports for Caddy's HTTP and HTTPS listeners; the public addresses are then https://<host>:<https>. */
export async function caddyPorts(): Promise<{ http: number; https: number }> {
  return { http: await freePort(), https: await freePort() };
}

export type Fetched = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/**
 * One HTTPS request to 127.0.0.1:`port` for `host` (SNI and Host header), with the body read in full: the public
 * address is reached through the front door's published port, whatever DNS says. `hostHeader` defaults to
 * `host:port`.
 */
export function httpsRequest(options: {
  agent: https.Agent;
  port: number;
  host: string;
  path: string;
  hostHeader?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  timeoutMs?: number;
}): Promise<Fetched> {
  const method = options.method ?? 'GET';
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        agent: options.agent,
        host: '127.0.0.1',
        port: options.port,
        servername: options.host,
        method,
        path: options.path,
        headers: { host: options.hostHeader ?? `${options.host}:${options.port}`, ...options.headers },
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} https://${options.host}${options.path} timed out`)));
    request.on('error', reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

/** One HTTPS GET to 127.0.0.1:`port` for `host` (httpsRequest). */
export const httpsGet = (options: { agent: https.Agent; port: number; host: string; path: string; headers?: Record<string, string> }) =>
  httpsRequest(options);
