// `npm run lint` runs this: it fails when a production dependency, as package-lock.json installs it (every copy,
// nested ones included) or as node_modules holds it, is older than the minimum docs/security.md lists for it.
// No audit service is reachable here, so the list is kept by hand from published advisories; its table in
// docs/security.md ("Dependencies") is the one place it lives, each minimum with the reason for it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../common/paths.ts';

export type Minimum = { name: string; version: string; why: string };
type LockPackage = { version?: string; dev?: boolean; devOptional?: boolean; link?: boolean };
export type Lockfile = { packages?: Record<string, LockPackage> };

const SECURITY_DOC = path.join(ROOT, 'docs', 'security.md');
const HEADING = '## Dependencies';

/** The minimums table under "## Dependencies" in docs/security.md: `name` | `x.y.z` | why. */
export function parseMinimums(markdown: string): Minimum[] {
  const start = markdown.split('\n').findIndex((line) => line.trim() === HEADING);
  if (start < 0) throw new Error(`docs/security.md has no "${HEADING}" section: the dependency minimums live there.`);
  const minimums: Minimum[] = [];
  for (const line of markdown.split('\n').slice(start + 1)) {
    if (line.startsWith('## ')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const name = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1];
    const version = /^`(\d+\.\d+\.\d+)`$/.exec(cells[1] ?? '')?.[1];
    if (name && version) minimums.push({ name, version, why: cells[2] ?? '' });
  }
  if (minimums.length === 0) throw new Error(`docs/security.md's "${HEADING}" section has no | \`package\` | \`x.y.z\` | why | rows.`);
  return minimums;
}

/** Compares two versions by major.minor.patch; a pre-release (9.1.0-beta.1) comes before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (version: string) => {
    const [core = '', pre] = version.split('-', 2);
    return { parts: core.split('.').map((part) => Number.parseInt(part, 10) || 0), pre: pre !== undefined };
  };
  const x = parse(a);
  const y = parse(b);
  for (let index = 0; index < 3; index++) {
    const difference = (x.parts[index] ?? 0) - (y.parts[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return x.pre === y.pre ? 0 : x.pre ? -1 : 1;
}

/** The package a lock path installs: `node_modules/a/node_modules/@s/b` → `@s/b`. */
const packageAt = (lockPath: string) => lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);

/**
 * Every production copy of a listed package below its minimum, one sentence each. `installedVersion` reads the
 * copy node_modules holds at a lock path (undefined when absent), so a stale node_modules is caught too.
 */
export function findTooOld(
  lock: Lockfile,
  minimums: Minimum[],
  installedVersion: (lockPath: string) => string | undefined = () => undefined,
): string[] {
  const problems: string[] = [];
  for (const [lockPath, entry] of Object.entries(lock.packages ?? {})) {
    if (!lockPath.includes('node_modules/') || entry.dev || entry.devOptional || entry.link) continue;
    const minimum = minimums.find((candidate) => candidate.name === packageAt(lockPath));
    if (!minimum) continue;
    const versions = new Set([entry.version, installedVersion(lockPath)].filter((version): version is string => Boolean(version)));
    for (const version of versions)
      if (compareVersions(version, minimum.version) < 0)
        problems.push(
          `${minimum.name} ${version} at ${lockPath} is below the minimum ${minimum.version} (${minimum.why.replace(/[.\s]+$/, '')}). ` +
            `Raise it: an "overrides" entry in package.json for the package that brings it in, then npm install.`,
        );
  }
  return problems;
}

if (import.meta.main) {
  const minimums = parseMinimums(readFileSync(SECURITY_DOC, 'utf8'));
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
  const installed = (lockPath: string) => {
    const manifest = path.join(ROOT, lockPath, 'package.json');
    return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version : undefined;
  };
  const problems = findTooOld(lock, minimums, installed);
  if (problems.length > 0) {
    console.error(`Dependencies below their minimum (docs/security.md, "Dependencies"):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`Dependency minimums: ${minimums.map((m) => `${m.name} ≥ ${m.version}`).join(', ')}: every production copy meets them.`);
}
