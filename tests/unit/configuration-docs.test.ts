// docs/configuration.md is the operator's list of every setting. Each program declares its settings once in
// code (defineSettings); this test holds each table to its program's declaration, both ways, defaults included,
// so a variable added, renamed or removed in code without the docs (or the other way round) fails here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SettingsDefinition, SettingsSpec } from '@agency/shared/server';
import { backupSettings, chromiumSettings } from '../../scripts/ops/settings.ts';
import { rebuildServiceSettings, serveSiteSettings } from '../../scripts/rebuild/settings.ts';
import { stackSettings } from '../../scripts/stack/settings.ts';
import { previewServerSettings, siteBuildSettings } from '../../web/src/settings.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
// The CMS is CommonJS (Strapi compiles it so): loaded by path, so the root type check (ESM, verbatim module
// syntax) does not take cms/ in; cms/tsconfig.json type-checks the file itself.
const CMS_SETTINGS: string = path.join(ROOT, 'cms', 'src', 'settings.ts');
const { cmsSettings } = (await import(CMS_SETTINGS)) as { cmsSettings: SettingsDefinition<SettingsSpec> };
const DOC = path.join(ROOT, 'docs', 'configuration.md');

type Row = { name: string; default: string; meaning: string };

/** The doc's tables by their `## ` heading: one row per variable, its first cell the name in backticks. */
function docTables(): Map<string, Row[]> {
  const tables = new Map<string, Row[]>();
  let heading = '';
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    if (line.startsWith('## ')) {
      heading = line.slice(3).trim();
      tables.set(heading, []);
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0] ?? '')?.[1];
    if (name && heading) tables.get(heading)!.push({ name, default: cells[1] ?? '', meaning: cells[2] ?? '' });
  }
  return tables;
}

const PROGRAMS: Array<[heading: string, definitions: Array<SettingsDefinition<SettingsSpec>>]> = [
  ['npm start (scripts/stack)', [stackSettings]],
  ['Rebuild service (scripts/rebuild/rebuild-service.ts)', [rebuildServiceSettings]],
  ['Static site server (scripts/rebuild/serve-site.ts)', [serveSiteSettings]],
  ['Site build (web)', [siteBuildSettings]],
  ['Preview server (web, astro.preview.config.mjs)', [previewServerSettings]],
  ['CMS (cms)', [cmsSettings]],
  ['Backups (scripts/ops)', [backupSettings]],
];

const plain = (cell: string) => cell.replace(/`/g, '').trim();

describe('docs/configuration.md matches the settings each program declares', () => {
  const tables = docTables();

  it('has one table per program, each variable once per table', () => {
    for (const [heading] of PROGRAMS) expect(tables.has(heading), `a "## ${heading}" table`).toBe(true);
    for (const [heading, rows] of tables) {
      const names = rows.map((row) => row.name);
      expect(names, `duplicate rows under "${heading}"`).toEqual([...new Set(names)]);
    }
  });

  for (const [heading, definitions] of PROGRAMS) {
    it(`"${heading}" lists exactly the variables the code reads, with their defaults`, () => {
      const rows = tables.get(heading) ?? [];
      const spec: SettingsSpec = Object.assign({}, ...definitions.map((definition) => definition.spec));
      expect(rows.map((row) => row.name).sort(), 'variables in the docs vs in the code').toEqual(Object.keys(spec).sort());
      for (const row of rows) {
        const setting = spec[row.name]!;
        expect(row.meaning.length, `${row.name} has a meaning`).toBeGreaterThan(10);
        if (setting.default !== undefined) expect(plain(row.default), `${row.name}'s default`).toBe(setting.default);
        else expect(plain(row.default), `${row.name} has no default in code`).toBe('none');
      }
    });
  }

  it('"Tests and benchmarks" lists every variable the tests and benchmarks read, and the browser setting', () => {
    // Reads in code (`process.env.X`), not the same words quoted inside a string a test looks for.
    const read = execFileSync(
      'git',
      ['grep', '-ohE', "(^|[^'])process\\.env\\.[A-Z][A-Z0-9_]+", '--', 'tests', 'scripts/bench', 'vitest.config.ts'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter(Boolean)
      .map((match) => match.replace(/^.*process\.env\./, ''));
    // Node's and CI's own variables, not settings of ours.
    const ours = [...new Set(read)].filter((name) => !['CI', 'NODE_ENV', 'PATH', 'HOME'].includes(name));
    const documented = (tables.get('Tests and benchmarks') ?? []).map((row) => row.name);
    expect(documented.sort()).toEqual([...new Set([...ours, ...Object.keys(chromiumSettings.spec)])].sort());
  });

  it('"docker compose" lists every variable docker-compose.yml interpolates', () => {
    const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    // `${X}` in the file's YAML (not its comments); `$${X}` is the container's own variable, escaped from compose.
    const yaml = compose.replace(/#.*$/gm, '');
    const interpolated = [...new Set([...yaml.matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]!))];
    const documented = (tables.get('docker compose') ?? []).map((row) => row.name);
    expect(documented.sort()).toEqual(interpolated.sort());
  });
});
