// A test file's side of the production pair (./production-pair.ts): its replicas as TestCms objects (the first is
// `cms`), its settings and limits, the output of both processes, a replica's stop and start (through the broker,
// which counts the boot), and fresh client addresses. Only a file with the line `// @test-lane: pair` may use it:
// the pair's files take turns, so each has the pair, its mail server port and its bucket port to itself.
import { TestCms } from './cms.ts';
import { pairAdminToken, pairReplica, productionPair } from './fixtures.ts';
import { PAIR_BUCKET, PAIR_LIMITS, PAIR_OTHER_SITE, PAIR_SITE, type ProductionPairInfo } from './production-pair.ts';

export { PAIR_BUCKET, PAIR_LIMITS, PAIR_OTHER_SITE, PAIR_SITE };

export type Pair = {
  info: ProductionPairInfo;
  /** The first replica: where a test that needs one CMS sends its requests. */
  cms: TestCms;
  /** Every replica (one on SQLite, two on Postgres). */
  replicas: TestCms[];
  limits: ProductionPairInfo['limits'];
  /**
   * A bookmark in both replicas' output (their logs, across restarts, hold every pair file's lines): a function
   * giving what they printed after it. A worker's log line comes from whichever replica sent.
   */
  outputSince: () => () => string[];
  /** Stops replica `index`; `start` starts it again (a boot). */
  stop: (index: number) => Promise<void>;
  start: (index: number) => Promise<void>;
};

export async function usePair(): Promise<Pair> {
  const info = await productionPair();
  const jwt = await pairAdminToken();
  const replicas = info.replicas.map((replica) => TestCms.attached(info.kind, { ...replica, env: info.env }, jwt));
  return {
    info,
    cms: replicas[0]!,
    replicas,
    limits: info.limits,
    outputSince: () => {
      const marks = replicas.map((replica) => replica.output.length);
      return () => replicas.flatMap((replica, index) => replica.output.slice(marks[index]));
    },
    stop: async (index) => void (await pairReplica(index, 'stop')),
    start: async (index) => void (await pairReplica(index, 'start')),
  };
}

// 100.64.0.0/10 (shared address space: 4,194,304 addresses): no other test names it. The pair keeps its rate-limit
// counts for a minute across files (in Postgres), so each file starts where the clock is (in milliseconds): the pair's
// files run one after another, seconds apart, and each names a few dozen clients.
let clients = Date.now() % 4_000_000;

/** A client address no other request of the run has named (for X-Forwarded-For): a rate-limit budget of its own. */
export function freshClient(): string {
  clients = (clients + 1) % 4_194_304;
  return `100.${64 + Math.floor(clients / 65_536)}.${Math.floor(clients / 256) % 256}.${clients % 256}`;
}

/**
 * Every consultation request stored on the pair, oldest first, as the admin lists them: all pages (the pair's
 * files add a few hundred between them; one page holds 100).
 */
export async function storedRequests<T>(cms: TestCms): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; ; page++) {
    const list = await cms.admin('GET', `${REQUESTS}?page=${page}&pageSize=100&sort=id:ASC`);
    all.push(...(list.results as T[]));
    if (page >= (list.pagination as { pageCount: number }).pageCount) return all;
  }
}

const REQUESTS = '/content-manager/collection-types/api::consultation-request.consultation-request';
