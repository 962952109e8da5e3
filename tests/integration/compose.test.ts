// The production stack checked by reading it (fast, in `npm test`): the compose file, its Dockerfiles, the
// local stand-ins' override and .env.example must agree with each other and with docs/configuration.md, and each
// image must copy what its programs load and nothing of the dev tooling; and the CMS's production environment,
// exactly as compose writes it (tests/support/production-cms.ts), is refused with placeholder secret files by its
// settings reader. That environment with real secrets is booted by operations.test.ts, whose production CMS
// starts as compose configures it (no Strapi starts here). The stack really running in Docker is
// tests/compose/stack.test.ts (`npm run test:compose`).
// @test-lane: own
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { SettingsDefinition, SettingsSpec } from '@agency/shared/server';
import { ROOT } from '../../scripts/common/paths.ts';
import { COMPOSE_SECRETS } from '../../scripts/ops/production-env.ts';
import { readEnvFile } from '../../scripts/stack/env-file.ts';
import { importClosure } from '../support/imports.ts';
import { productionEnv } from '../support/production-cms.ts';

// The CMS is CommonJS, loaded by path so the root type check does not take cms/ in (as configuration-docs.test.ts).
const { cmsSettings } = (await import(path.join(ROOT, 'cms', 'src', 'settings.ts'))) as { cmsSettings: SettingsDefinition<SettingsSpec> };

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  restart?: string;
  read_only?: boolean;
  tmpfs?: string[];
  mem_limit?: string;
  profiles?: string[];
  deploy?: { resources?: { limits?: { memory?: string } } };
  networks?: string[];
  secrets?: string[];
  security_opt?: string[];
  cap_drop?: string[];
  cap_add?: string[];
  user?: string;
  sysctls?: Record<string, string | number>;
};

// `merge`: the file shares its least-privilege settings through a YAML anchor (`<<: *least-privilege`).
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  networks: Record<string, { internal?: boolean } | null>;
  secrets: Record<string, { file: string }>;
};
const configuration = readFileSync(path.join(ROOT, 'docs', 'configuration.md'), 'utf8');
const example = readEnvFile(path.join(ROOT, '.env.example'));
const SECRET_NAME = /SECRET|KEY|SALT|PASSWORD|TOKEN/;

/** `${VAR}`, `${VAR:-default}`, `${VAR:?message}` → the variable names compose reads from the env file. */
function interpolated(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<!\$)\$\{([A-Z_][A-Z0-9_]*)(?::?[-?][^}]*)?\}/g)].map((m) => m[1]!))];
}

/** What a Dockerfile copies from the build context (not from another stage), as context-relative paths. */
function copiedSources(dockerfile: string): string[] {
  return [...readFileSync(path.join(ROOT, dockerfile), 'utf8').matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap((m) =>
    m[1]!.split(' '),
  );
}

/** The scripts a Dockerfile runs while building (`RUN node scripts/…`) or by default (`CMD ["node", "scripts/…"]`). */
function scriptsRun(dockerfile: string): string[] {
  return [...readFileSync(path.join(ROOT, dockerfile), 'utf8').matchAll(/\bnode"?,? "?(scripts\/[\w/.-]+\.ts)/g)].map((m) => m[1]!);
}

/** Whether an image that copies `sources` has `file` (an absolute path in the checkout). */
const copies = (sources: string[], file: string) =>
  sources.some((source) => {
    const copied = path.join(ROOT, source);
    return file === copied || file.startsWith(`${copied}${path.sep}`);
  });

describe('docker-compose.yml', () => {
  it('builds every image from a context and Dockerfile that exist, copying only files that exist', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.build) {
        expect(service.image, `${name} has an image or a build`).toBeTruthy();
        continue;
      }
      const context = path.join(ROOT, service.build.context);
      const dockerfile = path.join(context, service.build.dockerfile);
      expect(existsSync(dockerfile), `${name}: ${dockerfile}`).toBe(true);
      for (const [, sources] of readFileSync(dockerfile, 'utf8').matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)) {
        for (const source of sources!.split(' ')) expect(existsSync(path.join(context, source)), `${name} copies ${source}`).toBe(true);
      }
      for (const arg of service.command ?? []) {
        if (arg.endsWith('.ts')) expect(existsSync(path.join(ROOT, arg)), `${name} runs ${arg}`).toBe(true);
      }
    }
  });

  it('copies into the web image only the production programs (scripts/rebuild, scripts/common), no bench, ops or stack code', () => {
    const sources = copiedSources('web/Dockerfile');
    const scripts = sources.filter((source) => source === 'scripts' || source.startsWith('scripts/'));
    expect(scripts.sort()).toEqual(['scripts/common', 'scripts/rebuild']);
    expect(sources.filter((source) => /^scripts\/(bench|ops|stack)(\/|$)/.test(source))).toEqual([]);
    // Every file the web image's programs load is in the image.
    const programs = [
      ...scriptsRun('web/Dockerfile'),
      ...Object.values(compose.services)
        .filter((service) => service.build?.dockerfile === 'web/Dockerfile')
        .flatMap((service) => (service.command ?? []).filter((arg) => arg.endsWith('.ts'))),
    ];
    expect(programs).toContain('scripts/rebuild/rebuild-service.ts');
    expect(programs).toContain('scripts/rebuild/serve-site.ts');
    for (const program of programs) {
      const missing = importClosure(path.join(ROOT, program)).filter((file) => !copies(sources, file));
      expect(
        missing.map((file) => path.relative(ROOT, file)),
        `web image: ${program} loads`,
      ).toEqual([]);
    }
  });

  it('copies into the CMS image what builds it and the backup tools, with every file they load, and no other scripts', () => {
    const sources = copiedSources('cms/Dockerfile');
    expect(sources).not.toContain('scripts');
    expect(sources.filter((source) => /^scripts\/(bench|rebuild)(\/|$)/.test(source) || /audit|chromium|start\.ts/.test(source))).toEqual(
      [],
    );
    const programs = [...scriptsRun('cms/Dockerfile'), 'scripts/ops/backup.ts', 'scripts/ops/restore.ts'];
    expect(programs).toContain('scripts/stack/build-cms.ts');
    for (const program of programs) {
      const missing = importClosure(path.join(ROOT, program)).filter((file) => !copies(sources, file));
      expect(
        missing.map((file) => path.relative(ROOT, file)),
        `CMS image: ${program} loads`,
      ).toEqual([]);
    }
  });

  it('installs in each image only its own workspace’s production dependencies, settings first, sources in one step', () => {
    for (const [dockerfile, workspace] of [
      ['cms/Dockerfile', 'cms'],
      ['web/Dockerfile', 'web'],
    ] as const) {
      const text = readFileSync(path.join(ROOT, dockerfile), 'utf8');
      const installs = [...text.matchAll(/^RUN .*$/gm)]
        .flatMap((m) => m[0].match(/\bnpm (?:ci|install)\b[^&]*/g) ?? [])
        .map((s) => s.trim());
      expect(installs, dockerfile).toEqual([`npm ci --omit=dev --workspace ${workspace} --ignore-scripts --no-audit --no-fund`]);
      // The image is built where it runs: with vfs every instruction is a full copy of the image so far, so after
      // the install (node_modules in the image) there are no settings, and the sources arrive in one COPY from
      // their own stage; no later stage copies the whole app across again.
      const final = text.slice(text.lastIndexOf('\nFROM '));
      const install = final.search(/^RUN .*\bnpm ci\b/m);
      expect(install, dockerfile).toBeGreaterThan(0);
      const [before, after] = [final.slice(0, install), final.slice(install)];
      for (const setting of ['ENV', 'CMD', 'USER node']) expect(before, dockerfile).toMatch(new RegExp(`^${setting}\\b`, 'm'));
      expect(after, dockerfile).not.toMatch(/^(ENV|EXPOSE|HEALTHCHECK|CMD|USER|WORKDIR|ARG|LABEL|VOLUME) /m);
      expect(
        [...after.matchAll(/^COPY .*$/gm)].map((m) => m[0]),
        dockerfile,
      ).toEqual(['COPY --from=sources --chown=node:node /app /app']);
    }
  });

  it('works with Compose v2 and Debian’s docker-compose 1.29: no top-level name (the project is `-p agency`)', () => {
    expect(Object.keys(compose).sort()).toEqual(['networks', 'secrets', 'services', 'volumes', 'x-least-privilege']);
  });

  it('puts each service on the networks it needs only: Postgres reached by the CMS alone, the preview by Caddy and the CMS, the rebuild service by the CMS', () => {
    const networks = Object.fromEntries(
      Object.entries(compose.services).map(([name, service]) => [name, [...(service.networks ?? [])].sort()]),
    );
    expect(networks).toEqual({
      caddy: ['edge'],
      postgres: ['database'],
      cms: ['database', 'edge', 'hooks', 'mail'],
      rebuild: ['hooks'],
      preview: ['edge'],
      mailpit: ['mail'],
    });
    // Who shares a network with whom, the way Docker resolves names: only the CMS with Postgres and the rebuild service.
    const peers = (service: string) =>
      Object.keys(compose.services)
        .filter((other) => other !== service && networks[other]!.some((network) => networks[service]!.includes(network)))
        .sort();
    expect(peers('postgres')).toEqual(['cms']);
    expect(peers('rebuild')).toEqual(['cms']);
    expect(peers('preview')).toEqual(['caddy', 'cms']);
    // The database's network has no route out.
    expect(compose.networks.database).toEqual({ internal: true });
  });

  it('drops every capability and forbids gaining one in every service; Caddy and Postgres run as unprivileged users', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.security_opt, `${name} security_opt`).toEqual(['no-new-privileges:true']);
      expect(service.cap_drop, `${name} cap_drop`).toEqual(['ALL']);
      expect(service.cap_add, `${name} cap_add`).toBeUndefined();
    }
    // Caddy's image runs as an unprivileged user (web/caddy/Dockerfile); it binds 80 and 443 with no capability.
    const caddyfile = readFileSync(path.join(ROOT, 'web', 'caddy', 'Dockerfile'), 'utf8');
    expect(caddyfile).toMatch(/^USER 10001:10001$/m);
    expect(compose.services.caddy!.sysctls).toEqual({ 'net.ipv4.ip_unprivileged_port_start': 80 });
    expect(compose.services.postgres!.user).toBe('postgres');
    // The node images run as `node` (cms/Dockerfile, web/Dockerfile: USER node before the install).
  });

  it('passes secrets as files: no secret in any environment, every NAME_FILE a secret its service mounts, each one production-env writes', () => {
    expect(Object.keys(compose.secrets).sort()).toEqual(Object.keys(COMPOSE_SECRETS).sort());
    for (const [secret, { file }] of Object.entries(compose.secrets)) expect(file).toBe(`\${SECRETS_DIR:-./secrets}/${secret}`);
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!key.endsWith('_FILE')) continue;
        const secret = String(value).replace(/^\/run\/secrets\//, '');
        expect(String(value), `${name}.${key}`).toBe(`/run/secrets/${secret}`);
        expect(service.secrets, `${name} mounts ${secret}`).toContain(secret);
        // POSTGRES_PASSWORD_FILE is the official image's name for the database password.
        expect(key === 'POSTGRES_PASSWORD_FILE' ? 'DATABASE_PASSWORD' : key.slice(0, -'_FILE'.length)).toBe(
          COMPOSE_SECRETS[secret as keyof typeof COMPOSE_SECRETS],
        );
      }
      // A service mounts only the secrets it reads.
      const read = Object.values(service.environment ?? {}).map((value) => String(value).replace(/^\/run\/secrets\//, ''));
      for (const secret of service.secrets ?? []) expect(read, `${name} reads ${secret}`).toContain(secret);
    }
    // ADMIN_PASSWORD is no longer required by compose: only the first boot needs it (cms/src/bootstrap/first-admin.ts).
    expect(JSON.stringify(compose)).not.toContain('set ADMIN_PASSWORD');
  });

  it('builds on the official base images by default, replaceable by build argument (the local stand-ins)', () => {
    for (const dockerfile of ['cms/Dockerfile', 'web/Dockerfile']) {
      const text = readFileSync(path.join(ROOT, dockerfile), 'utf8');
      expect(text, dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
      // Every stage starts from the base image or from an earlier stage; the final stage from the base.
      const stages = [...text.matchAll(/^FROM (\S+)(?: AS (\S+))?$/gm)].map((m) => ({ from: m[1]!, name: m[2] }));
      stages.forEach(({ from }, index) =>
        expect(['${NODE_IMAGE}', ...stages.slice(0, index).map((stage) => stage.name)], `${dockerfile}: FROM ${from}`).toContain(from),
      );
      expect(stages.at(-1)!.from, dockerfile).toBe('${NODE_IMAGE}');
    }
    // Caddy: the official image under an unprivileged user (web/caddy/Dockerfile), replaceable the same way.
    expect(readFileSync(path.join(ROOT, 'web', 'caddy', 'Dockerfile'), 'utf8')).toMatch(
      /^ARG CADDY_IMAGE=caddy:2\nFROM \$\{CADDY_IMAGE\}$/m,
    );
    expect(compose.services.mailpit!.image).toBe('axllent/mailpit');
    expect(compose.services.postgres!.image).toBe('postgres:15-bookworm');
    // The override swaps images and build arguments only, for services that exist.
    const local = parse(readFileSync(path.join(ROOT, 'tests', 'compose', 'local-images.yml'), 'utf8')) as typeof compose;
    expect(Object.keys(local)).toEqual(['services']);
    for (const [name, service] of Object.entries(local.services)) {
      expect(compose.services[name], name).toBeDefined();
      expect(Object.keys(service), name).toEqual([compose.services[name]!.build ? 'build' : 'image']);
    }
  });

  it('documents every variable it reads in docs/configuration.md and .env.example', () => {
    for (const name of interpolated(JSON.stringify(compose))) {
      expect(configuration, `docs/configuration.md documents ${name}`).toContain(`\`${name}\``);
      expect(Object.keys(example), `.env.example has ${name}`).toContain(name);
    }
    for (const name of Object.keys(example)) expect(configuration, `docs/configuration.md documents ${name}`).toContain(`\`${name}\``);
  });

  it('has a healthcheck on every service and waits for health before starting dependants', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test.length, `${name} healthcheck`).toBeGreaterThan(0);
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(compose.services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
      }
    }
    expect(Object.keys(compose.services.cms!.depends_on!)).toEqual(['postgres']);
  });

  it('keeps every stateful service’s data on a named volume', () => {
    const mounts = (service: string) => compose.services[service]!.volumes ?? [];
    expect(mounts('postgres')).toContain('postgres-data:/var/lib/postgresql/data');
    // The whole public folder: a restore moves uploads/ aside inside it (tests/compose/stack.test.ts found it).
    expect(mounts('cms')).toContain('uploads:/app/cms/public');
    expect(mounts('rebuild')).toEqual(['site:/srv/site', 'site-cache:/srv/cache']);
    expect(compose.services.rebuild!.environment!.SITE_CACHE_DIR).toBe('/srv/cache');
    expect(mounts('caddy')).toContain('site:/srv/site:ro');
    expect(mounts('caddy')).toEqual(expect.arrayContaining(['caddy-data:/data', 'caddy-config:/config']));
    expect(Object.keys(compose.volumes).sort()).toEqual(['caddy-config', 'caddy-data', 'postgres-data', 'site', 'site-cache', 'uploads']);
  });

  it('publishes ports from Caddy only, which serves the live build the rebuild service switches, with the repository’s Caddyfile', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (name !== 'caddy' && name !== 'mailpit') expect(service.ports, `${name} publishes no port`).toBeUndefined();
    }
    // A trial's mail catcher only, on this machine only unless the env file says otherwise.
    expect(compose.services.mailpit!.profiles).toEqual(['trial']);
    expect(compose.services.mailpit!.ports).toEqual(['${MAILPIT_PUBLISH:-127.0.0.1:8025}:8025']);
    // 80 and 443 on every interface unless the env file narrows them (a trial reached from this machine only).
    expect(compose.services.caddy!.ports).toEqual(['${PUBLISH_HTTP:-80}:80', '${PUBLISH_HTTPS:-443}:443', '${PUBLISH_HTTPS:-443}:443/udp']);
    const caddyfile = compose.services.caddy!.volumes!.find((mount) => mount.endsWith(':/etc/caddy/Caddyfile:ro'))!;
    expect(existsSync(path.join(ROOT, caddyfile.split(':')[0]!))).toBe(true);
    expect(caddyfile.split(':')[0]).toBe('./web/caddy/Caddyfile');
    const environment = compose.services.caddy!.environment!;
    expect(environment.SITE_ROOT).toBe(`${compose.services.rebuild!.environment!.SITE_DIR}/current`);
    expect(environment.CMS_UPSTREAM).toBe(`cms:${compose.services.cms!.environment!.PORT}`);
    expect(environment.PREVIEW_UPSTREAM).toBe(`preview:${compose.services.preview!.environment!.PORT}`);
    // One proxy in front of the CMS: the form's rate limit trusts its X-Forwarded-For entry.
    expect(compose.services.cms!.environment!.TRUSTED_PROXY_HOPS).toBe(1);
  });

  it('runs every service as operators expect: restarted unless stopped, memory-limited, read-only where it writes nowhere', () => {
    // These write inside their image while they run (Strapi's temporary files, Astro's build cache).
    const writable = ['cms', 'rebuild'];
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.restart, `${name} restart`).toBe('unless-stopped');
      expect(service.mem_limit ?? service.deploy?.resources?.limits?.memory, `${name} memory limit`).toMatch(/^\d+[kmg]$/);
      if (writable.includes(name)) expect(service.read_only, `${name} read_only`).toBeUndefined();
      else {
        expect(service.read_only, `${name} read_only`).toBe(true);
        expect(service.tmpfs, `${name} has a writable /tmp`).toContain('/tmp');
      }
    }
    expect(Object.keys(compose.services).sort()).toEqual(['caddy', 'cms', 'mailpit', 'postgres', 'preview', 'rebuild']);
  });

  it('holds no secret literals: every secret comes from the env file, and the example’s are placeholders', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        // Secrets are files (NAME_FILE, checked above); what is left comes from the env file: required ones are
        // `${NAME:?…}`, an optional one (S3 keys: a bucket may be reached by an IAM role) is `${NAME:-}`, empty unless
        // the env file sets it. Never a literal.
        if (SECRET_NAME.test(key) && !key.endsWith('_FILE'))
          expect(String(value), `${name}.${key}`).toMatch(/^\$\{[A-Z0-9_]+(:\?[^}]+|:-)\}$/);
      }
    }
    for (const [key, value] of Object.entries(example)) {
      const optional = /^S3_/.test(key);
      // SECRETS_DIR is where the secret files are, not a secret.
      if ((SECRET_NAME.test(key) || key === 'APP_KEYS') && key !== 'SECRETS_DIR') expect(value, key).toMatch(optional ? /^$/ : /change-me/);
    }
    expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^\.env\.\*$/m);
  });
});

describe('the production CMS as compose configures it', () => {
  // Started, exactly as compose configures it, by operations.test.ts (its first admin made from the secret files,
  // its rebuild webhook, its content backed up and restored): one production CMS for the run's operations tests.
  it('refuses to start with placeholder secrets in its secret files, naming one', async () => {
    // What an operator gets who copies the example's "change-me" into every secret file. Read by the CMS's own
    // settings reader, from the environment the CMS process would get: that a refused setting stops the boot
    // with its message is security.test.ts's one real refused boot (the reader is the same for files).
    const production = await productionEnv({
      ...example,
      ...Object.fromEntries(Object.values(COMPOSE_SECRETS).map((name) => [name, 'change-me'])),
    });
    try {
      expect(() => cmsSettings.read({ ...process.env, ...production.env })).toThrow(/is missing or is a placeholder/);
    } finally {
      production.remove();
    }
  });
});
