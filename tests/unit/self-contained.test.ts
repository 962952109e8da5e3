// A fresh clone is the whole project: nothing tracked may reach above the repository's root (the team kit
// beside a developer's checkout is not there on a new machine or in CI's clone).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIT_FILE } from '../support/kit.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CODE = /\.(ts|mts|mjs|js|json|astro|tsx|yml|yaml|sh)$|(^|\/)(run|Dockerfile)$/;

/** Ways code names a place above the root: a path.join of the parent and the kit's folder name, a relative path into the kit, ROOT and its parent. */
const ESCAPES = [/['"]\.\.['"],\s*['"]shared['"]/, /\.\.\/shared\/(content|hooks)/, /\(\s*ROOT\s*,\s*['"]\.\.['"]/];

function trackedCode(): string[] {
  return (
    execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      // This file names the patterns it looks for, so it is the one file not held to them.
      .filter((file) => CODE.test(file) && !file.endsWith('package-lock.json') && file !== 'tests/unit/self-contained.test.ts')
  );
}

describe('the repository is self-contained', () => {
  it('keeps the client’s copy inside the repo, beside the seed', () => {
    expect(path.relative(ROOT, KIT_FILE)).toBe(path.join('shared', 'src', 'seed', 'sales-vs-marketing.txt'));
    expect(readFileSync(KIT_FILE, 'utf8')).toMatch(/^What’s the difference between sales and marketing\?/);
  });

  it('has no tracked file that reads above the repository root', () => {
    const files = trackedCode();
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      return ESCAPES.filter((pattern) => pattern.test(text)).map((pattern) => `${file} matches ${pattern}`);
    });
    expect(offenders, 'these files read outside the repository; keep what they need inside it').toEqual([]);
  });
});
