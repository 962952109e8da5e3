// The dependency-minimums check `npm run lint` runs (scripts/ops/dependency-minimums.ts): a lock with a production
// copy below its minimum fails with a message naming the copy, the minimum and why; dev-only copies and newer
// ones pass; and this checkout's own lock and node_modules meet docs/security.md's table.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareVersions, findTooOld, parseMinimums, type Lockfile } from '../../scripts/ops/dependency-minimums.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DOC = readFileSync(path.join(ROOT, 'docs', 'security.md'), 'utf8');
const PROVIDER_COPY = 'node_modules/@strapi/provider-email-nodemailer/node_modules/nodemailer';

describe('dependency minimums', () => {
  const minimums = parseMinimums(DOC);

  it('reads the table in docs/security.md, nodemailer’s minimum among them', () => {
    expect(minimums.find((minimum) => minimum.name === 'nodemailer')).toMatchObject({ version: '9.1.0' });
    expect(() => parseMinimums('# Security\n\n## Other\n')).toThrow('docs/security.md has no "## Dependencies" section');
  });

  it('fails on a lock with a copy below its minimum, naming it and why', () => {
    const lock: Lockfile = {
      packages: {
        '': { version: '0.1.0' },
        'node_modules/@agency/cms': { link: true },
        'node_modules/@strapi/provider-email-nodemailer': { version: '5.54.0' },
        [PROVIDER_COPY]: { version: '9.0.1' },
        // Dev-only copies do not ship; a newer production copy is fine.
        'node_modules/mailparser/node_modules/nodemailer': { version: '8.0.0', dev: true },
        'node_modules/nodemailer': { version: '10.6.1' },
      },
    };
    const problems = findTooOld(lock, minimums);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(
        `^nodemailer 9\\.0\\.1 at ${PROVIDER_COPY} is below the minimum 9\\.1\\.0 \\(A published denial-of-service advisory .*\\)\\. ` +
          'Raise it: an "overrides" entry in package.json for the package that brings it in, then npm install\\.$',
      ),
    );
  });

  it('also fails when node_modules holds an older copy than the lock says (a stale install)', () => {
    const lock: Lockfile = { packages: { [PROVIDER_COPY]: { version: '9.1.1' } } };
    expect(findTooOld(lock, minimums)).toEqual([]);
    expect(findTooOld(lock, minimums, () => '9.0.1')[0]).toMatch(/^nodemailer 9\.0\.1 at .* is below the minimum 9\.1\.0/);
  });

  it('orders versions by number, a pre-release before its release', () => {
    expect(compareVersions('9.0.1', '9.1.0')).toBe(-1);
    expect(compareVersions('9.10.0', '9.9.9')).toBe(1);
    expect(compareVersions('9.1.0-beta.1', '9.1.0')).toBe(-1);
    expect(compareVersions('9.1.0', '9.1.0')).toBe(0);
  });

  it('passes on this checkout (the overrides in package.json, as installed)', () => {
    const output = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'ops', 'dependency-minimums.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(output).toContain('nodemailer ≥ 9.1.0: every production copy meets them.');
  });
});
