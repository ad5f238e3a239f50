/**
 * The one sanitiser between cs and a terminal. Text from users, CSV files, playbooks, templates and
 * the database may hold control characters: OSC 52 sets the clipboard, OSC 0 the window title, CSI
 * clears the screen, a single byte U+009B is a CSI on many terminals, U+202E reverses what follows.
 * `visible()` writes each such character as `\uXXXX` — the form JSON uses, so that `--json`
 * output stays valid JSON that parses to the same strings — and keeps only line feeds, tabs and
 * CR LF pairs. Everything written to stdout or stderr goes through it (src/ui/output.ts), and so
 * does what a prompt shows (src/ui/terminal.ts): a command never has to remember to. A document
 * sent to a pipe or a file is the one exception (Ui.document): its bytes are the document's.
 *
 * cs's own colours cannot be real escape sequences before that point (they would be escaped with
 * the rest), so a Style writes markers instead: a noncharacter (U+FDD0, reserved by Unicode for a
 * program's internal use), a nonce chosen afresh by each process and the SGR code. `visible()`
 * keeps markers, `expandStyle()` turns them into escape sequences as the text is written. Text
 * written before the process started cannot know the nonce, so it can never forge a marker.
 */
import type { Style } from './ui.js';

const NONCE = Array.from({ length: 6 }, () => String.fromCharCode(0xfdd1 + Math.floor(Math.random() * 31))).join('');
const MARK = `\uFDD0${NONCE}`;
const MARKER = new RegExp(`${MARK}(\\d{1,3})m`, 'g');

/**
 * C0 controls but \t and \n, CR (kept only before LF), DEL, C1 (U+0080–U+009F), the bidi marks,
 * embeddings, overrides and isolates, the line and paragraph separators, and the noncharacters a
 * marker is made of (so that none in the input can pass for one).
 */
const UNSAFE_CLASS = '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ufdd0-\\ufdef]';
const UNSAFE = new RegExp(UNSAFE_CLASS);
const UNSAFE_OR_KEPT = new RegExp(`${MARK}\\d{1,3}m|\\r\\n|${UNSAFE_CLASS}`, 'g');

function escaped(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Whether the text holds a character `visible()` would rewrite (CR LF and cs's markers aside). */
export function hasControl(text: string): boolean {
  return UNSAFE.test(text) && firstControl(text) !== undefined;
}

/** The first control character in the text (as `visible()` sees them), with its index. */
export function firstControl(text: string): { index: number; code: string } | undefined {
  if (!UNSAFE.test(text)) return undefined;
  UNSAFE_OR_KEPT.lastIndex = 0;
  for (let match = UNSAFE_OR_KEPT.exec(text); match; match = UNSAFE_OR_KEPT.exec(text)) {
    if (match[0].length === 1) return { index: match.index, code: escaped(match[0]) };
  }
  return undefined;
}

/** The text with every control character written as `\uXXXX`; idempotent. */
export function visible(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_OR_KEPT, (match) => (match.length === 1 ? escaped(match) : match));
}

/** cs's colour markers as the terminal's escape sequences. */
export function expandStyle(text: string): string {
  return text.includes(MARK) ? text.replace(MARKER, '\u001b[$1m') : text;
}

/** What reaches the terminal: `visible()`, then cs's own colours. */
export function forTerminal(text: string): string {
  return expandStyle(visible(text));
}

/** The text without cs's colour markers nor real SGR sequences (to measure it). */
export function stripStyle(text: string): string {
  if (!text.includes('\uFDD0') && !text.includes('\u001b')) return text; // no colour in it (most cells)
  return text.replace(MARKER, '').replace(/\u001b\[[0-9;]*m/g, '');
}

/** Where cs's colour codes can be: a marker (before output) or a real SGR sequence (inside prompts). */
export const STYLE_CODE = new RegExp(`${MARK}\\d{1,3}m|\\u001b\\[[0-9;]*m`, 'g');

type Code = (sgr: number) => string;

/** A Style from SGR codes (open, close), nesting as chalk does: an inner close re-opens the outer style. */
function styleOf(code: Code): Style {
  const wrap = (open: number, close: number) => {
    const opening = code(open);
    const closing = code(close);
    return (text: string) => `${opening}${text.split(closing).join(closing + opening)}${closing}`;
  };
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    magenta: wrap(35, 39),
  };
}

/** The Ui's colours: markers, expanded as the text is written. */
export const markedStyle: Style = styleOf((sgr) => `${MARK}${sgr}m`);

/** Real escape sequences, for text handed to the prompt library (already made visible). */
export const escapeStyle: Style & { blue(text: string): string } = {
  ...styleOf((sgr) => `\u001b[${sgr}m`),
  blue: (text) => `\u001b[34m${text}\u001b[39m`,
};
