/**
 * Values bound for an email header (To, From, Subject), checked before a header is built from
 * them. Addresses are read by nodemailer's RFC 5322 address parser, never by splitting strings,
 * and only after every character that could end a header line or disguise one (CR, LF, U+2028,
 * U+0085, any other C0/C1 control, a bidi override) has been refused: given such a character, the
 * parser turns `"Lan\r\nBcc: evil@x" <lan@x>` into a group and drops the real address.
 */
import addressparser from 'nodemailer/lib/addressparser/index.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

/** C0 (but TAB) and C1 controls, DEL, the Unicode line and paragraph separators, bidi controls, BOM. */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

/** What a mail client accepts as an address: one @, no spaces, quotes, brackets or separators. */
const ADDRESS = /^[^\s@<>"(),;:\\[\]]+@[^\s@<>"(),;:\\[\]]+$/u;

export interface Mailbox {
  name: string;
  address: string;
}

export interface AddressList {
  addresses: Mailbox[];
  /** Names given without an address (a person the user still has to look up). */
  unaddressed: string[];
  /** Entries that could not be read as addresses: reported, never guessed at. */
  unreadable: string[];
}

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The value quoted for a message, every invisible or control character written as \uXXXX. */
function shown(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu, (character) => `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/**
 * Why `value` must not go into a header, or undefined when it may. `line` is the line of a value
 * made of lines (each checked on its own), for the message to say which.
 */
export function unsafeHeaderValue(value: string, line?: number): Said | undefined {
  const found = UNSAFE.exec(value);
  if (!found) return undefined;
  const params = { character: codePoint(found[0]), value: shown(value) };
  return line === undefined ? said('header.control', params) : said('header.controlOnLine', { ...params, line });
}

/** Tabs are folding white space in a header: kept as one space. */
function spaced(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Quotes and angle brackets that do not pair up: the text is not an address list we can trust. */
function unbalanced(line: string): boolean {
  let quoted = false;
  let angle = 0;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index];
    if (character === '\\' && quoted) index += 1;
    else if (character === '"') quoted = !quoted;
    else if (!quoted && character === '<') angle += 1;
    else if (!quoted && character === '>') angle -= 1;
    if (angle < 0 || angle > 1) return true;
  }
  return quoted || angle !== 0;
}

/**
 * `Lan <lan@x> Minh <minh@y>`: a mailbox closed by `>` and followed by more text without a
 * separator starts the next mailbox. (Outside quotes only: a quoted name may hold anything.)
 */
function separateMailboxes(line: string): string {
  let out = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index]!;
    out += character;
    if (character === '\\' && quoted) out += line[++index] ?? '';
    else if (character === '"') quoted = !quoted;
    else if (character === '>' && !quoted && /^\s*[^\s,;]/u.test(line.slice(index + 1))) out += ',';
  }
  return out;
}

/**
 * The addresses of a header value as people type them in an answer: separated by commas,
 * semicolons or line breaks. Throws nothing: what is refused is in `problems` (then the header
 * must be left out whole), what is merely odd in `unaddressed` and `unreadable`.
 */
export function parseAddressList(text: string): AddressList & { problems: Said[] } {
  const list: AddressList & { problems: Said[] } = { addresses: [], unaddressed: [], unreadable: [], problems: [] };
  // A line break separates addresses; it is split on first, so only what is inside a line is checked.
  text.normalize('NFC').split('\n').forEach((raw, index, lines) => {
    const line = spaced(raw.replace(/\t/g, ' '));
    const number = lines.length > 1 ? index + 1 : undefined;
    const unsafe = unsafeHeaderValue(raw.replace(/\t/g, ' '), number);
    if (unsafe) return void list.problems.push(unsafe);
    if (line === '') return;
    if (unbalanced(line)) {
      return void list.problems.push(number ? said('header.unpairedOnLine', { line: number, value: shown(line) }) : said('header.unpaired', { value: shown(line) }));
    }
    for (const entry of addressparser(separateMailboxes(line))) {
      if ('group' in entry && entry.group) {
        // "Bcc: evil@x" reads as a group named Bcc: never what a person typing recipients means
        list.problems.push(said('header.group', { value: shown(line), name: entry.name }));
        continue;
      }
      const name = spaced(entry.name ?? '');
      const address = (entry.address ?? '').trim();
      if (address === '') {
        if (name !== '') list.unaddressed.push(name);
        continue;
      }
      // An address (or a bracket) left in the name means two entries ran together.
      if (!ADDRESS.test(address) || /[<>]/u.test(name) || name.split(' ').some((word) => ADDRESS.test(word))) {
        list.unreadable.push(name === '' ? address : `${name} <${address}>`);
        continue;
      }
      list.addresses.push({ name: name === address ? '' : name, address });
    }
  });
  return list;
}

/** A From value: one mailbox. A name alone is no From (the mail client fills in the user's own). */
export function parseMailbox(text: string): { mailbox?: Mailbox; name?: string; problems: Said[] } {
  if (text.includes('\n')) return { problems: [unsafeHeaderValue(text)!] };
  const list = parseAddressList(text);
  if (list.problems.length > 0) return { problems: list.problems };
  const found = list.addresses.length + list.unreadable.length;
  if (found > 1 || list.unreadable.length > 0) {
    return { problems: [said('header.oneAddress', { value: shown(spaced(text)) })] };
  }
  if (list.addresses[0]) return { mailbox: list.addresses[0], problems: [] };
  return { name: list.unaddressed[0], problems: [] };
}
