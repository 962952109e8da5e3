// A test file's side of the run's shared fixtures (./fixture-broker.ts): ask for a CMS template or the shared
// CMS or the production pair, and read or steer a shared CMS's webhook calls. The first file to ask pays for the
// boot; the rest reuse it.
import { inject } from 'vitest';
import { sleep } from '../../scripts/common/sleep.ts';
import type { DatabaseKind } from './databases.ts';
import { isOwnLane, outsideProjectLane } from './test-lane.ts';
import type { CmsTemplate, RecordedHook, SharedCms } from './fixture-broker.ts';
import type { ProductionPairInfo } from './production-pair.ts';

/** The running file, when its lane is not its project's (./test-lane.ts): set by ./test-file-env.ts. */
let outsideFile: string | null = null;
/** The running file and its lane (./test-lane.ts), once it holds it. */
let current: { file: string; lane: string } | null = null;

/** What the files of a project share: a file in a lane of its own (./test-lane.ts) may not use it. (The pair's hooks are the pair lane's.) */
const PROJECT_SHARED = /^\/(shared-cms\/|hooks\/(?!pair-)|rich-site\/)/;
/** The production pair's lane: its files use it one at a time. */
const PAIR_LANE = 'pair';

async function broker<T>(pathname: string, body?: unknown): Promise<T> {
  if (outsideFile && PROJECT_SHARED.test(pathname))
    throw new Error(
      `${outsideFile} has a "// @test-lane:" line (it runs beside other files of its project) but asks for ${pathname}, which ` +
        "its project's files share one at a time: remove that line, or boot your own (tests/support/test-lane.ts).",
    );
  if (/^\/(pair\b|hooks\/pair-)/.test(pathname) && current?.lane !== `lane:${PAIR_LANE}`)
    throw new Error(
      `${current?.file ?? 'This file'} asks for the production pair (${pathname}) but does not hold its lane: its files take turns ` +
        `through it. Add a line \`// @test-lane: ${PAIR_LANE}\` to the file (tests/support/test-lane.ts).`,
    );
  const base = inject('fixtureBroker');
  if (!base) throw new Error('No fixture broker: this project has no globalSetup tests/support/global-setup.ts (vitest.config.ts).');
  const response = await fetch(`${base}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`The fixture broker could not make ${pathname}:\n${text}`);
  return JSON.parse(text) as T;
}

/** Whether this file runs under the broker (vitest.config.ts's integration and e2e projects). */
export function brokerAvailable(): boolean {
  try {
    return Boolean(inject('fixtureBroker'));
  } catch {
    return false;
  }
}

export const cmsTemplate = (kind: DatabaseKind) => broker<CmsTemplate>(`/template/${kind}`);

/** The CMS the files of this project share on `kind`: never stop it, never depend on content other files may add. */
export const sharedCms = (kind: DatabaseKind) => broker<SharedCms>(`/shared-cms/${inject('fixtureScope')}/${kind}`);

/** The admin JWT every file shares for the shared CMS on `kind` (one login: Strapi rate-limits them). */
export const sharedAdminToken = async (kind: DatabaseKind) =>
  (await broker<{ jwt: string }>(`/shared-cms/${inject('fixtureScope')}/${kind}/admin-token`)).jwt;

/** The production pair (./production-pair.ts): two CMS processes on one database (one on SQLite), booted once. */
export const productionPair = () => broker<ProductionPairInfo>('/pair');

/** The admin JWT every file of the pair shares (one login: Strapi rate-limits them). */
export const pairAdminToken = async () => (await broker<{ jwt: string }>('/pair/admin-token')).jwt;

/** Stops or starts one replica of the pair (a start is a boot); a replica left stopped is started when a file next asks. */
export const pairReplica = (index: number, action: 'stop' | 'start') => broker<ProductionPairInfo>(`/pair/replica/${index}/${action}`, {});

/** A shared CMS's webhook channel (see SharedCms.hooks). */
export function hookChannel(cms: Pick<SharedCms, 'hooks'>) {
  const at = cms.hooks.slice(inject('fixtureBroker').length);
  return {
    /** Every call the CMS made since the run began (or the last clear). */
    calls: () => broker<RecordedHook[]>(`${at}/calls`),
    /** The calls once `match` finds one (Strapi sends its webhooks after the request that caused them has ended). */
    async waitFor(match: (call: RecordedHook) => boolean, timeoutMs = 15_000): Promise<RecordedHook[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const calls = await broker<RecordedHook[]>(`${at}/calls`);
        if (calls.some(match)) return calls;
        if (Date.now() > deadline)
          throw new Error(`No such webhook call within ${timeoutMs} ms; the calls were:\n${JSON.stringify(calls, null, 1)}`);
        await sleep(100);
      }
    },
    clear: () => broker<null>(`${at}/clear`, {}),
    /** Where the CMS's calls are forwarded (a rebuild service's /hooks/strapi), or null for nowhere. */
    forwardTo: (url: string | null) => broker<null>(`${at}/forward`, { url }),
  };
}

/**
 * Takes `lane` for `file` (./lanes.ts): resolves once no other file holds it, with how long that took in
 * milliseconds. A lane of the file's own is never contended and is not asked for. Outside its project's lane, a
 * file may not use what its project's files share (checked in `broker`).
 */
export async function acquireLane(lane: string, file: string): Promise<number> {
  outsideFile = outsideProjectLane(lane) ? file : null;
  current = { file, lane };
  if (isOwnLane(lane)) return 0;
  const { waitedMs } = await broker<{ waitedMs: number }>(`/lane/${encodeURIComponent(lane)}/acquire`, { file, pid: process.pid });
  return waitedMs;
}

/** Gives `lane` back. */
export async function releaseLane(lane: string, file: string): Promise<void> {
  if (!isOwnLane(lane)) await broker<null>(`/lane/${encodeURIComponent(lane)}/release`, { file, pid: process.pid });
}
