/**
 * Runs the built CLI (bin/cs.js → dist/) as a child process, the way a user does: a fresh temp HOME,
 * database and XDG folders for each sandbox, no colour, today pinned to 2026-11-26, and stdin from
 * /dev/null unless `input` is given. Build first (`npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backend, pgDatabase } from './backend.js';
import { tempDir } from './tmp.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const BIN = join(ROOT, 'bin', 'cs.js');
export const TODAY = '2026-11-26';

export interface CliResult {
  /** The exit code (null when killed by a signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the run, ms. */
  ms: number;
}

export interface CliOptions {
  /** Written to stdin (a pipe); without it stdin is /dev/null. */
  input?: string;
  /** Extra environment (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kill after this many ms (a hang guard). */
  timeout?: number;
}

export interface Sandbox {
  home: string;
  db: string;
  configHome: string;
  dataHome: string;
  /** The environment every run of this sandbox gets. */
  env: Record<string, string>;
  run(args: string[], options?: CliOptions): CliResult;
  /** `cs <args> | <pipe>` through bash; stderr gets a last line `cs-exit=<code of cs>`. */
  pipe(args: string[], pipe: string, options?: CliOptions): CliResult;
}

export interface SandboxOptions {
  /** CS_PLAYBOOKS (folders joined with ':'). */
  playbooks?: string | string[];
  templates?: string | string[];
}

/**
 * The parent's environment without anything that could steer cs or colour its output (npm_* too:
 * under `npx vitest` they say "started by npx", and cs's hints would then say `npx cs …`).
 */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    // LANG and LC_*: the interface's language is a test's to choose (English unless it says)
    if (/^(CS_|XDG_|FORCE_COLOR|NO_COLOR|VISUAL|EDITOR|NODE_OPTIONS|VITEST|npm_|LANG$|LC_ALL$|LC_MESSAGES$)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

function withOverrides(env: Record<string, string>, extra: CliOptions['env']): Record<string, string> {
  const merged = { ...env };
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function spawn(command: string, args: string[], env: Record<string, string>, options: CliOptions): CliResult {
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    env: withOverrides(env, options.env),
    input: options.input,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: options.timeout ?? 20_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw result.error;
  return {
    code: result.status,
    signal: result.signal,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    ms: performance.now() - started,
  };
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A fresh home, database path and XDG folders; nothing in them yet. */
export function sandbox(options: SandboxOptions = {}): Sandbox {
  const home = tempDir('cs-home-');
  const join2 = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(':') : value);
  const env: Record<string, string> = {
    ...baseEnv(),
    HOME: home,
    CS_DB: backend === 'postgres' ? pgDatabase() : join(home, 'data', 'cs.db'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    NO_COLOR: '1',
    CS_TODAY: TODAY,
  };
  const playbooks = join2(options.playbooks);
  const templates = join2(options.templates);
  if (playbooks !== undefined) env.CS_PLAYBOOKS = playbooks;
  if (templates !== undefined) env.CS_TEMPLATES = templates;
  return {
    home,
    db: env.CS_DB!,
    configHome: env.XDG_CONFIG_HOME!,
    dataHome: env.XDG_DATA_HOME!,
    env,
    run: (args, runOptions = {}) => spawn(process.execPath, [BIN, ...args], env, runOptions),
    pipe: (args, pipe, runOptions = {}) =>
      spawn(
        'bash',
        ['-c', `${shellQuote(process.execPath)} ${[BIN, ...args].map(shellQuote).join(' ')} | ${pipe}; echo "cs-exit=\${PIPESTATUS[0]}" >&2`],
        env,
        runOptions,
      ),
  };
}

/** One command in a sandbox of its own. */
export function runCli(args: string[], options: CliOptions & SandboxOptions = {}): CliResult {
  return sandbox(options).run(args, options);
}

/** Lines of a stack trace ("    at fn (file:1:2)"): a user must never see one. */
export const STACK_LINE = /^\s+at .+[:(]/m;
