// The shape of scripts/, so it stays readable in an hour: five folders by job, imports flowing one way
// (common ← rebuild ← stack ← bench, ops), one copy of each helper, content-type UIDs from the contract.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/common/paths.ts';
import { importClosure, importsOf, localImportsOf } from '../support/imports.ts';

const SCRIPTS = path.join(ROOT, 'scripts');
const FOLDERS = ['bench', 'common', 'ops', 'rebuild', 'stack'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(dir, file))
    .filter((file) => statSync(file).isFile())
    .sort();
}

const scriptFiles = filesUnder(SCRIPTS);
const folderOf = (file: string) => path.relative(SCRIPTS, file).split(path.sep)[0]!;
const relative = (file: string) => path.relative(ROOT, file);

/** Which folders a folder's files may import from: lower layers only (ops's audit also uses the benchmarks' kit). */
const MAY_IMPORT: Record<string, string[]> = {
  common: ['common'],
  rebuild: ['common', 'rebuild'],
  stack: ['common', 'rebuild', 'stack'],
  bench: ['common', 'rebuild', 'stack', 'bench'],
  ops: ['common', 'rebuild', 'stack', 'ops', 'bench/bench-kit.ts'],
};

describe('scripts/', () => {
  it('holds five folders by job and nothing loose beside them', () => {
    expect(readdirSync(SCRIPTS).sort()).toEqual(FOLDERS);
    expect(scriptFiles.length).toBeGreaterThan(20);
    // TypeScript, but for the one shell wrapper that runs the settings generator where there is no Node (a server).
    const shell = ['scripts/ops/production-env.sh'];
    for (const file of scriptFiles) expect(file.endsWith('.ts') || shell.includes(relative(file)), relative(file)).toBe(true);
  });

  it('has no file named cms.ts or site.ts (the names say which program runs what)', () => {
    expect(scriptFiles.filter((file) => ['cms.ts', 'site.ts'].includes(path.basename(file))).map(relative)).toEqual([]);
  });

  it('imports flow one way: common ← rebuild ← stack ← bench, ops', () => {
    const wrong: string[] = [];
    for (const file of scriptFiles) {
      const allowed = MAY_IMPORT[folderOf(file)]!;
      for (const target of localImportsOf(file)) {
        const where = path.relative(SCRIPTS, target);
        if (where.startsWith('..')) {
          wrong.push(`${relative(file)} imports ${relative(target)}, outside scripts/`);
          continue;
        }
        if (!existsSync(target)) wrong.push(`${relative(file)} imports ${where}, which does not exist`);
        if (!allowed.some((prefix) => where === prefix || where.startsWith(`${prefix}/`))) wrong.push(`${relative(file)} imports ${where}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps what runs in production (common, rebuild) to Node, the contract and each other', () => {
    const packages = scriptFiles
      .filter((file) => ['common', 'rebuild'].includes(folderOf(file)))
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => !specifier.startsWith('.'))
          .map((specifier) => `${relative(file)}: ${specifier}`),
      )
      .filter((line) => !/: (node:|@agency\/shared(\/server)?$)/.test(line));
    expect(packages).toEqual([]);
  });

  it('keeps the settings generator to Node’s own modules: production-env.sh runs it in a bare Node image', () => {
    const loaded = importClosure(path.join(SCRIPTS, 'ops', 'production-env.ts'));
    expect(loaded.map(relative)).toContain('scripts/stack/env-file.ts');
    const packages = loaded.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
        .map((specifier) => `${relative(file)}: ${specifier}`),
    );
    expect(packages).toEqual([]);
  });

  it('takes content-type UIDs from the contract, never as literals', () => {
    const literals = scriptFiles.filter((file) => /['"`]api::/.test(readFileSync(file, 'utf8'))).map(relative);
    expect(literals).toEqual([]);
  });

  it('has one sleep (scripts/common/sleep.ts), used by scripts and tests alike', () => {
    const files = [...scriptFiles, ...filesUnder(path.join(ROOT, 'tests'))].filter((file) => file.endsWith('.ts'));
    const copies = files.filter((file) => /setTimeout\(\s*resolve\b/.test(readFileSync(file, 'utf8'))).map(relative);
    expect(copies).toEqual([path.join('scripts', 'common', 'sleep.ts')]);
  });

  it('runs every npm script from an entry point that exists, never from common/', () => {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const entries = Object.entries(scripts).flatMap(([name, command]) =>
      [...command.matchAll(/node (scripts\/\S+\.ts)/g)].map((m) => [name, m[1]!] as const),
    );
    expect(entries.length).toBeGreaterThanOrEqual(10);
    for (const [name, entry] of entries) {
      expect(existsSync(path.join(ROOT, entry)), `npm run ${name}: ${entry}`).toBe(true);
      expect(entry.startsWith('scripts/common/'), `npm run ${name}: ${entry}`).toBe(false);
    }
  });
});
