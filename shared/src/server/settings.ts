// Settings from the environment, declared once per program and validated in one pass.
//
// Each program (npm start, the rebuild service, the static server, the site build, the CMS, backups…) has one
// `defineSettings(...)` that lists every variable it reads, with its default and a description. Reading checks
// all of them and throws one SettingsError naming every bad variable, with the value shown (credentials in a
// URL redacted, secrets never). docs/configuration.md lists the same variables; a test holds the two together.
//
// Any variable may instead be given as NAME_FILE, the path of a file holding its value (Docker's and compose's
// secrets are files under /run/secrets): a secret then never sits in a process's environment, where
// `docker inspect`, /proc/<pid>/environ and every child process can read it. One mechanism, for every program.
import { readFileSync } from 'node:fs';

type Env = Record<string, string | undefined>;

/** A bad setting, worded for the person who set it. Its message lists every problem found, one per line. */
export class SettingsError extends Error {
  override name = 'SettingsError';
  readonly problems: readonly string[];
  /** What to do about them (each setting's `advice`, once each), after the list. */
  readonly advice: readonly string[];

  constructor(program: string, problems: readonly string[], advice: readonly string[] = []) {
    const list =
      problems.length === 1
        ? `${problems[0]}`
        : `${program}: ${problems.length} settings need fixing:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    super(advice.length === 0 ? list : `${list}${problems.length === 1 ? ' ' : '\n'}${advice.join(' ')}`);
    this.problems = problems;
    this.advice = advice;
  }
}

/** A URL as it may appear in an error or a log line: any `user:password@` replaced by `***@`. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/[^/@\s]*@/, '//***@');
}

/** One variable: how to read it, what the docs say about it, and whether its value may ever be shown. */
export type Setting<T> = {
  /** Parses the trimmed raw value (undefined when unset or blank); returns the value or a problem ("must be …"). */
  parse: (raw: string | undefined) => { value: T } | { problem: string };
  /** One sentence for docs/configuration.md. */
  description: string;
  /** The default as the docs show it, or undefined when the variable has none (required or optional). */
  default?: string;
  /** Secrets are never echoed back in an error message. */
  secret?: boolean;
  /** What to do when it is wrong (how to generate it, where it comes from): said once after all the problems. */
  advice?: string;
};

export type SettingsSpec = Record<string, Setting<unknown>>;
export type SettingsOf<S extends SettingsSpec> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

export type SettingsDefinition<S extends SettingsSpec> = {
  /** Who reads these (`rebuild service`, `site build`…), for messages and the docs check. */
  program: string;
  spec: S;
  /** Reads and validates every variable; throws one SettingsError listing all the problems. */
  read: (env?: Env) => SettingsOf<S>;
};

export type SettingsOptions<S extends SettingsSpec> = {
  /**
   * Rules that involve several variables (`REBUILD_URL` needs `WEBHOOK_TOKEN`), checked in the same pass.
   * `values` holds what was read: a variable that failed its own check is undefined, an unset optional one
   * null. Returns whole sentences (never quoting a secret), or none.
   */
  check?: (values: Partial<SettingsOf<S>>) => readonly string[];
};

export function defineSettings<S extends SettingsSpec>(program: string, spec: S, options: SettingsOptions<S> = {}): SettingsDefinition<S> {
  return {
    program,
    spec,
    read(env: Env = process.env) {
      const values: Record<string, unknown> = {};
      const problems: string[] = [];
      const advice = new Set<string>();
      for (const [name, setting] of Object.entries(spec)) {
        const given = fromEnvOrFile(env, name);
        if ('problem' in given) {
          problems.push(given.problem);
          continue;
        }
        const raw = given.raw;
        const result = setting.parse(raw);
        if ('problem' in result) {
          const shown = raw === undefined ? 'it is not set' : setting.secret ? 'its value is not shown' : `not "${redactUrl(raw)}"`;
          problems.push(`${name} ${result.problem}, ${shown}.`);
          if (setting.advice) advice.add(setting.advice);
        } else values[name] = result.value;
      }
      problems.push(...(options.check?.(values as Partial<SettingsOf<S>>) ?? []));
      if (problems.length > 0) throw new SettingsError(program, problems, [...advice]);
      return values as SettingsOf<S>;
    },
  };
}

/**
 * The trimmed raw value of `name` (undefined when unset or blank), from the variable itself or from the file
 * that `name_FILE` names. Both set is refused: which one wins would be a guess.
 */
function fromEnvOrFile(env: Env, name: string): { raw: string | undefined } | { problem: string } {
  const blankIsUnset = (value: string | undefined) => (value?.trim() === '' ? undefined : value?.trim());
  const direct = blankIsUnset(env[name]);
  const file = blankIsUnset(env[`${name}_FILE`]);
  if (file === undefined) return { raw: direct };
  if (direct !== undefined)
    return { problem: `${name} and ${name}_FILE are both set: set one of them (${name}_FILE names a file holding the value).` };
  try {
    return { raw: blankIsUnset(readFileSync(file, 'utf8')) };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      problem: `${name}_FILE is "${file}", which cannot be read (${reason}): it must name a file the program's user may read, holding ${name}'s value.`,
    };
  }
}

// ---------------------------------------------------------------------------------------------------------
// The kinds of setting. Each takes its description last, so a declaration reads as a table row.

const ok = <T>(value: T) => ({ value });
const problem = (text: string) => ({ problem: text });

export function port(fallback: number, description: string): Setting<number> {
  return {
    description,
    default: String(fallback),
    parse: (raw) => {
      if (raw === undefined) return ok(fallback);
      const value = Number(raw);
      return Number.isInteger(value) && value >= 1 && value <= 65535 ? ok(value) : problem('must be a port number from 1 to 65535');
    },
  };
}

/** A whole number within bounds (milliseconds, counts). */
export function integer(fallback: number, bounds: { min: number; max: number; unit?: string }, description: string): Setting<number> {
  const what = `must be a whole number${bounds.unit ? ` of ${bounds.unit}` : ''} from ${bounds.min} to ${bounds.max}`;
  return {
    description,
    default: String(fallback),
    parse: (raw) => {
      if (raw === undefined) return ok(fallback);
      const value = Number(raw);
      return Number.isInteger(value) && value >= bounds.min && value <= bounds.max ? ok(value) : problem(what);
    },
  };
}

/**
 * An http(s) base URL without credentials, query or fragment (credentials belong in their own secret variable,
 * or they would reach logs and /status), returned without a trailing slash. `fallback` null: optional.
 */
export function httpUrl<F extends string | null>(
  fallback: F,
  description: string,
  docDefault?: string,
): Setting<F extends string ? string : string | null> {
  type Out = F extends string ? string : string | null;
  const example = fallback ?? 'https://cms.example.com';
  return {
    description,
    default: docDefault ?? fallback ?? undefined,
    parse: (raw) => {
      if (raw === undefined) return ok(fallback as unknown as Out);
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return problem(`must be an http(s) URL such as ${example}`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return problem(`must be an http(s) URL such as ${example}`);
      if (url.username || url.password) return problem('must not contain credentials (use the matching token variable)');
      if (url.search || url.hash) return problem('must be a base URL without a query or fragment');
      return ok(url.href.replace(/\/+$/, '') as Out);
    },
  };
}

/** A secret of at least `minLength` characters; never shown in a message. `required` false: null when unset. */
export function secret<R extends boolean>(
  options: { minLength: number; required: R; hint?: string },
  description: string,
): Setting<R extends true ? string : string | null> {
  type Out = R extends true ? string : string | null;
  const need = `must be a secret of at least ${options.minLength} characters${options.hint ? ` (${options.hint})` : ''}`;
  return {
    description,
    secret: true,
    parse: (raw) => {
      if (raw === undefined) return options.required ? problem(need) : ok(null as Out);
      return raw.length >= options.minLength ? ok(raw as Out) : problem(need);
    },
  };
}

/** One of a few words. */
export function choice<const C extends readonly string[]>(choices: C, fallback: C[number], description: string): Setting<C[number]> {
  return {
    description,
    default: fallback,
    parse: (raw) => {
      if (raw === undefined) return ok(fallback);
      return (choices as readonly string[]).includes(raw)
        ? ok(raw as C[number])
        : problem(`must be ${choices.map((c) => `"${c}"`).join(' or ')}`);
    },
  };
}

/** `true` or `false` (also 1/0, yes/no). */
export function flag(fallback: boolean, description: string): Setting<boolean> {
  return {
    description,
    default: String(fallback),
    parse: (raw) => {
      if (raw === undefined) return ok(fallback);
      if (/^(true|1|yes)$/i.test(raw)) return ok(true);
      if (/^(false|0|no)$/i.test(raw)) return ok(false);
      return problem('must be true or false');
    },
  };
}

/** Free text (a host name, a path, an e-mail address) checked by an optional pattern. Null fallback: optional. */
export function text<F extends string | null>(
  fallback: F,
  description: string,
  check?: { pattern: RegExp; problem: string },
  docDefault?: string,
): Setting<F extends string ? string : string | null> {
  type Out = F extends string ? string : string | null;
  return {
    description,
    default: docDefault ?? fallback ?? undefined,
    parse: (raw) => {
      if (raw === undefined) return ok(fallback as unknown as Out);
      return !check || check.pattern.test(raw) ? ok(raw as Out) : problem(check.problem);
    },
  };
}
