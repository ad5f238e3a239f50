/**
 * Account and owner names as people type them: Vietnamese, pasted from a CRM, in NFC or NFD, with
 * the tone mark where their keyboard put it (Hoà or Hòa), with a zero-width space picked up on the
 * way. A name is kept as first typed; it is matched by a key in which all of that is folded away.
 */
import { inputError } from '../errors.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

// C0/C1 controls and the bidi overrides that could disguise a name in a terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** Characters that show nothing: zero-width ones, Hangul fillers, soft hyphen, BOM, U+180E… and the braille blank. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;
const EDGE_INVISIBLE = /^[\s\p{Default_Ignorable_Code_Point}\u2800]+|[\s\p{Default_Ignorable_Code_Point}\u2800]+$/gu;
/** The five Vietnamese tone marks, as combining characters (NFD). */
const TONE = '[\u0300\u0301\u0303\u0309\u0323]';
/**
 * Where old and new style put the tone of a syllable ending in oa, oe or uy: hoà/hòa, khoẻ/khỏe,
 * thuỷ/thủy (and the misspelling qúy for quý). Folded onto the second vowel, where both styles put
 * it once a consonant follows (hoàn, khoét, huýt).
 */
const TONE_ON_FIRST_VOWEL = new RegExp(`(o)(${TONE})([ae])(?![\\p{L}\\p{M}])|(u)(${TONE})(y)(?![\\p{L}\\p{M}])`, 'gu');

function codePoints(text: string): string {
  return [...text].map((character) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}

/** NFC, without invisible characters at either end, inner runs of spaces folded to one. */
function tidyName(raw: string): string {
  return raw.normalize('NFC').replace(EDGE_INVISIBLE, '').replace(/\s+/gu, ' ');
}

/** A character that shows: not a space, an invisible character nor a mark. */
const SHOWS = /[^\s\p{M}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** True when nothing of the text would show: only spaces, invisible characters and lone marks. */
function invisibleOnly(text: string): boolean {
  return !SHOWS.test(text);
}

/** Why a tidied name cannot be a name (`what` says whose), or undefined. */
function nameProblem(what: Said, raw: string, name: string): Said | undefined {
  // tabs and line breaks are spaces by now (folded); any control left is refused
  if (CONTROL.test(raw.replace(/\s+/gu, ' '))) return said('name.controls', { what, name: JSON.stringify(raw) });
  if (invisibleOnly(raw) && raw.replace(/\p{White_Space}/gu, '') !== '') return said('name.invisible', { what, codes: codePoints(raw) });
  if (name === '') return said('name.empty', { what });
  if (invisibleOnly(name)) return said('name.invisible', { what, codes: codePoints(name) });
  return undefined;
}

/** The name as it will be stored and shown: NFC, trimmed, inner runs of spaces folded to one. */
export function cleanAccountName(raw: string): string {
  const name = tidyName(raw);
  const problem = nameProblem(said('name.account'), raw, name);
  if (problem) throw inputError(problem, { hint: said('name.accountHint') });
  if (name.length > 200) throw inputError(said('name.tooLong'));
  return name;
}

/**
 * The key two spellings of one name share: NFC or NFD, any case or spacing, zero-width
 * characters anywhere, the tone mark of oa/oe/uy in old or new style. "Công ty Hoà Bình" and
 * "CÔNG TY HÒA BÌNH" are one customer.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .toLowerCase()
    .replace(INVISIBLE, '')
    .replace(TONE_ON_FIRST_VOWEL, (_, o, oTone, ae, u, uTone, y) => (o ? `${o}${ae}${oTone}` : `${u}${y}${uTone}`))
    .normalize('NFC')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The key an account is found by (accounts.name_key). */
export function accountKey(name: string): string {
  return nameKey(cleanAccountName(name));
}

/** True when the text holds a control or bidi-override character (never wanted in a name or owner). */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/** Why an owner as given (--owner, a CSV's owner column) cannot be one, or undefined; '' is no owner. */
export function ownerProblem(raw: string): Said | undefined {
  return nameProblem(said('name.owner'), raw, tidyName(raw));
}

/** An owner as given with --owner: NFC, trimmed; no control characters (they would reach terminals). */
export function cleanOwner(raw: string): string {
  const owner = tidyName(raw);
  if (owner === '' && raw.trim() === '') throw inputError(said('report.ownerEmpty'));
  const problem = ownerProblem(raw);
  if (problem) throw inputError(problem);
  return owner;
}

/** The key an owner (a person's name) is matched by: the same folding as account names. */
export function personKey(name: string): string {
  return nameKey(name);
}

/** Text as typed on a keyboard without Vietnamese accents: "Công ty Ánh Dương" → "Cong ty Anh Duong". */
export function withoutDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '') // the accents, now split off their letters
    .replace(/đ/g, 'd') // đ is a letter of its own, not d with a mark
    .replace(/Đ/g, 'D');
}

let collator: Intl.Collator | undefined;

/**
 * Orders names as a Vietnamese reader expects ("Ánh Dương" among the A's, "Đại Việt" after the
 * D's; "Khách 2" before "Khách 10"): the one comparator of every list of names. The collator costs
 * ~7 ms to build, so it is built on the first comparison only (a list of one name never pays).
 */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0; // a list of steps holds each account's name many times: no collation for those
  collator ??= new Intl.Collator('vi', { numeric: true });
  return collator.compare(a, b);
}
