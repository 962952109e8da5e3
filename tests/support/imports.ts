// What a script imports, read from its source: the layout test checks the direction of imports between the
// scripts/ folders, and the compose test that each image copies every file its programs load.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Every module specifier a TypeScript file imports or re-exports (static `import … from`, `export … from`, `import('…')`). */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return [...new Set(found.map((match) => match[1]!))];
}

/** The files of this repository a file imports (relative specifiers), as absolute paths. */
export function localImportsOf(file: string): string[] {
  return importsOf(file)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.resolve(path.dirname(file), specifier));
}

/** `entry` and every repository file it loads, directly or through other files. */
export function importClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of localImportsOf(file)) visit(next);
  };
  visit(path.resolve(entry));
  return [...seen].sort();
}
