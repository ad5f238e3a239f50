/**
 * Drives a real program in a real terminal: tmux on a private server (`-L <socket>`), one detached
 * session per program, keys in with `send-keys`, the screen out with `capture-pane`.
 *
 * Made for a loaded 2-core machine: nothing sleeps for a fixed time; every step waits for text on
 * the screen (polled every 50 ms) with a generous timeout, and a timeout fails with the screen in
 * the message so the failure can be read without re-running.
 *
 * @inquirer/prompts marks the prompt being asked with `? ` at the start of its line and rewrites
 * that line to `✔ ` once answered: `prompt()` waits for the active prompt, `answer()` sends keys
 * and waits until one more prompt has been answered (so the next `prompt()` never matches the old
 * one).
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Is tmux installed? (Lets a suite skip itself, loudly, where it is not.) */
export function tmuxAvailable(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Quotes one word for /bin/sh. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The environment of a cs walked in tmux: everything it keeps under `home`, "today" pinned, colour
 * off, an English UTF-8 locale. `changes` adds keys or, given as undefined, takes one away.
 */
export function walkEnv(home: string, today: string, changes: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    HOME: home,
    CS_DB: join(home, 'cs.db'),
    CS_TODAY: today,
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CONFIG_HOME: join(home, '.config'),
    ...changes,
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export interface StartOptions {
  /** argv of the program, e.g. ['node', 'bin/cs.js', 'onboard', 'start', 'Acme']. */
  command: string[];
  /** Variables set for the program (on top of a small fixed environment). */
  env?: Record<string, string>;
  /** Variables removed from the program's environment (e.g. EDITOR, VISUAL). */
  unset?: string[];
  cwd?: string;
  width?: number;
  height?: number;
}

export interface WaitOptions {
  /** ms; default 15 s (a loaded machine can take seconds to start node). */
  timeout?: number;
  /** Search the scrollback too, not only the visible screen (default true). */
  history?: boolean;
}

export type Needle = string | RegExp | ((screen: string) => boolean);

let counter = 0;

const DEFAULT_TIMEOUT = 15_000;
const POLL_MS = 50;
/** The marks @inquirer/prompts puts before a prompt: being asked, and answered. */
const ACTIVE = '? ';
const DONE = '✔ ';

/** The text of the exit-code line the session prints after the program ends. */
const EXIT_LINE = /^EXIT=(\d+)\s*$/m;

function describeNeedle(needle: Needle): string {
  return typeof needle === 'function' ? `a screen matching ${needle.toString().slice(0, 120)}` : JSON.stringify(needle instanceof RegExp ? needle.source : needle);
}

function matches(screen: string, needle: Needle): boolean {
  if (typeof needle === 'string') return screen.includes(needle);
  if (needle instanceof RegExp) return needle.test(screen);
  return needle(screen);
}

export class TmuxSession {
  private constructor(
    /** The private tmux server (`tmux -L <socket>`). */
    readonly socket: string,
    readonly name: string,
  ) {}

  /**
   * Starts `command` in a detached session of a new private tmux server. After the program ends
   * the pane prints `EXIT=<code>` and stays open, so the screen and the code can still be read.
   */
  static async start(options: StartOptions): Promise<TmuxSession> {
    counter += 1;
    const socket = `cs-test-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
    const session = new TmuxSession(socket, 'cs');
    const unset = (options.unset ?? []).flatMap((name) => ['-u', name]);
    const assignments = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`);
    const program = ['env', ...unset, ...assignments, ...options.command].map(shellQuote).join(' ');
    // `sleep` keeps the pane (and its last screen) alive; kill() ends it long before.
    const script = `${options.cwd ? `cd ${shellQuote(options.cwd)} && ` : ''}${program}; echo EXIT=$?; sleep 300`;
    // No user config (-f /dev/null); the whole scrollback is searched, so keep a long walk's start in
    // it (history-limit is set before the pane exists: it applies to panes created after it).
    await session.tmux(
      '-f', '/dev/null',
      'set-option', '-g', 'history-limit', '20000', ';',
      'new-session', '-d', '-s', session.name, '-x', String(options.width ?? 120), '-y', String(options.height ?? 40),
      script,
    );
    return session;
  }

  /** Runs a tmux command against this session's private server, in a UTF-8 locale. */
  async tmux(...args: string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-u', '-L', this.socket, ...args], {
      env: {
        PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        SHELL: '/bin/sh',
        TERM: 'xterm-256color',
        LANG: 'C.UTF-8',
        LC_ALL: 'C.UTF-8',
      },
      encoding: 'utf8',
      timeout: 10_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  }

  /** The screen as text (trailing blank lines dropped); with `history`, the scrollback above it too. */
  async screen(history = true): Promise<string> {
    // -J: lines the terminal wrapped come back whole (lines a prompt wrapped itself stay split).
    const text = await this.tmux('capture-pane', '-p', '-J', '-t', this.name, ...(history ? ['-S', '-', '-E', '-'] : []));
    return text
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .replace(/\n+$/, '');
  }

  /** Types text literally (Vietnamese included): no key names are interpreted. */
  async type(text: string): Promise<void> {
    if (text !== '') await this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** Presses keys by tmux name: Enter, C-c, Down, Up, Space, BSpace, y, n… */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.tmux('send-keys', '-t', this.name, key);
  }

  /**
   * Pastes `text` as a terminal does (tmux load-buffer, paste-buffer; newlines become CR). With
   * `bracketed`, the paste is wrapped in ESC[200~ … ESC[201~ when the program asked for it (-p).
   */
  async paste(text: string, bracketed: boolean): Promise<void> {
    const file = join(tmpdir(), `cs-paste-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(file, text);
    try {
      await this.tmux('load-buffer', '-b', 'cs-paste', file);
      await this.tmux('paste-buffer', '-d', '-b', 'cs-paste', ...(bracketed ? ['-p'] : []), '-t', this.name);
    } finally {
      rmSync(file, { force: true });
    }
  }

  /** Is the cursor shown (a prompt hides it while it draws, and must show it again)? */
  async cursorVisible(): Promise<boolean> {
    return (await this.tmux('display-message', '-p', '-t', this.name, '#{cursor_flag}')).trim() === '1';
  }

  /** Waits until the screen matches; on timeout fails with the screen in the message. Returns the screen. */
  async waitFor(needle: Needle, options: WaitOptions = {}): Promise<string> {
    const timeout = options.timeout ?? DEFAULT_TIMEOUT;
    const deadline = Date.now() + timeout;
    let screen = '';
    for (;;) {
      screen = await this.screen(options.history ?? true);
      if (matches(screen, needle)) return screen;
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error(`tmux: waited ${timeout} ms for ${describeNeedle(needle)}; the screen was:\n${'-'.repeat(60)}\n${screen}\n${'-'.repeat(60)}`);
  }

  /** The line of the prompt being asked now (the last line starting with `? `), if any. */
  static activePrompt(screen: string): string | undefined {
    if (EXIT_LINE.test(screen)) return undefined;
    const lines = screen.split('\n');
    for (let index = lines.length - 1; index >= 0; index -= 1) {
      if (lines[index]!.startsWith(ACTIVE)) return lines.slice(index).join('\n');
    }
    return undefined;
  }

  /** How many prompts have been answered so far (lines starting with `✔ `). */
  static answered(screen: string): number {
    return screen.split('\n').filter((line) => line.startsWith(DONE)).length;
  }

  /** Waits until the prompt being asked contains `text` (the prompt's line and what is under it). */
  async prompt(text: string | RegExp, options: WaitOptions = {}): Promise<string> {
    return this.waitFor((screen) => {
      const active = TmuxSession.activePrompt(screen);
      return active !== undefined && (typeof text === 'string' ? active.includes(text) : text.test(active));
    }, options);
  }

  /**
   * Answers the prompt being asked: types `text` (may be empty), presses `keys` (default Enter),
   * then waits until the prompt has been marked answered. Returns the screen after it.
   */
  async answer(text: string, keys: string[] = ['Enter'], options: WaitOptions = {}): Promise<string> {
    const before = TmuxSession.answered(await this.screen());
    await this.type(text);
    await this.press(...keys);
    return this.waitFor((screen) => TmuxSession.answered(screen) > before || EXIT_LINE.test(screen), options);
  }

  /** Waits for the program to end and returns its exit code. */
  async exitCode(options: WaitOptions = {}): Promise<number> {
    const screen = await this.waitFor(EXIT_LINE, options);
    return Number(EXIT_LINE.exec(screen)![1]);
  }

  /** The pid of the program: the child of the pane's shell (env execs the program in place). */
  async programPid(match = /./): Promise<number> {
    const panePid = Number((await this.tmux('list-panes', '-t', this.name, '-F', '#{pane_pid}')).trim().split('\n')[0]);
    if (!Number.isInteger(panePid) || panePid <= 0) throw new Error(`tmux: no pane pid for ${this.socket}`);
    let children: string;
    try {
      children = execFileSync('pgrep', ['-P', String(panePid)], { encoding: 'utf8' });
    } catch {
      throw new Error(`tmux: the pane's shell (pid ${panePid}) has no child process: has the program ended?`);
    }
    for (const pid of children.split('\n').map(Number).filter((each) => each > 0)) {
      let argv = '';
      try {
        argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      } catch {
        continue; // gone already
      }
      if (!argv.startsWith('sleep') && match.test(argv)) return pid;
    }
    throw new Error(`tmux: no child of pid ${panePid} matches ${match}`);
  }

  /** Ends the session and its private server (safe to call twice, or after the server is gone). */
  async kill(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
    // tmux 3.3 leaves the socket file behind; the server ran with no TMUX_TMPDIR, so it is here:
    rmSync(join('/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
  }
}
