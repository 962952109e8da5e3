// Local stand-ins for the official base images (node:24-bookworm-slim, postgres:15-bookworm, caddy:2), for a
// machine that reaches the Debian and npm registries but no image registry. Debian roots come from mmdebstrap,
// Node 24 from the npm `node` package this repository installs; tests/compose/local-images.yml points compose
// at them. An image already built is kept (pass --force to rebuild them all).
//   npx node tests/compose/local-images.ts [--force]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../../scripts/common/paths.ts';

const LOCAL_IMAGES = {
  debian: 'agency-local/debian:bookworm',
  node: 'agency-local/node:24-bookworm-slim',
  postgresRootfs: 'agency-local/postgres-rootfs:15',
  postgres: 'agency-local/postgres:15-bookworm',
  caddyRootfs: 'agency-local/caddy-rootfs:2',
  caddy: 'agency-local/caddy:2',
  mailpit: 'agency-local/mailpit',
} as const;

const STAND_INS = path.join(import.meta.dirname, 'stand-ins');

function sh(command: string, args: string[], options: { cwd?: string } = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new Error(`${command} could not start (${result.error.message}); see docs/deployment.md for what to install`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
}

const imageExists = (image: string) => spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore' }).status === 0;

/** A Debian bookworm root filesystem with `packages`, imported as `image`. */
function importRootfs(image: string, packages: string[]): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'agency-rootfs-'));
  try {
    const tar = path.join(dir, 'rootfs.tar');
    // --variant=minbase: no apt recommends, no docs; the package caches are emptied by mmdebstrap itself.
    sh('mmdebstrap', [
      '--quiet',
      '--variant=minbase',
      `--include=${packages.join(',')}`,
      '--aptopt=APT::Install-Recommends "false"',
      'bookworm',
      tar,
    ]);
    sh('docker', ['import', tar, image]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `docker build` of a stand-in folder, with extra files copied (`extra`: target → source) or written (`written`:
 * target → text) into a throwaway context beside its own.
 */
function buildStandIn(name: string, image: string, extra: Record<string, string> = {}, written: Record<string, string> = {}): void {
  const context = mkdtempSync(path.join(tmpdir(), `agency-${name}-`));
  try {
    cpSync(path.join(STAND_INS, name), context, { recursive: true });
    for (const [target, source] of Object.entries(extra))
      cpSync(source, path.join(context, target), { recursive: true, dereference: true });
    for (const [target, text] of Object.entries(written)) writeFileSync(path.join(context, target), text);
    sh('docker', ['build', '--network', 'host', '--tag', image, context]);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** Where the host's npm lives (its package folder), to put the same npm in the Node image. */
function npmDir(): string {
  const cli = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
  return path.resolve(path.dirname(cli), '..');
}

export function buildLocalImages(force = false): void {
  const want = (image: string) => force || !imageExists(image);
  if (want(LOCAL_IMAGES.debian)) importRootfs(LOCAL_IMAGES.debian, ['ca-certificates']);
  if (want(LOCAL_IMAGES.node)) {
    buildStandIn('node', LOCAL_IMAGES.node, {
      node: path.join(ROOT, 'node_modules', 'node', 'bin', 'node'),
      npm: npmDir(),
      'host-ca-certificates.crt': '/etc/ssl/certs/ca-certificates.crt',
    });
  }
  if (want(LOCAL_IMAGES.postgresRootfs)) importRootfs(LOCAL_IMAGES.postgresRootfs, ['postgresql-15']);
  if (want(LOCAL_IMAGES.postgres)) buildStandIn('postgres', LOCAL_IMAGES.postgres);
  if (want(LOCAL_IMAGES.caddyRootfs)) importRootfs(LOCAL_IMAGES.caddyRootfs, ['ca-certificates', 'caddy', 'wget']);
  if (want(LOCAL_IMAGES.caddy)) buildStandIn('caddy', LOCAL_IMAGES.caddy);
  if (want(LOCAL_IMAGES.mailpit)) buildMailpit();
}

/** The mail catcher and what it loads, laid out as in the repository, with the root's versions of its packages. */
function buildMailpit(): void {
  const root = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const manifest = {
    name: 'mailpit-stand-in',
    private: true,
    type: 'module',
    dependencies: {
      '@agency/shared': 'file:./shared',
      'smtp-server': root.devDependencies['smtp-server'],
      mailparser: root.devDependencies.mailparser,
    },
  };
  const from = (file: string) => path.join(ROOT, file);
  buildStandIn(
    'mailpit',
    LOCAL_IMAGES.mailpit,
    {
      'shared/package.json': from('shared/package.json'),
      'shared/dist': from('shared/dist'),
      'scripts/stack/mail-catcher.ts': from('scripts/stack/mail-catcher.ts'),
      'scripts/common/http.ts': from('scripts/common/http.ts'),
      'scripts/common/errors.ts': from('scripts/common/errors.ts'),
      'scripts/common/config-error.ts': from('scripts/common/config-error.ts'),
      'tests/compose/stand-ins/mailpit/serve.mjs': path.join(STAND_INS, 'mailpit', 'serve.mjs'),
    },
    { 'package.json': `${JSON.stringify(manifest, null, 2)}\n` },
  );
}

if (import.meta.main) {
  buildLocalImages(process.argv.includes('--force'));
}
