// What the live build was made from, so that a start can tell whether building again would change anything
// (npm start reuses the live build when nothing did: scripts/stack/start.ts). Two fingerprints:
//   - the code: every file the site build reads from the checkout (web/, shared/dist, the lockfile) and the
//     settings it reads, taken when the stack starts (a change while it runs makes the next start build);
//   - the content: the CMS's answers to the very queries the build sends (shared/src/queries.ts), so whatever
//     the site shows is in it (an entry deleted, unpublished, edited or new, the globals, the CTA, an author, a
//     replaced image's URL) and nothing else is (drafts, consultation requests). It is taken before each build
//     fetches: content that changes during the build makes the next start's fingerprint differ, never match.
// npm start's rebuild service writes both once a build is live (LIVE_RECORD in the site store's folder:
// scripts/rebuild/publishers.ts asks for the content's before each build and says when it is live).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ARTICLES_PAGE_QUERY, PAGE_SIZE, SITE_CONTENT_QUERY } from '@agency/shared';
import { ROOT, SHARED_DIR, WEB_DIR } from '../common/paths.ts';
import { hashInputs } from './cached-build.ts';

/** The file in the site store's folder (SITE_DIR) that says what the live build was made from. */
const LIVE_RECORD = 'live-build.json';

export type LiveRecord = {
  /** The build directory's name (builds/<id>): a record of another build says nothing about the live one. */
  build: string;
  code: string;
  content: string;
  /** When the build went live (ISO). */
  liveAt: string;
};

/**
 * The site build's settings that change what it makes (web/src/settings.ts siteBuildSettings, without where it
 * writes, its cache and its report: tests/unit/build-fingerprint.test.ts holds the two lists together), and
 * NODE_ENV, which Vite reads.
 */
export const OUTPUT_SETTINGS = [
  'CMS_URL',
  'CMS_TOKEN',
  'CMS_TIMEOUT_MS',
  'PUBLIC_CMS_URL',
  'SITE_URL',
  'IMAGE_HOSTS',
  'IMAGE_TIMEOUT_MS',
  'IMAGE_MAX_BYTES',
  'NODE_ENV',
];

/** The site build's code and settings: its input files and the values of the settings it reads (with NODE_ENV). */
export function codeFingerprint(env: NodeJS.ProcessEnv): string {
  const files = hashInputs([
    path.join(WEB_DIR, 'src'),
    path.join(WEB_DIR, 'public'),
    path.join(WEB_DIR, 'astro.config.mjs'),
    path.join(WEB_DIR, 'package.json'),
    path.join(SHARED_DIR, 'dist'),
    path.join(ROOT, 'package-lock.json'),
  ]);
  const settings = OUTPUT_SETTINGS.map((name) => [name, env[name] ?? null]);
  return createHash('sha256').update(files).update(JSON.stringify(settings)).digest('hex');
}

/** One GraphQL request as the build sends it (with CMS_TOKEN when set); throws with the CMS's answer when it fails. */
async function query(cmsUrl: string, token: string | undefined, text: string, variables: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`${cmsUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: text, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json().catch(() => null)) as { data?: unknown; errors?: Array<{ message?: string }> } | null;
  if (!response.ok || !body?.data || body.errors?.length)
    throw new Error(
      `The CMS at ${cmsUrl} did not answer the site's content query (HTTP ${response.status}: ${body?.errors?.map((e) => e.message).join('; ') ?? 'no data'}).`,
    );
  return body.data;
}

/**
 * The content the site is built from, as a hash of the CMS's answers to the build's own queries: the first page
 * with the globals, the CTA, authors and topics, then every further page of articles.
 */
export async function contentFingerprint(cmsUrl: string, token?: string): Promise<string> {
  const hash = createHash('sha256');
  const first = (await query(cmsUrl, token, SITE_CONTENT_QUERY, { pageSize: PAGE_SIZE })) as {
    articles_connection?: { pageInfo?: { pageCount?: number } };
  };
  hash.update(JSON.stringify(first));
  const pageCount = first.articles_connection?.pageInfo?.pageCount ?? 1;
  for (let page = 2; page <= pageCount; page++)
    hash.update(JSON.stringify(await query(cmsUrl, token, ARTICLES_PAGE_QUERY, { page, pageSize: PAGE_SIZE })));
  return hash.digest('hex');
}

/** The record of what the live build was made from, or null when there is none (or it cannot be read). */
export function readLiveRecord(siteDir: string): LiveRecord | null {
  const file = path.join(siteDir, LIVE_RECORD);
  if (!existsSync(file)) return null;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<LiveRecord>;
    const fields = [record.build, record.code, record.content, record.liveAt];
    return fields.every((field) => typeof field === 'string') ? (record as LiveRecord) : null;
  } catch {
    return null;
  }
}

/** Records that the build in `buildDir` is live, made by `code` from `content`; atomically (never half a file). */
export function recordLiveBuild(siteDir: string, buildDir: string, fingerprints: { code: string; content: string }): void {
  const record: LiveRecord = { build: path.basename(buildDir), ...fingerprints, liveAt: new Date().toISOString() };
  const file = path.join(siteDir, LIVE_RECORD);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, file);
}

export type Reuse = { reuse: true; liveAt: string } | { reuse: false; why: string };

/**
 * Whether the live build can serve as it is: it is the one the record describes, made by this code, from this
 * content. Anything unknown (no live build, no record, a record of another build) means build.
 */
export function reuseDecision(live: string | null, record: LiveRecord | null, now: { code: string; content: string }): Reuse {
  if (!live) return { reuse: false, why: 'no live build' };
  if (!record) return { reuse: false, why: 'no record of what the live build was made from' };
  if (record.build !== path.basename(live)) return { reuse: false, why: 'the record is of another build' };
  if (record.code !== now.code) return { reuse: false, why: 'the site’s code or build settings changed' };
  if (record.content !== now.content) return { reuse: false, why: 'the CMS’s content changed' };
  return { reuse: true, liveAt: record.liveAt };
}
