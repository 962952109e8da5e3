// .github/workflows/site.yml, read as GitHub reads it (YAML 1.2): what triggers it, that runs never pile up,
// least-privilege permissions, secrets instead of literal URLs or tokens, the build the repository really
// has, and a GitHub Pages deployment. Fast: no Strapi, no network.
// @test-lane: own
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, WEB_DIR } from '../../scripts/common/paths.ts';
import { DISPATCH_EVENT_TYPE } from '../../scripts/rebuild/publishers.ts';
import { siteBuildSettings } from '../../web/src/settings.ts';

type Step = { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, unknown> };
type Job = {
  needs?: string | string[];
  permissions?: Record<string, string> | string;
  environment?: string | { name: string; url?: string };
  steps: Step[];
  'runs-on': string;
};
type Workflow = {
  on: Record<string, unknown>;
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean | string };
  permissions?: Record<string, string> | string;
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
};

const FILE = path.join(ROOT, '.github', 'workflows', 'site.yml');
const raw = readFileSync(FILE, 'utf8');
const workflow = parse(raw, { strict: true, uniqueKeys: true }) as Workflow;
const REBUILDS_DOC = readFileSync(path.join(ROOT, 'docs', 'rebuilds.md'), 'utf8');

const jobs = Object.entries(workflow.jobs);
const allSteps = jobs.flatMap(([, job]) => job.steps);
const stepIndex = (job: Job, match: (step: Step) => boolean) => job.steps.findIndex(match);
const runs = (command: RegExp) => (step: Step) => typeof step.run === 'string' && command.test(step.run);
const uses = (action: string) => (step: Step) => typeof step.uses === 'string' && step.uses.startsWith(`${action}@`);

/** Every string value in the parsed workflow (comments are not values). */
function strings(value: unknown, at = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => strings(item, at ? `${at}.${key}` : key));
  return [];
}

/** Effective permissions of a job: its own block replaces the workflow's. */
function permissionsOf(job: Job): Record<string, string> {
  const block = job.permissions ?? workflow.permissions;
  if (!block || typeof block === 'string') throw new Error(`permissions must be a map, not ${JSON.stringify(block)}`);
  return block;
}

describe('.github/workflows/site.yml', () => {
  it('is valid YAML with a name, jobs and steps', () => {
    expect(workflow).toBeTypeOf('object');
    expect(jobs.length).toBeGreaterThan(0);
    for (const [name, job] of jobs) {
      expect(job['runs-on'], name).toBeTruthy();
      expect(job.steps.length, name).toBeGreaterThan(0);
      for (const step of job.steps)
        expect(Boolean(step.uses) !== Boolean(step.run), `${name}: a step has exactly one of uses/run`).toBe(true);
    }
  });

  it('runs on a push to main, by hand, and on the relay’s repository_dispatch type only', () => {
    // YAML 1.2 keeps `on` a string key (YAML 1.1 would have made it `true`).
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'repository_dispatch', 'workflow_dispatch']);
    expect(workflow.on.push).toEqual({ branches: ['main'] });
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect(workflow.on.repository_dispatch).toEqual({ types: [DISPATCH_EVENT_TYPE] });
    // The relay sends this exact string (tests/integration/relay.test.ts checks the wire).
    expect(DISPATCH_EVENT_TYPE).toBe('cms-content-changed');
  });

  it('never piles up runs: one fixed concurrency group, and a deploy in flight is not cancelled', () => {
    const concurrency = workflow.concurrency;
    expect(concurrency, 'concurrency must be set at the workflow level').toBeTypeOf('object');
    const { group, 'cancel-in-progress': cancel } = concurrency as { group: string; 'cancel-in-progress'?: boolean };
    expect(group).toMatch(/\S/);
    // A group that varies per ref or run would let runs pile up side by side.
    expect(group).not.toMatch(/\$\{\{/);
    expect(cancel).toBe(false);
    // The reason is written down next to it.
    expect(raw).toMatch(/queued run always rebuilds with the latest\s*(#\s*)?content/);
  });

  it('grants least privilege: read-only by default, Pages and OIDC for the deploy job only', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of jobs) {
      const permissions = permissionsOf(job);
      const writes = Object.entries(permissions)
        .filter(([, level]) => level === 'write')
        .map(([scope]) => scope)
        .sort();
      if (name === 'deploy') expect(writes).toEqual(['id-token', 'pages']);
      else expect(writes, name).toEqual([]);
    }
    expect(permissionsOf(workflow.jobs.deploy!)).toMatchObject({ contents: 'read', pages: 'write', 'id-token': 'write' });
  });

  it('builds with the repository’s own Node and scripts: setup-node 24, npm ci, then npm run build -w web', () => {
    const build = workflow.jobs.build!;
    const checkout = stepIndex(build, uses('actions/checkout'));
    const node = stepIndex(build, uses('actions/setup-node'));
    const install = stepIndex(build, runs(/^npm ci\b/m));
    const site = stepIndex(build, runs(/^npm run build -w web\b/m));
    const upload = stepIndex(build, uses('actions/upload-pages-artifact'));
    for (const [what, index] of Object.entries({ checkout, node, install, site, upload })) expect(index, what).toBeGreaterThanOrEqual(0);
    expect(checkout).toBeLessThan(install);
    expect(node).toBeLessThan(install);
    expect(install).toBeLessThan(site);
    expect(site).toBeLessThan(upload);
    expect(String(build.steps[node]!.with?.['node-version'])).toBe('24');

    // The commands exist: the root installs Node 24 (`node` devDependency) and builds shared/ in postinstall,
    // and the web workspace has a build script.
    const rootPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(rootPackage.devDependencies.node).toMatch(/^24\./);
    expect(rootPackage.scripts.postinstall).toMatch(/build -w shared/);
    const webPackage = JSON.parse(readFileSync(path.join(WEB_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(webPackage.scripts.build).toMatch(/astro build/);
  });

  it('reads the CMS URL and token from secrets, and builds where it uploads from', () => {
    const build = workflow.jobs.build!;
    const env = build.steps[stepIndex(build, runs(/^npm run build -w web\b/m))]!.env ?? {};
    expect(env.CMS_URL).toMatch(/^\$\{\{\s*secrets\.CMS_URL\s*\}\}$/);
    expect(env.CMS_TOKEN).toMatch(/^\$\{\{\s*secrets\.CMS_READ_TOKEN\s*\}\}$/);
    expect(env.SITE_URL).toMatch(/^\$\{\{.*(vars\.SITE_URL|steps\.pages\.outputs\.base_url).*\}\}$/);
    // web/astro.config.mjs takes the output directory and the site URL from the site build's settings.
    const astroConfig = readFileSync(path.join(WEB_DIR, 'astro.config.mjs'), 'utf8');
    expect(Object.keys(siteBuildSettings.spec)).toEqual(expect.arrayContaining(['SITE_OUT_DIR', 'SITE_URL', 'CMS_URL', 'CMS_TOKEN']));
    expect(astroConfig).toContain('settings.SITE_OUT_DIR');
    expect(astroConfig).toContain('settings.SITE_URL');
    const outDir = String(env.SITE_OUT_DIR);
    const uploaded = String(build.steps[stepIndex(build, uses('actions/upload-pages-artifact'))]!.with?.path);
    expect(uploaded).toBe('web/dist');
    expect(outDir === uploaded || outDir.replace(/^\$\{\{\s*github\.workspace\s*\}\}\//, '') === uploaded || outDir === 'dist').toBe(true);
  });

  it('contains no literal URL, token or secret value: only ${{ secrets.X }} references', () => {
    for (const [at, value] of strings(workflow)) {
      expect(value, at).not.toMatch(/https?:\/\//);
      expect(value, at).not.toMatch(/\b(ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{10,}/);
      expect(value, at).not.toMatch(/[A-Za-z0-9+/_-]{40,}/);
    }
    // Credentials-like settings in any env block come from secrets.
    const envBlocks = [workflow.env ?? {}, ...allSteps.map((step) => step.env ?? {})];
    for (const env of envBlocks) {
      for (const [key, value] of Object.entries(env)) {
        if (/TOKEN|SECRET|PASSWORD|KEY$|^CMS_URL$/.test(key)) expect(String(value), key).toMatch(/^\$\{\{\s*secrets\.[A-Z0-9_]+\s*\}\}$/);
      }
    }
  });

  it('never interpolates the dispatch payload (untrusted input) into a script', () => {
    for (const step of allSteps) {
      if (!step.run) continue;
      expect(step.run, step.name).not.toMatch(/\$\{\{[^}]*github\.event\./);
    }
    // The payload is shown, as information, through an environment variable.
    expect(raw).toMatch(/client_payload[\s\S]*informational|informational[\s\S]*client_payload/);
  });

  it('documents every secret it uses in docs/rebuilds.md', () => {
    const secrets = [...new Set([...raw.matchAll(/\$\{\{[^}]*?\bsecrets\.([A-Za-z0-9_]+)/g)].map((match) => match[1]!))];
    expect(secrets.sort()).toEqual(['CMS_READ_TOKEN', 'CMS_URL']);
    const section = REBUILDS_DOC.slice(REBUILDS_DOC.indexOf('## Rebuilds in CI (GitHub Pages)'));
    expect(REBUILDS_DOC).toContain('## Rebuilds in CI (GitHub Pages)');
    for (const secret of secrets) expect(section, secret).toContain(`\`${secret}\``);
  });

  it('deploys to GitHub Pages after the build, in the github-pages environment', () => {
    const deploy = workflow.jobs.deploy!;
    expect([deploy.needs].flat()).toContain('build');
    const environment = deploy.environment;
    expect(typeof environment === 'string' ? environment : environment?.name).toBe('github-pages');
    expect(deploy.steps.some(uses('actions/deploy-pages'))).toBe(true);
    // Where to plug another host is written down.
    expect(raw).toMatch(/Another host/);
  });

  it('pins every action to a version', () => {
    for (const step of allSteps) if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
  });
});
