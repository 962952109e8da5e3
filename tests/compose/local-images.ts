// Local stand-ins for the official base images (node:24-bookworm-slim, postgres:15-bookworm, caddy:2), for a
// machine that reaches the Debian and npm registries but no image registry. Debian roots come from mmdebstrap,
// Node 24 from the npm `node` package this repository installs; tests/compose/local-images.yml points compose
// at them. Each image carries the hash of its inputs (label agency.inputs: the packages, the stand-in's files,
// the files copied in, the base image's id) and is kept while that hash matches, so a re-run builds nothing and
// a change to any input rebuilds that image and the ones built on it (pass --force to rebuild them all).
//   npx node tests/compose/local-images.ts [--force]
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** The label that holds the hash of an image's inputs. */
const INPUTS_LABEL = 'agency.inputs';

/** `docker image inspect` of one field, or undefined when the image does not exist. */
function inspectImage(image: string, template: string): string | undefined {
  const result = spawnSync('docker', ['image', 'inspect', '--format', template, image], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The image's id, which changes whenever it is rebuilt: the images built on it hash it among their inputs. */
function imageId(image: string): string {
  const id = inspectImage(image, '{{.Id}}');
  if (!id) throw new Error(`${image} should have been built before the images on top of it, and is missing`);
  return id;
}

/** Every file under `source` (a file or a folder), by path relative to it, hashed into `hash` in a stable order. */
function hashFiles(hash: ReturnType<typeof createHash>, source: string, name: string): void {
  const stat = statSync(source);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(source).sort()) hashFiles(hash, path.join(source, entry), `${name}/${entry}`);
  } else {
    hash.update(`${name} ${stat.mode & 0o111 ? 'x' : '-'} ${stat.size}\n`);
    hash.update(readFileSync(source));
  }
}

/** What happened to each image this run, for the test's figures: "reused" or "built in N s". */
export type ImageReport = Record<string, string>;

/** Builds `image` with `build` unless it exists with the same inputs' hash; `build` gets the label to give it. */
function buildUnlessSame(report: ImageReport, image: string, inputs: string, force: boolean, build: (label: string) => void): void {
  const have = inspectImage(image, `{{index .Config.Labels "${INPUTS_LABEL}"}}`);
  if (!force && have === inputs) {
    report[image] = 'reused';
    return;
  }
  const started = Date.now();
  console.log(`${image}: ${have === undefined ? 'not built yet' : 'its inputs changed'}, building (inputs ${inputs.slice(0, 12)})`);
  build(`${INPUTS_LABEL}=${inputs}`);
  report[image] = `built in ${((Date.now() - started) / 1000).toFixed(0)} s`;
}

const MMDEBSTRAP_OPTIONS = ['--quiet', '--variant=minbase', '--aptopt=APT::Install-Recommends "false"'];

/** A Debian bookworm root filesystem with `packages`, imported as `image`. */
function importRootfs(report: ImageReport, image: string, packages: string[], force: boolean): void {
  // The inputs: what is asked of mmdebstrap. (Debian's own updates to these packages are not followed: --force.)
  const inputs = createHash('sha256')
    .update(JSON.stringify({ suite: 'bookworm', MMDEBSTRAP_OPTIONS, packages }))
    .digest('hex');
  buildUnlessSame(report, image, inputs, force, (label) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'agency-rootfs-'));
    try {
      const tar = path.join(dir, 'rootfs.tar');
      // --variant=minbase: no apt recommends, no docs; the package caches are emptied by mmdebstrap itself.
      sh('mmdebstrap', [...MMDEBSTRAP_OPTIONS, `--include=${packages.join(',')}`, 'bookworm', tar]);
      sh('docker', ['import', '--change', `LABEL ${label}`, tar, image]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

type StandIn = {
  report: ImageReport;
  force: boolean;
  /** The local image its Dockerfile starts FROM (its default ARG). */
  base: string;
  /** Files copied into the context: target → source. */
  extra?: Record<string, string>;
  /** Files written into the context: target → text. */
  written?: Record<string, string>;
};

/**
 * `docker build` of a stand-in folder, with extra files copied or written into a throwaway context beside its own;
 * kept while the context's files and the base image are the same.
 */
function buildStandIn(name: string, image: string, { report, force, base, extra = {}, written = {} }: StandIn): void {
  const hash = createHash('sha256').update(`base ${imageId(base)}\n`);
  hashFiles(hash, path.join(STAND_INS, name), '.');
  for (const [target, source] of Object.entries(extra).sort()) hashFiles(hash, source, target);
  for (const [target, text] of Object.entries(written).sort()) hash.update(`${target}\n${text}`);
  buildUnlessSame(report, image, hash.digest('hex'), force, (label) => {
    const context = mkdtempSync(path.join(tmpdir(), `agency-${name}-`));
    try {
      cpSync(path.join(STAND_INS, name), context, { recursive: true });
      for (const [target, source] of Object.entries(extra))
        cpSync(source, path.join(context, target), { recursive: true, dereference: true });
      for (const [target, text] of Object.entries(written)) writeFileSync(path.join(context, target), text);
      sh('docker', ['build', '--network', 'host', '--label', label, '--tag', image, context]);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });
}

/** Where the host's npm lives (its package folder), to put the same npm in the Node image. */
function npmDir(): string {
  const cli = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
  return path.resolve(path.dirname(cli), '..');
}

/** Builds the stand-ins whose inputs changed (all with `force`); says, per image, whether it was reused or built. */
export function buildLocalImages(force = false): ImageReport {
  const report: ImageReport = {};
  importRootfs(report, LOCAL_IMAGES.debian, ['ca-certificates'], force);
  buildStandIn('node', LOCAL_IMAGES.node, {
    report,
    force,
    base: LOCAL_IMAGES.debian,
    extra: {
      node: path.join(ROOT, 'node_modules', 'node', 'bin', 'node'),
      npm: npmDir(),
      'host-ca-certificates.crt': '/etc/ssl/certs/ca-certificates.crt',
    },
  });
  importRootfs(report, LOCAL_IMAGES.postgresRootfs, ['postgresql-15'], force);
  buildStandIn('postgres', LOCAL_IMAGES.postgres, { report, force, base: LOCAL_IMAGES.postgresRootfs });
  importRootfs(report, LOCAL_IMAGES.caddyRootfs, ['ca-certificates', 'caddy', 'wget'], force);
  buildStandIn('caddy', LOCAL_IMAGES.caddy, { report, force, base: LOCAL_IMAGES.caddyRootfs });
  buildMailpit(report, force);
  return report;
}

/** The mail catcher and what it loads, laid out as in the repository, with the root's versions of its packages. */
function buildMailpit(report: ImageReport, force: boolean): void {
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
  buildStandIn('mailpit', LOCAL_IMAGES.mailpit, {
    report,
    force,
    base: LOCAL_IMAGES.node,
    extra: {
      'shared/package.json': from('shared/package.json'),
      'shared/dist': from('shared/dist'),
      'scripts/stack/mail-catcher.ts': from('scripts/stack/mail-catcher.ts'),
      'scripts/common/http.ts': from('scripts/common/http.ts'),
      'scripts/common/errors.ts': from('scripts/common/errors.ts'),
      'scripts/common/config-error.ts': from('scripts/common/config-error.ts'),
      'tests/compose/stand-ins/mailpit/serve.mjs': path.join(STAND_INS, 'mailpit', 'serve.mjs'),
    },
    written: { 'package.json': `${JSON.stringify(manifest, null, 2)}\n` },
  });
}

if (import.meta.main) {
  console.log(buildLocalImages(process.argv.includes('--force')));
}
