// Every image the production-stack test runs: the local stand-ins for the official base images
// (local-images.ts), then docker-compose.yml's own (the CMS and web images). The test builds them in its first
// steps; `.ci/run` can build them earlier, while `npm test` runs (tests/compose/early-build.sh), and the test's
// steps then find them built: the stand-ins by their inputs' hash, the compose images by Docker's layer cache.
//   npx node tests/compose/images.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ComposeStack } from './compose-stack.ts';
import { buildLocalImages } from './local-images.ts';

/** The CMS and web images of `stack`'s compose files; `log` gets the build's progress lines. */
export async function buildStackImages(stack: ComposeStack, log: (line: string) => void): Promise<void> {
  const onLine = (line: string) => /^(Step|Successfully|Building)/.test(line) && log(line);
  // The two images side by side (one waits on the network or the disk while the other computes), then the rest,
  // which is the web image again for the preview service: all cache.
  await stack.compose(['build', '--parallel', 'cms', 'rebuild'], { onLine });
  await stack.compose(['build'], { onLine });
}

if (import.meta.main) {
  const log = (line: string) => console.log(`[images ${new Date().toISOString().slice(11, 19)}] ${line}`);
  let started = Date.now();
  const standIns = buildLocalImages();
  log(`local base images in ${((Date.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(standIns)}`);
  // Building needs no real settings, but compose refuses a file whose required variables are unset: placeholders.
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-images-'));
  try {
    const envFile = path.join(dir, '.env.build');
    writeFileSync(
      envFile,
      [
        'SITE_URL=https://www.example.invalid',
        'CMS_PUBLIC_URL=https://cms.example.invalid',
        'PREVIEW_PUBLIC_URL=https://preview.example.invalid',
        'ADMIN_EMAIL=admin@example.invalid',
        `SECRETS_DIR=${dir}`,
        '',
      ].join('\n'),
    );
    started = Date.now();
    await buildStackImages(new ComposeStack('agency-images', envFile), log);
    log(`CMS and web images in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
