// Where built sites live: each build in a fresh directory under builds/, and `current`, a symlink to the
// live one. Switching is one atomic rename of a symlink, so the static server (in this process or another)
// always serves one complete build, never a mix or an empty directory.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { readdir, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';

export class SiteStore {
  readonly root: string;
  readonly builds: string;
  readonly current: string;
  /** Where a failed prune is reported (it never fails the build that just went live). */
  private readonly warn: (line: string) => void;

  constructor(root: string, options: { warn?: (line: string) => void } = {}) {
    this.root = path.resolve(root);
    this.builds = path.join(this.root, 'builds');
    this.current = path.join(this.root, 'current');
    this.warn = options.warn ?? ((line) => console.warn(line));
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

  /**
   * Makes `dir` the live site atomically, then removes old builds (keeping `keep` most recent). The switch is done
   * when this returns, and throws (synchronously) only when it fails: then `dir` is not live. The promise is the
   * prune: it removes old builds without blocking this process (a 1,000-article build is thousands of files, and
   * a static server in the same process, as under `npm start`, must serve the new build meanwhile); it never
   * rejects: a failed prune is logged, and the new build stays live.
   */
  activate(dir: string, keep = 3): Promise<void> {
    const link = path.join(this.root, `.current-${process.pid}-${Date.now()}`);
    symlinkSync(path.relative(this.root, dir), link);
    try {
      renameSync(link, this.current);
    } catch (error) {
      rmSync(link, { force: true });
      throw error;
    }
    return this.prune(keep, dir).catch((error: unknown) => {
      this.warn(
        `[rebuild] pruning old builds in ${this.builds} failed (the new build is live; old ones stay until the next prune): ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  discard(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
  }

  /**
   * Removes all but the `keep` most recent builds. Never the live one (`current`, read again now, whatever the
   * caller thinks it is) nor `activated`, the one just switched live. Which ones go is decided at once; they are
   * removed one after the other, asynchronously.
   */
  protected async prune(keep: number, activated: string): Promise<void> {
    const spared = new Set([path.resolve(activated), this.liveDir()].filter((dir): dir is string => dir !== null));
    for (const dir of [...spared]) {
      try {
        spared.add(realpathSync(dir));
      } catch {
        /* gone: nothing to spare */
      }
    }
    const dirs = readdirSync(this.builds)
      // Dot-directories are the build worker's copies in the making (web/src/incremental/spare-copy.ts), not builds.
      .filter((name) => !name.startsWith('.'))
      .map((name) => path.join(this.builds, name))
      .filter((dir) => !spared.has(dir) && !spared.has(realpathOrSelf(dir)))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    for (const dir of dirs.slice(Math.max(0, keep - 1))) {
      try {
        await removeQuietly(dir);
      } catch {
        // Node's asynchronous removal can misname the cause (ENOTDIR for a file it may not delete); the synchronous
        // one names it (EPERM, EACCES) in what the store logs, and finishes the job when it can after all.
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

/**
 * Removes the tree at `dir`, one file at a time. fs.rm's recursive removal keeps libuv's four threads busy with
 * thousands of unlinks at once, and under `npm start` the static server shares that pool: every page it served
 * waited behind the prune of an old build (~1 s at 1,000 articles, measured by bench:publish as a publish served
 * 1 s after it was live). One operation at a time, the server's reads pass in between.
 */
async function removeQuietly(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const inner = path.join(dir, entry.name);
    if (entry.isDirectory()) await removeQuietly(inner);
    else await unlink(inner);
  }
  await rmdir(dir);
}

function realpathOrSelf(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

class IncompleteBuild extends Error {
  override name = 'IncompleteBuild';
}

/** A site path from the build report (`/`, `/articles/x/`, `/404.html`) as a file in the build directory. */
function fileFor(sitePath: string): string {
  const relative = sitePath.replace(/^\/+/, '');
  return relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative;
}

/** How much of an HTML page's end is read to find `</html>`: the check runs before every publish goes live. */
const TAIL_BYTES = 4096;

/**
 * Whether the file ends with `</html>` (then only whitespace). Reads its last TAIL_BYTES only (a 1,000-article
 * site's pages are ~50 MB: reading them whole took ~0.1 s of every publish), and the whole file only when that
 * tail is all whitespace.
 */
function endsWithHtmlClose(file: string, size: number): boolean {
  if (size <= TAIL_BYTES) return readFileSync(file, 'utf8').trimEnd().endsWith('</html>');
  const tail = Buffer.alloc(TAIL_BYTES);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, tail, 0, TAIL_BYTES, size - TAIL_BYTES);
  } finally {
    closeSync(fd);
  }
  const text = tail.toString('utf8').trimEnd();
  return text === '' ? readFileSync(file, 'utf8').trimEnd().endsWith('</html>') : text.endsWith('</html>');
}

/** Files every build must have, whatever its report says (with the search index, web/src/integrations/search-index.ts). */
const ALWAYS = ['index.html', '404.html', 'sitemap.xml', 'rss.xml', 'pagefind/pagefind.js', 'pagefind/pagefind-entry.json'];

/**
 * Checks a finished build before it goes live: every page its report lists (`pages`, when there is a report),
 * and always the home page, the 404 page, the sitemap, the RSS feed, the search index and one page per article the build fetched
 * (`expectedArticles`; null without a report: the count is not checked). Each must exist and not be empty, and
 * an HTML page must end with `</html>` (not cut short). Throws IncompleteBuild saying what is wrong. A page
 * hard-linked from an earlier build (an incremental build's copy of the live one) was read when that build went
 * live, and is not read again: at 10,000 articles that is most of the check.
 */
export function checkBuild(dir: string, expectedArticles: number | null, pages: readonly string[] | null = null): void {
  const articlesDir = path.join(dir, 'articles');
  const articlePages = existsSync(articlesDir) ? readdirSync(articlesDir).map((slug) => path.join('articles', slug, 'index.html')) : [];
  const files = new Set([...ALWAYS, ...articlePages, ...(pages ?? []).map(fileFor)]);
  for (const file of files) {
    const full = path.join(dir, file);
    const stats = statSync(full, { throwIfNoEntry: false });
    if (!stats?.isFile() || stats.size === 0) throw new IncompleteBuild(`the build has no ${file} (or it is empty)`);
    if (file.endsWith('.html') && stats.nlink === 1 && !endsWithHtmlClose(full, stats.size))
      throw new IncompleteBuild(`${file} is cut short (it does not end with </html>)`);
  }
  if (expectedArticles !== null && articlePages.length !== expectedArticles) {
    throw new IncompleteBuild(`the build fetched ${expectedArticles} articles but wrote ${articlePages.length} article pages`);
  }
  if (pages) {
    const reported = pages.filter((page) => /^\/articles\/[^/]+\/$/.test(page)).length;
    if (reported !== articlePages.length)
      throw new IncompleteBuild(`the build reported ${reported} article pages but ${articlePages.length} are in ${articlesDir}`);
  }
}
