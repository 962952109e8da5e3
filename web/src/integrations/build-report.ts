// Writes the build report (SITE_BUILD_REPORT; format in shared/src/build-report.ts, hand-over in
// src/lib/build-report-file.ts): "started" when an `astro build` begins, so no older report survives, and
// once every page is written: ok, the content loader's figures, the path of every page written and how many
// images were encoded or reused.
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { currentImageRun, imageFigures } from '../images/image-run.ts';
import { STARTED, buildFailure, reportedContent, writeBuildReport } from '../lib/build-report-file.ts';

/** A written file as a site path: `index.html` → `/`, `articles/x/index.html` → `/articles/x/`, `404.html` → `/404.html`. */
function sitePath(outDir: URL, file: URL): string {
  const path = `/${relative(fileURLToPath(outDir), fileURLToPath(file)).split(sep).join('/')}`;
  return path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path;
}

/** Every page the build wrote, from the files Astro reports per route, as sorted site paths. */
export function writtenPages(outDir: URL, files: Map<string, URL[]>): string[] {
  return [...new Set([...files.values()].flat().map((file) => sitePath(outDir, file)))].sort();
}

/** `file`: where to write the report (SITE_BUILD_REPORT), or null for no report. */
export function buildReport(file: string | null): AstroIntegration {
  return {
    name: 'agency:build-report',
    hooks: {
      'astro:config:setup': ({ command }) => {
        if (file && command === 'build') writeBuildReport(file, { ok: false, error: STARTED });
      },
      'astro:build:done': ({ dir, assets }) => {
        if (!file) return;
        const content = reportedContent(file);
        if (!content) {
          const error = new Error(
            'The build wrote its pages but the report has no content figures: did the CMS loader (src/content/loader.ts) run?',
          );
          writeBuildReport(file, { ok: false, error: buildFailure(error) });
          throw error;
        }
        // The images' figures (src/integrations/images.ts runs after this and ends the run).
        const run = currentImageRun();
        const images = run ? imageFigures(run) : undefined;
        writeBuildReport(file, { ok: true, content, pages: writtenPages(dir, assets), ...(images && { images }) });
      },
    },
  };
}
