/**
 * The user's settings, like git's: `cs config set user.name "Nguyễn Thị Lan"`, kept in
 * $XDG_CONFIG_HOME/cs/config.yaml (~/.config/cs/config.yaml), mode 0600, one `key: value` a line.
 * Each key is described once, below, with the environment variable that overrides it. Read and
 * written without a YAML library: the file is flat, and commands that read it (agenda, render)
 * must start fast.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { inputError, runtimeError } from '../errors.js';
import { hasControlCharacters } from '../engine/names.js';
import { FileRefused, readText } from '../files/input.js';
import { configFolder } from '../paths.js';
import { didYouMean } from '../playbook/problems.js';
import { EMAIL_ADDRESS, HANDLE } from '../people/person.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

export interface ConfigKey {
  key: string;
  /** (Its description is --help's: src/i18n/en-help.ts.) */
  /** The environment variable that overrides the file. */
  env: string;
  example: string;
  /** What is wrong with a value, if anything. */
  problem(value: string): Said | undefined;
}

function nameProblem(value: string): Said | undefined {
  if (value.length > 200) return said('config.tooLong');
  if (/[<>]/.test(value)) return said('config.nameAlone');
  return undefined;
}

export const CONFIG_KEYS: readonly ConfigKey[] = [
  {
    key: 'user.name',
    env: 'CS_USER_NAME',
    example: 'Nguyễn Thị Lan',
    problem: nameProblem,
  },
  {
    key: 'user.email',
    env: 'CS_USER_EMAIL',
    example: 'lan@example.com',
    problem: (value) => (EMAIL_ADDRESS.test(value) ? undefined : said('config.notEmail')),
  },
  {
    key: 'user',
    env: 'CS_USER',
    example: 'lan',
    problem: (value) => (HANDLE.test(value) ? undefined : said('config.notHandle')),
  },
];

/** Far larger than any settings file: a bigger one is not ours, and is not read. */
const MAX_CONFIG_BYTES = 64 * 1024;
const FILE_NAME = 'config.yaml';
const LINE = /^([A-Za-z0-9_.-]+):[ \t]*(.*)$/;

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configFolder(env), FILE_NAME);
}

export function requireKey(key: string): ConfigKey {
  const found = CONFIG_KEYS.find((each) => each.key === key);
  if (found) return found;
  const guess = didYouMean(key, CONFIG_KEYS.map((each) => each.key));
  throw inputError(guess ? said('config.unknownKeyGuess', { key, guess }) : said('config.unknownKey', { key }), {
    hint: said('config.keysHint', { keys: CONFIG_KEYS.map((each) => each.key).join(', ') }),
  });
}

/** A value as written after `key:` — "double-quoted" (JSON escapes), 'single-quoted' or bare. */
function readValue(raw: string): string | undefined {
  const text = raw.trim();
  if (text.startsWith('"')) {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
  if (text.startsWith("'")) return /^'((?:[^']|'')*)'$/.exec(text)?.[1]?.replace(/''/g, "'");
  return text.replace(/\s+#.*$/, '').trim();
}

/** The settings in the file; an empty set when there is no file. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const path = configPath(env);
  let text: string;
  try {
    // through the one file helper: a FIFO, a device or a folder there is refused, never waited on
    text = readText(path, { what: said('config.theFile'), limit: MAX_CONFIG_BYTES, whyLimit: said('config.notSettings') });
  } catch (error) {
    if (!(error instanceof FileRefused)) throw error;
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return new Map();
    if (error.code === 'EACCES' || error.code === 'EPERM') throw runtimeError(error.message);
    throw inputError(error.message, { hint: said('config.moveAway') });
  }
  const values = new Map<string, string>();
  const problems: Said[] = [];
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const match = LINE.exec(line);
    const value = match ? readValue(match[2]!) : undefined;
    if (!match || value === undefined) problems.push(said('config.badLine', { where: `${path}:${index + 1}:1` }));
    else values.set(match[1]!, value);
  });
  if (problems.length > 0) throw inputError(said('config.unreadable', { path }), { details: problems, hint: said('config.fixLine') });
  return values;
}

/** Where a value comes from: the environment wins over the file, as CS_FROM does. */
export interface Setting {
  key: string;
  value: string;
  origin: 'env' | 'file';
  /** The variable or the file it was read from. */
  from: string;
}

export function settings(env: NodeJS.ProcessEnv = process.env): Setting[] {
  const file = readConfig(env);
  const path = configPath(env);
  return CONFIG_KEYS.flatMap(({ key, env: variable }): Setting[] => {
    const fromEnv = env[variable]?.trim();
    if (fromEnv) return [{ key, value: fromEnv, origin: 'env', from: variable }];
    const value = file.get(key);
    return value !== undefined && value !== '' ? [{ key, value, origin: 'file', from: path }] : [];
  });
}

export function setting(key: string, env: NodeJS.ProcessEnv = process.env): Setting | undefined {
  return settings(env).find((each) => each.key === key);
}

/** The value cleaned and checked, or an exit-2 error saying what is expected. */
export function checkValue(definition: ConfigKey, raw: string): string {
  const value = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  const { key, example } = definition;
  if (value === '') throw inputError(said('config.needsValue', { key, example }), { hint: said('config.toRemove', { key }) });
  if (hasControlCharacters(value)) throw inputError(said('config.controls', { key }));
  const problem = definition.problem(value);
  if (problem) throw inputError(said('config.badValue', { key, problem, value: JSON.stringify(value) }));
  return value;
}

function serialise(values: Map<string, string>): string {
  const lines = ['# cs settings: written by `cs config set`; see `cs config --help`.'];
  for (const [key, value] of values) lines.push(`${key}: ${JSON.stringify(value)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Sets (or, with `undefined`, removes) one key: the whole file written to a temp file beside it
 * with mode 0600, flushed, then renamed over it, so a crash leaves the old file or the new one.
 */
export function writeSetting(key: string, value: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const values = readConfig(env);
  if (value === undefined) values.delete(key);
  else values.set(key, value);
  const path = configPath(env);
  const folder = configFolder(env);
  const temp = join(folder, `.${FILE_NAME}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, serialise(values));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, 0o600); // whatever the umask
    renameSync(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw runtimeError(said('config.diskFull', { path }));
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw runtimeError(said('config.denied', { path }));
    throw runtimeError(said('config.cannotWrite', { path, message: (error as Error).message }), { cause: error });
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // already renamed into place
    }
  }
  return path;
}
