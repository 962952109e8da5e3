// The copy an incremental build starts from, made ahead of time (src/incremental/spare-copy.ts), on real files:
// a spare for the right build is renamed into place, hard links and all, and is never used for another build
// or with other entries left out; an old spare does not outlive the next one.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyBuild, makeSpare } from '../src/incremental/spare-copy.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A builds/ folder with one build in it: pages in nested folders, a search index. */
function builds(): { root: string; build: (name: string) => string } {
  const root = mkdtempSync(path.join(tmpdir(), 'agency-spare-'));
  dirs.push(root);
  const build = (name: string) => {
    const dir = path.join(root, name);
    for (const file of [
      'index.html',
      'articles/a/index.html',
      'articles/a/index.html.br',
      'articles/b/index.html',
      'pagefind/pagefind.js',
    ]) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), `${name}:${file}`);
    }
    return dir;
  };
  return { root, build };
}

const files = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
const inode = (file: string) => statSync(file).ino;

describe('spare copies of a build', () => {
  it('renames the spare made for this build into place: every file hard-linked to the build’s own', async () => {
    const { root, build } = builds();
    const live = build('b1');
    await makeSpare(live);
    expect(readdirSync(root).sort()).toEqual(['.spare-b1', 'b1']);

    const next = path.join(root, 'b2');
    expect(await copyBuild(live, next)).toBe(true);
    expect(files(next)).toEqual(files(live));
    expect(inode(path.join(next, 'articles/a/index.html'))).toBe(inode(path.join(live, 'articles/a/index.html')));
    expect(readdirSync(root).sort()).toEqual(['b1', 'b2']); // the spare became the build
  });

  it('leaves out what it was asked to leave out', async () => {
    const { build } = builds();
    const live = build('b1');
    await makeSpare(live, new Set(['pagefind']));
    const next = path.join(path.dirname(live), 'b2');
    expect(await copyBuild(live, next, new Set(['pagefind']))).toBe(true);
    expect(files(next)).toEqual(files(live).filter((file) => !file.startsWith('pagefind')));
  });

  it('never uses a spare of another build, or one that left out something else: it copies, and drops the spare', async () => {
    const { root, build } = builds();
    const old = build('b1');
    const live = build('b2');
    await makeSpare(old);
    const next = path.join(root, 'b3');
    expect(await copyBuild(live, next)).toBe(false);
    expect(readFileSync(path.join(next, 'index.html'), 'utf8')).toBe('b2:index.html');
    expect(inode(path.join(next, 'index.html'))).toBe(inode(path.join(live, 'index.html')));

    await makeSpare(live, new Set(['pagefind']));
    const other = path.join(root, 'b4');
    expect(await copyBuild(live, other)).toBe(false);
    expect(files(other)).toEqual(files(live));
    // The spares it could not use are removed in the background.
    for (let i = 0; i < 100 && readdirSync(root).some((name) => name.startsWith('.spare-')); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(root).sort()).toEqual(['b1', 'b2', 'b3', 'b4']);
  });

  it('keeps one spare: making the next removes the one before', async () => {
    const { root, build } = builds();
    await makeSpare(build('b1'));
    await makeSpare(build('b2'));
    for (let i = 0; i < 100 && readdirSync(root).includes('.spare-b1'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(readdirSync(root).sort()).toEqual(['.spare-b2', 'b1', 'b2']);
  });
});
