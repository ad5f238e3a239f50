/**
 * A long answer, read line by line from the raw terminal in one read loop: one prompt per line
 * (as before) dropped whatever arrived between two prompts, so a pasted paragraph kept only its first
 * line and "line, Enter, Enter" typed fast lost keys. Bracketed paste (ESC[?2004h) tells a pasted
 * newline from a typed Enter, so a blank line inside a paste does not end the answer; without it, a
 * blank line followed by more text in the same read is taken as pasted too. What is read after the
 * answer ends is handed back to stdin for the next prompt.
 *
 * The buffer (LongtextBuffer) is pure and tested on its own; readLongtext connects it to a terminal.
 */
import { t } from '../i18n/messages.js';
import { onStop, TERMINAL_RESET } from './signals.js';
import { visible } from './visible.js';

export type LongtextEnd =
  /** An empty line (or Ctrl-D) ended it; no lines means "nothing typed" (keep the default, if any). */
  | { kind: 'done'; lines: string[] }
  /** `-` alone on the first line: clear the kept answer. */
  | { kind: 'clear' }
  /** `:e` alone on a line, or Ctrl-E: go on in the editor from the lines typed so far. */
  | { kind: 'editor'; lines: string[] }
  /** Ctrl-C: the lines typed so far, the one being typed included. */
  | { kind: 'stop'; lines: string[] };

export interface LongtextRules {
  /** An empty answer is refused (unless a default is kept). */
  required: boolean;
  /** An empty answer keeps a default answer. */
  hasDefault: boolean;
  /** `-` alone clears the default (an optional answer). */
  clearable: boolean;
}

const PASTE_START = '\u001b[200~';
const PASTE_END = '\u001b[201~';
const EDITOR_COMMAND = ':e';
const CLEAR_COMMAND = '-';

export class LongtextBuffer {
  readonly lines: string[];
  current = '';
  /** A message to show under the lines (e.g. "An answer is required."), cleared on the next key. */
  problem?: string;
  private pasting = false;
  /** An escape sequence cut by the end of a read, completed by the next. */
  private pending = '';

  constructor(
    private readonly rules: LongtextRules,
    initial: readonly string[] = [],
  ) {
    this.lines = [...initial];
  }

  /** Everything typed so far, the line being typed included (what a draft keeps). */
  get text(): string {
    return [...this.lines, ...(this.current === '' ? [] : [this.current])].join('\n');
  }

  /**
   * Takes one read of input. Returns how the answer ended, with what was read after its end (to be
   * handed to the next prompt), or undefined while it goes on.
   */
  feed(chunk: string): { end: LongtextEnd; rest: string } | undefined {
    const input = this.pending + chunk;
    this.pending = '';
    let at = 0;
    while (at < input.length) {
      const char = input[at]!;
      if (char === '\u001b') {
        if (input.startsWith(PASTE_START, at)) {
          this.pasting = true;
          at += PASTE_START.length;
          continue;
        }
        if (input.startsWith(PASTE_END, at)) {
          this.pasting = false;
          at += PASTE_END.length;
          continue;
        }
        const length = escapeLength(input, at);
        if (length === 0) {
          this.pending = input.slice(at); // completed by the next read
          return undefined;
        }
        at += length; // arrows, function keys…: not part of an answer
        continue;
      }
      at += 1;
      if (char === '\r' || char === '\n') {
        if (char === '\r' && input[at] === '\n') at += 1;
        const end = this.enter(input.slice(at));
        if (end) return { end, rest: input.slice(at) };
        continue;
      }
      this.problem = undefined;
      if (char === '\u0003') return { end: { kind: 'stop', lines: this.text === '' ? [] : this.text.split('\n') }, rest: '' };
      if (char === '\u0004') {
        // Ctrl-D: the line being typed is the last one
        if (this.current !== '') this.lines.push(this.current);
        this.current = '';
        const end = this.finish();
        if (end) return { end, rest: input.slice(at) };
        continue;
      }
      if (char === '\u0005') return { end: { kind: 'editor', lines: this.takeAll() }, rest: input.slice(at) };
      if (char === '\u0015') this.current = '';
      else if (char === '\u007f' || char === '\b') this.current = withoutLastCharacter(this.current);
      else if (char === '\t') this.current += '\t';
      else if (char >= ' ' && !(char >= '\u0080' && char <= '\u009f')) this.current += char;
      // other control characters are dropped: never part of an answer
    }
    return undefined;
  }

  private takeAll(): string[] {
    if (this.current !== '') this.lines.push(this.current);
    this.current = '';
    return this.lines;
  }

  /** Enter: a line ends; an empty one ends the answer, unless it is part of a paste. */
  private enter(after: string): LongtextEnd | undefined {
    const line = this.current;
    this.current = '';
    this.problem = undefined;
    if (!this.pasting && line.trim() === EDITOR_COMMAND) return { kind: 'editor', lines: this.lines };
    if (!this.pasting && line.trim() === CLEAR_COMMAND && this.lines.length === 0 && this.rules.clearable) return { kind: 'clear' };
    // a blank line inside a paste (bracketed, or followed by more text in the same read) is text
    if (line !== '' || this.pasting || /[^\r\n]/.test(after.replace(/\u001b\[20[01]~/g, ''))) {
      this.lines.push(line);
      return undefined;
    }
    return this.finish();
  }

  private finish(): LongtextEnd | undefined {
    while (this.lines.length > 0 && this.lines[this.lines.length - 1]!.trim() === '') this.lines.pop();
    if (this.lines.length === 0 && this.rules.required && !this.rules.hasDefault) {
      this.problem = t('prompt.required');
      return undefined;
    }
    return { kind: 'done', lines: this.lines };
  }
}

/** The length of the escape sequence at `at` (CSI, SS3, or ESC + one key), 0 when it is cut short. */
function escapeLength(input: string, at: number): number {
  const next = input[at + 1];
  if (next === undefined) return 0;
  if (next === '[') {
    for (let index = at + 2; index < input.length; index += 1) {
      const code = input.charCodeAt(index);
      if (code >= 0x40 && code <= 0x7e) return index - at + 1;
    }
    return 0;
  }
  if (next === 'O') return input.length > at + 2 ? 3 : 0;
  return 2;
}

function withoutLastCharacter(text: string): string {
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)];
  return graphemes.slice(0, -1).map((each) => each.segment).join('');
}

/** The editor a user asked for with `:e`: $VISUAL, else $EDITOR, else nano when installed, else vi. */
export function editorCommand(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): string {
  const chosen = env.VISUAL?.trim() || env.EDITOR?.trim();
  if (chosen) return chosen;
  const onPath = (name: string) => (env.PATH ?? '').split(':').some((folder) => folder !== '' && exists(`${folder}/${name}`));
  return onPath('nano') ? 'nano' : 'vi';
}

/**
 * Opens `text` in `editor` (a shell command, as git runs core.editor) and returns what was saved,
 * or an explanation of why it could not be used.
 */
export async function editInEditor(text: string, editor: string): Promise<{ text: string } | { problem: string }> {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const folder = mkdtempSync(`${tmpdir()}/cs-answer-`);
  const file = `${folder}/answer.md`;
  try {
    writeFileSync(file, text === '' ? '' : `${text}\n`, { mode: 0o600 });
    const result = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
    if (result.error) return { problem: `could not start ${editor}: ${result.error.message}` };
    if (result.status !== 0) return { problem: `${editor} exited with ${result.status ?? result.signal}` };
    return { text: readFileSync(file, 'utf8').replace(/\s+$/, '') };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export interface TerminalStreams {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

export interface ReadLongtextOptions extends LongtextRules {
  /** The prompt's line (message and hint), ready for the terminal: made visible, styled. */
  message: string;
  /** The marks before it: while it is asked, and once answered ("?" and "✔", as the other prompts'). */
  prefix: { idle: string; done: string };
  /** A problem ("An answer is required.") as the terminal shows it. */
  error(text: string): string;
  /** Lines typed before (a draft taken up again). */
  initial?: readonly string[];
  /** Called with the lines typed so far as each line ends, and at a stop with the one being typed too. */
  onDraft?: (text: string) => void;
}

const LINE_PREFIX = '  │ ';

/** Asks one long answer on a terminal (stdin in raw mode), drawing `? message`, then `  │ line` rows. */
export async function readLongtext(streams: TerminalStreams, options: ReadLongtextOptions): Promise<LongtextEnd> {
  const { input, output } = streams;
  // raw before anything is drawn: a key typed as soon as the prompt shows must not be echoed (and
  // its Enter turned into a new line) by the terminal's cooked mode, which would shift the rows drawn
  if (input.isTTY) input.setRawMode(true);
  const stringWidth = (await import('string-width')).default;
  const buffer = new LongtextBuffer(options, options.initial);
  const columns = () => Math.max(10, output.columns || 80);
  const rowsOf = (text: string) => Math.max(1, Math.ceil(stringWidth(text.replace(/\t/g, ' ')) / columns()));
  // what was typed or pasted is shown with its control characters made visible, as every text is
  const shown = (line: string) => `${LINE_PREFIX}${visible(line.replace(/\t/g, ' '))}`;
  const message = `${options.prefix.idle} ${options.message}`;

  // rows written under the prompt's line(s), and the rows the line being typed takes now
  let rowsBelow = 0;
  let currentRows = 1;
  let drafted = buffer.lines.join('\n');
  output.write(`\u001b[?2004h${message}\n`);
  const headerRows = rowsOf(message);
  for (const line of buffer.lines) {
    output.write(`${shown(line)}\n`);
    rowsBelow += rowsOf(shown(line));
  }
  output.write(LINE_PREFIX);

  const clearCurrent = () => output.write(`${currentRows > 1 ? `\u001b[${currentRows - 1}A` : ''}\r\u001b[J`);
  const draft = () => {
    const text = buffer.lines.join('\n');
    if (text === drafted) return;
    drafted = text;
    options.onDraft?.(text);
  };

  return new Promise<LongtextEnd>((resolve) => {
    let written = buffer.lines.length;
    const render = () => {
      clearCurrent();
      for (; written < buffer.lines.length; written += 1) {
        const line = shown(buffer.lines[written]!);
        output.write(`${line}\n`);
        rowsBelow += rowsOf(line);
      }
      if (buffer.problem) {
        output.write(`  ${options.error(buffer.problem)}\n`);
        rowsBelow += 1;
      }
      output.write(shown(buffer.current));
      currentRows = rowsOf(shown(buffer.current));
    };
    const restore = () => {
      input.removeListener('data', onData);
      if (input.isTTY) input.setRawMode(false);
      input.pause();
      output.write('\u001b[?2004l');
      removeStopHook();
    };
    const end = (how: LongtextEnd, rest: string) => {
      restore();
      render();
      if (how.kind === 'stop') {
        options.onDraft?.(buffer.text);
        output.write('\n');
      } else if (how.kind !== 'editor') {
        clearCurrent();
        // the prompt's mark turns from "?" to "✔" once answered, as the other prompts' do
        const up = rowsBelow + headerRows;
        if (up < (output.rows || 24)) output.write(`\u001b[${up}A\r${options.prefix.done}\u001b[${up}B\r`);
      }
      if (rest !== '') input.unshift(Buffer.from(rest, 'utf8')); // for the next prompt: no key is lost
      resolve(how);
    };
    const onData = (data: Buffer | string) => {
      const result = buffer.feed(typeof data === 'string' ? data : data.toString('utf8'));
      if (result) {
        end(result.end, result.rest);
        return;
      }
      render();
      draft();
    };
    // SIGTERM, SIGHUP (or a Ctrl-C outside raw mode): keep what was typed, give the terminal back
    const removeStopHook = onStop(() => {
      options.onDraft?.(buffer.text);
      input.removeListener('data', onData);
      if (input.isTTY) input.setRawMode(false);
      output.write(TERMINAL_RESET);
    });
    input.on('data', onData);
    input.resume();
  });
}
