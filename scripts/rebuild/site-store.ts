// Where built sites live: each build in a fresh directory under builds/, and `current`, a symlink to the
// live one. Switching is one atomic rename of a symlink, so the static server (in this process or another)
// always serves one complete build, never a mix or an empty directory.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';

export class SiteStore {
  readonly root: string;
  readonly builds: string;
  readonly current: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.builds = path.join(this.root, 'builds');
    this.current = path.join(this.root, 'current');
    mkdirSync(this.builds, { recursive: true });
  }

  /** The live build's directory, or null before the first successful build. */
  liveDir(): string | null {
    try {
      return realpathSync(this.current);
    } catch {
      return null;
    }
  }

  /** A fresh, empty directory for a new build. */
  newBuildDir(id: string): string {
    const dir = path.join(this.builds, id);
    rmSync(dir, { recursive: true, force: true });
    return dir;
  }

  /** Makes `dir` the live site atomically, then removes old builds (keeping `keep` most recent). */
  activate(dir: string, keep = 3): void {
    const link = path.join(this.root, `.current-${process.pid}-${Date.now()}`);
    symlinkSync(path.relative(this.root, dir), link);
    renameSync(link, this.current);
    this.prune(keep, dir);
  }

  discard(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
  }

  private prune(keep: number, live: string): void {
    const dirs = readdirSync(this.builds)
      .map((name) => path.join(this.builds, name))
      .filter((dir) => dir !== live)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    for (const dir of dirs.slice(Math.max(0, keep - 1))) rmSync(dir, { recursive: true, force: true });
  }
}

class IncompleteBuild extends Error {
  override name = 'IncompleteBuild';
}

/**
 * Checks a finished build before it goes live: the home page, the 404 page and one page per article the
 * build fetched (its report's count; null when there is no report: the count is not checked), none of them
 * empty. Throws IncompleteBuild saying what is missing.
 */
export function checkBuild(dir: string, expectedArticles: number | null): void {
  const required = ['index.html', '404.html'];
  for (const file of required) {
    const full = path.join(dir, file);
    if (!existsSync(full) || statSync(full).size === 0) throw new IncompleteBuild(`the build has no ${file} (or it is empty)`);
  }
  const articlesDir = path.join(dir, 'articles');
  const pages = existsSync(articlesDir) ? readdirSync(articlesDir).map((slug) => path.join(articlesDir, slug, 'index.html')) : [];
  for (const page of pages) {
    if (!existsSync(page) || statSync(page).size === 0) throw new IncompleteBuild(`${path.relative(dir, page)} is missing or empty`);
    if (!readFileSync(page, 'utf8').includes('</html>')) throw new IncompleteBuild(`${path.relative(dir, page)} is cut short`);
  }
  if (expectedArticles !== null && pages.length !== expectedArticles) {
    throw new IncompleteBuild(`the build fetched ${expectedArticles} articles but wrote ${pages.length} article pages`);
  }
}
