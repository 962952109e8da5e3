// Settings from the environment (src/server/settings.ts): each kind's default, accepted values and refusal,
// one SettingsError for every problem, secrets never shown, credentials in URLs redacted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SettingsError,
  choice,
  defineSettings,
  flag,
  httpUrl,
  integer,
  port,
  redactUrl,
  secret,
  text,
  type Setting,
} from '../src/server/index.ts';

/** Reads one setting as variable X, returning its value or the error message. */
function readOne<T>(setting: Setting<T>, raw?: string): { value: T } | { message: string } {
  try {
    return { value: defineSettings('test', { X: setting }).read(raw === undefined ? {} : { X: raw }).X as T };
  } catch (error) {
    if (error instanceof SettingsError) return { message: error.message };
    throw error;
  }
}

describe('the kinds of setting', () => {
  it('port: a default, a number from 1 to 65535', () => {
    const setting = port(4321, 'a port');
    expect(setting.default).toBe('4321');
    expect(readOne(setting)).toEqual({ value: 4321 });
    expect(readOne(setting, ' 8080 ')).toEqual({ value: 8080 });
    for (const raw of ['0', '65536', '80.5', 'http', '-1']) {
      expect(readOne(setting, raw)).toEqual({ message: `X must be a port number from 1 to 65535, not "${raw}".` });
    }
  });

  it('integer: a default, a whole number within bounds, its unit in the message', () => {
    const setting = integer(600_000, { min: 1_000, max: 86_400_000, unit: 'milliseconds' }, 'a window');
    expect(setting.default).toBe('600000');
    expect(readOne(setting)).toEqual({ value: 600_000 });
    expect(readOne(setting, '1000')).toEqual({ value: 1_000 });
    for (const raw of ['999', '86400001', '1.5', 'ten']) {
      expect(readOne(setting, raw)).toEqual({ message: `X must be a whole number of milliseconds from 1000 to 86400000, not "${raw}".` });
    }
    expect(readOne(integer(5, { min: 1, max: 10 }, 'a count'), '0')).toEqual({
      message: 'X must be a whole number from 1 to 10, not "0".',
    });
  });

  it('httpUrl: a default (or null: optional), returned without a trailing slash', () => {
    const setting = httpUrl('http://127.0.0.1:1337', 'the CMS');
    expect(setting.default).toBe('http://127.0.0.1:1337');
    expect(readOne(setting)).toEqual({ value: 'http://127.0.0.1:1337' });
    expect(readOne(setting, 'https://cms.example.com/')).toEqual({ value: 'https://cms.example.com' });
    expect(readOne(setting, 'https://example.com/base/path//')).toEqual({ value: 'https://example.com/base/path' });
    expect(readOne(httpUrl(null, 'optional'))).toEqual({ value: null });
    expect(httpUrl(null, 'optional').default).toBeUndefined();
    expect(httpUrl(null, 'optional', 'the site’s address').default).toBe('the site’s address');
  });

  it('httpUrl: refuses what is not an http(s) base URL, saying what it must be', () => {
    const setting = httpUrl('http://127.0.0.1:1337', 'the CMS');
    expect(readOne(setting, 'cms.example.com')).toEqual({
      message: 'X must be an http(s) URL such as http://127.0.0.1:1337, not "cms.example.com".',
    });
    expect(readOne(setting, 'ftp://cms.example.com')).toEqual({
      message: 'X must be an http(s) URL such as http://127.0.0.1:1337, not "ftp://cms.example.com".',
    });
    expect(readOne(httpUrl(null, 'optional'), 'nope')).toEqual({
      message: 'X must be an http(s) URL such as https://cms.example.com, not "nope".',
    });
    expect(readOne(setting, 'https://cms.example.com/?token=1')).toEqual({
      message: 'X must be a base URL without a query or fragment, not "https://cms.example.com/?token=1".',
    });
    expect(readOne(setting, 'https://cms.example.com/#top')).toEqual({
      message: 'X must be a base URL without a query or fragment, not "https://cms.example.com/#top".',
    });
  });

  it('httpUrl: refuses credentials, and redacts them in the message', () => {
    const result = readOne(httpUrl(null, 'the CMS'), 'https://editor:hunter2@cms.example.com');
    expect(result).toEqual({
      message: 'X must not contain credentials (use the matching token variable), not "https://***@cms.example.com".',
    });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('secret: required or optional (null), at least minLength characters, never shown', () => {
    const required = secret({ minLength: 16, required: true, hint: 'npm start generates one' }, 'a token');
    expect(required.secret).toBe(true);
    expect(required.default).toBeUndefined();
    expect(readOne(required)).toEqual({
      message: 'X must be a secret of at least 16 characters (npm start generates one), it is not set.',
    });
    expect(readOne(required, 'a'.repeat(16))).toEqual({ value: 'a'.repeat(16) });
    const short = readOne(required, 'short-secret');
    expect(short).toEqual({ message: 'X must be a secret of at least 16 characters (npm start generates one), its value is not shown.' });
    expect(JSON.stringify(short)).not.toContain('short-secret');

    const optional = secret({ minLength: 8, required: false }, 'optional');
    expect(readOne(optional)).toEqual({ value: null });
    expect(readOne(optional, '   ')).toEqual({ value: null });
    expect(readOne(optional, 'seven77')).toEqual({ message: 'X must be a secret of at least 8 characters, its value is not shown.' });
  });

  it('choice: a default, one of the words', () => {
    const setting = choice(['local', 'github'], 'local', 'a mode');
    expect(setting.default).toBe('local');
    expect(readOne(setting)).toEqual({ value: 'local' });
    expect(readOne(setting, 'github')).toEqual({ value: 'github' });
    expect(readOne(setting, 'GitHub')).toEqual({ message: 'X must be "local" or "github", not "GitHub".' });
  });

  it('flag: a default; true/1/yes and false/0/no in any case', () => {
    const setting = flag(true, 'a switch');
    expect(setting.default).toBe('true');
    expect(readOne(setting)).toEqual({ value: true });
    for (const raw of ['true', 'TRUE', '1', 'yes']) expect(readOne(setting, raw)).toEqual({ value: true });
    for (const raw of ['false', 'False', '0', 'no']) expect(readOne(setting, raw)).toEqual({ value: false });
    expect(readOne(setting, 'maybe')).toEqual({ message: 'X must be true or false, not "maybe".' });
  });

  it('text: a default (or null), checked by an optional pattern', () => {
    expect(readOne(text('127.0.0.1', 'a host'))).toEqual({ value: '127.0.0.1' });
    expect(readOne(text('127.0.0.1', 'a host'), ' 0.0.0.0 ')).toEqual({ value: '0.0.0.0' });
    expect(readOne(text(null, 'optional'))).toEqual({ value: null });
    expect(text(null, 'optional', undefined, 'the CMS decides').default).toBe('the CMS decides');
    const email = text(null, 'an e-mail address', { pattern: /^[^@\s]+@[^@\s]+$/, problem: 'must be an e-mail address' });
    expect(readOne(email, 'editor@example.com')).toEqual({ value: 'editor@example.com' });
    expect(readOne(email, 'editor')).toEqual({ message: 'X must be an e-mail address, not "editor".' });
  });
});

describe('defineSettings', () => {
  const definition = defineSettings('rebuild service', {
    PORT: port(4322, 'its port'),
    CMS_URL: httpUrl('http://127.0.0.1:1337', 'the CMS'),
    WEBHOOK_TOKEN: secret({ minLength: 16, required: true }, 'the webhook token'),
    MODE: choice(['local', 'github'], 'local', 'where sites are published'),
  });

  it('reads every variable, with its type', () => {
    const settings = definition.read({ PORT: '8080', WEBHOOK_TOKEN: 'w'.repeat(20) });
    expect(settings).toEqual({ PORT: 8080, CMS_URL: 'http://127.0.0.1:1337', WEBHOOK_TOKEN: 'w'.repeat(20), MODE: 'local' });
    expect(definition.program).toBe('rebuild service');
    expect(Object.keys(definition.spec)).toEqual(['PORT', 'CMS_URL', 'WEBHOOK_TOKEN', 'MODE']);
  });

  it('reports every problem in one SettingsError, one per line, naming each variable', () => {
    let error: unknown;
    try {
      definition.read({ PORT: 'eighty', CMS_URL: 'https://user:pa55word@cms.example.com', WEBHOOK_TOKEN: 'too-short', MODE: 'ftp' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const { message, problems, name } = error as SettingsError;
    expect(name).toBe('SettingsError');
    expect(problems).toEqual([
      'PORT must be a port number from 1 to 65535, not "eighty".',
      'CMS_URL must not contain credentials (use the matching token variable), not "https://***@cms.example.com".',
      'WEBHOOK_TOKEN must be a secret of at least 16 characters, its value is not shown.',
      'MODE must be "local" or "github", not "ftp".',
    ]);
    expect(message).toBe(`rebuild service: 4 settings need fixing:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    expect(message).not.toContain('too-short');
    expect(message).not.toContain('pa55word');
  });

  it('says a lone problem as it is', () => {
    expect(() => definition.read({})).toThrow(
      new SettingsError('rebuild service', ['WEBHOOK_TOKEN must be a secret of at least 16 characters, it is not set.']),
    );
    expect(() => definition.read({})).toThrow(/^WEBHOOK_TOKEN must be a secret of at least 16 characters, it is not set\.$/);
  });

  it('adds each setting’s advice once, after the problems', () => {
    const advice = 'Run `npm start` once to generate them.';
    const withAdvice = defineSettings('CMS', {
      A: { ...secret({ minLength: 16, required: true }, 'a'), advice },
      B: { ...secret({ minLength: 16, required: true }, 'b'), advice },
    });
    expect(() => withAdvice.read({ B: 'b'.repeat(16) })).toThrow(
      /^A must be a secret of at least 16 characters, it is not set\. Run `npm start` once to generate them\.$/,
    );
    let error: unknown;
    try {
      withAdvice.read({});
    } catch (caught) {
      error = caught;
    }
    expect((error as SettingsError).advice).toEqual([advice]);
    expect((error as Error).message).toBe(
      'CMS: 2 settings need fixing:\n  - A must be a secret of at least 16 characters, it is not set.\n  - B must be a secret of at least 16 characters, it is not set.\n' +
        advice,
    );
  });

  it('checks rules across variables in the same pass, seeing unset optional ones as null and failed ones as undefined', () => {
    const seen: unknown[] = [];
    const withCheck = defineSettings(
      'CMS',
      { URL: httpUrl(null, 'a URL'), TOKEN: secret({ minLength: 16, required: false }, 'its token'), PORT: port(1, 'a port') },
      {
        check(values) {
          seen.push(values);
          return values.URL && values.TOKEN === null ? ['URL is set but TOKEN is not.'] : [];
        },
      },
    );
    expect(withCheck.read({})).toEqual({ URL: null, TOKEN: null, PORT: 1 });
    expect(() => withCheck.read({ URL: 'http://a.example' })).toThrow(/^URL is set but TOKEN is not\.$/);
    expect(() => withCheck.read({ URL: 'http://a.example', PORT: 'x' })).toThrow(
      'CMS: 2 settings need fixing:\n  - PORT must be a port number from 1 to 65535, not "x".\n  - URL is set but TOKEN is not.',
    );
    // A token that failed its own check is undefined to the rule: reported once, as too short, not as missing.
    expect(() => withCheck.read({ URL: 'http://a.example', TOKEN: 'short' })).toThrow(
      /^TOKEN must be a secret of at least 16 characters, its value is not shown\.$/,
    );
    expect(seen.at(-1)).toEqual({ URL: 'http://a.example', PORT: 1 });
  });

  it('reads process.env by default', () => {
    const name = `SETTINGS_TEST_${process.pid}`;
    process.env[name] = '7';
    try {
      expect(defineSettings('test', { [name]: integer(1, { min: 1, max: 10 }, 'n') }).read()[name]).toBe(7);
    } finally {
      delete process.env[name];
    }
  });

  it('reads NAME_FILE, the file holding the value (compose secrets), trimmed; an empty file is unset', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'settings-file-'));
    const token = path.join(dir, 'webhook_token');
    writeFileSync(token, `${'f'.repeat(20)}\n`);
    expect(definition.read({ WEBHOOK_TOKEN_FILE: token }).WEBHOOK_TOKEN).toBe('f'.repeat(20));
    // An empty file is an unset variable: here a required one, refused as if it were missing.
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(() => definition.read({ WEBHOOK_TOKEN_FILE: empty })).toThrow(
      /^WEBHOOK_TOKEN must be a secret of at least 16 characters, it is not set\.$/,
    );
  });

  it('refuses NAME_FILE that cannot be read, and NAME set twice, naming the file and never the value', () => {
    const missing = path.join(tmpdir(), `no-such-secret-${process.pid}`);
    expect(() => definition.read({ WEBHOOK_TOKEN_FILE: missing })).toThrow(
      `WEBHOOK_TOKEN_FILE is "${missing}", which cannot be read (ENOENT): it must name a file the program's user may read, holding WEBHOOK_TOKEN's value.`,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'settings-file-'));
    writeFileSync(path.join(dir, 'token'), 'g'.repeat(20));
    let message = '';
    try {
      definition.read({ WEBHOOK_TOKEN: 'h'.repeat(20), WEBHOOK_TOKEN_FILE: path.join(dir, 'token'), PORT: 'x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('WEBHOOK_TOKEN and WEBHOOK_TOKEN_FILE are both set: set one of them');
    expect(message).toContain('PORT must be a port number');
    expect(message).not.toMatch(/hhhh|gggg/);
  });
});

describe('redactUrl', () => {
  it('hides user and password, keeps the rest', () => {
    expect(redactUrl('postgres://strapi:s3cret@db:5432/strapi')).toBe('postgres://***@db:5432/strapi');
    expect(redactUrl('https://token@github.example/repo')).toBe('https://***@github.example/repo');
    expect(redactUrl('https://cms.example.com/a@b')).toBe('https://cms.example.com/a@b');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});
