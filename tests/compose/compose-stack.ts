// Drives one compose project of docker-compose.yml (with the local stand-ins of tests/compose/local-images.yml and
// the test's faster healthchecks, tests/compose/fast-health.yml) the way docs/deployment.md tells an operator to:
// docker-compose with a project name and an env file. Works with Debian's docker-compose 1.29 (no top-level
// `name:`) and with Compose v2 (`docker compose`).
import { spawnSync } from 'node:child_process';
import { run } from '../../scripts/common/children.ts';
import { ROOT } from '../../scripts/common/paths.ts';
import { sleep } from '../../scripts/common/sleep.ts';

/** `docker-compose` when installed (Debian's 1.29), else `docker compose` (v2). */
function composeCommand(): string[] {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  throw new Error('Neither docker-compose nor `docker compose` works here: install docker.io and docker-compose (docs/deployment.md).');
}

// The local stand-ins of the base images, then the test's own healthcheck intervals (fast-health.yml says why).
const COMPOSE_FILES = ['docker-compose.yml', 'tests/compose/local-images.yml', 'tests/compose/fast-health.yml'];
/** The trial profile adds Mailpit, where the test reads the consultation mails. */
const PROFILE = ['--profile', 'trial'];

async function docker(args: string[]): Promise<string> {
  const result = await run('docker', args, { cwd: ROOT });
  if (result.code !== 0) throw new Error(`docker ${args.join(' ')} failed (exit ${result.code}):\n${result.output.slice(-3000)}`);
  return result.output.trim();
}

export class ComposeStack {
  private readonly command = composeCommand();

  readonly project: string;
  readonly envFile: string;

  constructor(project: string, envFile: string) {
    this.project = project;
    this.envFile = envFile;
  }

  private options(): string[] {
    return ['-p', this.project, ...COMPOSE_FILES.flatMap((file) => ['-f', file]), ...PROFILE, '--env-file', this.envFile];
  }

  /** The command line an operator types, for messages and the log. */
  describe(args: string[]): string {
    return [
      ...this.command,
      '-p',
      this.project,
      ...COMPOSE_FILES.flatMap((file) => ['-f', file]),
      '--env-file',
      this.envFile,
      ...args,
    ].join(' ');
  }

  async compose(args: string[], options: { onLine?: (line: string) => void } = {}): Promise<string> {
    const [bin, ...pre] = this.command;
    const full = [...pre, ...this.options(), ...args];
    // With Docker's vfs storage, creating a container copies its whole image (over a minute for the CMS's), past
    // docker-compose 1.29's 60-second API timeout.
    const env = { ...process.env, COMPOSE_HTTP_TIMEOUT: process.env.COMPOSE_HTTP_TIMEOUT ?? '600' };
    const result = await run(bin!, full, { cwd: ROOT, env, onLine: options.onLine });
    if (result.code !== 0) throw new Error(`${this.describe(args)} failed (exit ${result.code}):\n${result.output.slice(-4000)}`);
    return result.output.trim();
  }

  /** The container id of a service (its one container). */
  async container(service: string): Promise<string> {
    const id = (await this.compose(['ps', '-q', service])).split('\n').filter(Boolean).pop();
    if (!id) throw new Error(`${this.describe(['ps', service])}: the ${service} service has no container.`);
    return id;
  }

  /** `docker inspect` of a container, one Go template. */
  inspect(id: string, template: string): Promise<string> {
    return docker(['inspect', '-f', template, id]);
  }

  /**
   * Each service's container state in one `docker ps` call ("running/healthy", "running/starting", "exited/", …),
   * by the labels compose puts on its containers; one-off `run` containers are left out.
   */
  async states(): Promise<Record<string, string>> {
    const lines = await docker([
      'ps',
      '--all',
      '--filter',
      `label=com.docker.compose.project=${this.project}`,
      '--filter',
      'label=com.docker.compose.oneoff=False',
      '--format',
      '{{.Label "com.docker.compose.service"}}\t{{.State}}\t{{.Status}}',
    ]);
    const states: Record<string, string> = {};
    for (const line of lines.split('\n').filter(Boolean)) {
      const [service, state, status] = line.split('\t');
      // `docker ps` shows the healthcheck's verdict in the status only: "Up 5 seconds (health: starting)".
      const health = /\((?:health: )?(healthy|unhealthy|starting)\)/.exec(status ?? '')?.[1] ?? '';
      states[service!] = `${state}/${health}`;
    }
    return states;
  }

  /**
   * Waits until every service's container is running and its healthcheck passes, asking Docker once a second with
   * one `docker ps` (not a compose and an inspect per service); throws with the laggards' states and logs.
   */
  async waitHealthy(services: string[], timeoutMs = 300_000): Promise<number> {
    const started = Date.now();
    let states: Record<string, string> = {};
    while (Date.now() - started < timeoutMs) {
      const all = await this.states();
      states = Object.fromEntries(services.map((service) => [service, all[service] ?? 'missing']));
      if (Object.values(states).every((state) => state === 'running/healthy')) return Date.now() - started;
      await sleep(1000);
    }
    const logs = await this.compose(['logs', '--tail', '40', ...services.filter((service) => states[service] !== 'running/healthy')]).catch(
      (error: Error) => error.message,
    );
    throw new Error(`Not healthy after ${timeoutMs / 1000} s: ${JSON.stringify(states)}\n${logs.slice(-6000)}`);
  }

  /** Copies a file out of a service's container. */
  async copyOut(service: string, from: string, to: string): Promise<void> {
    await docker(['cp', `${await this.container(service)}:${from}`, to]);
  }

  /** The main process's id on the host, to kill the container as a crash (or the kernel's OOM killer) would. */
  async hostPid(service: string): Promise<number> {
    return Number(await this.inspect(await this.container(service), '{{.State.Pid}}'));
  }

  async restartCount(service: string): Promise<number> {
    return Number(await this.inspect(await this.container(service), '{{.RestartCount}}'));
  }

  /** Waits until Docker has restarted the service's container since it counted `before` restarts. */
  async waitRestarted(service: string, before: number, timeoutMs = 60_000): Promise<void> {
    const id = await this.container(service);
    const started = Date.now();
    let count = before;
    while (Date.now() - started < timeoutMs) {
      count = Number(await this.inspect(id, '{{.RestartCount}}'));
      if (count > before) return;
      await sleep(250);
    }
    throw new Error(
      `${service} was not restarted within ${timeoutMs / 1000} s (restart count still ${count}): is its restart policy gone?`,
    );
  }
}

/** Bytes of each image, by name (`docker images`), for the closing note. */
export async function imageSizes(names: string[]): Promise<Record<string, string>> {
  const sizes: Record<string, string> = {};
  for (const name of names) sizes[name] = await docker(['images', '--format', '{{.Size}}', name]).catch(() => 'missing');
  return sizes;
}
