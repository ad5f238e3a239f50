/**
 * People as cs knows them: an owner, the acting user, a document's signature. A person has a name,
 * maybe an email address and maybe a handle (`lan`); any of the three finds them. Today the people
 * cs knows are the acting user alone (src/people/acting.ts, from `cs config`); a team directory
 * adds more people to the same `Directory` and nothing here changes.
 */
import { personKey } from '../engine/names.js';

export interface Person {
  /** The full name, as signed; the address or the handle when that is all there is. */
  name: string;
  email?: string;
  /** A short id (`lan`), as typed with --owner. */
  handle?: string;
  /** `{{owner}}` prints the name. */
  toString(): string;
}

/** The people an owner's text is looked up in: the acting user today, the team tomorrow. */
export type Directory = readonly Person[];

/** Handles are unique in any case: `Lan` and `lan` are one person (the team's key). */
export function handleKey(handle: string): string {
  return handle.toLowerCase();
}

export const EMAIL_ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
export const HANDLE = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

function clean(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

export function person(fields: { name?: string; email?: string; handle?: string }): Person | undefined {
  const name = fields.name ? clean(fields.name) : '';
  const email = fields.email && EMAIL_ADDRESS.test(fields.email.trim()) ? fields.email.trim() : undefined;
  const handle = fields.handle && HANDLE.test(fields.handle.trim()) ? fields.handle.trim() : undefined;
  const shown = name || handle || email;
  if (!shown) return undefined;
  return { name: shown, ...(email ? { email } : {}), ...(handle ? { handle } : {}), toString: () => shown };
}

/** A person as typed: "Nguyễn Thị Lan <lan@example.com>", "lan@example.com", or just "Lan". */
export function parsePerson(text: string | null | undefined): Person | undefined {
  const value = text ? clean(text) : '';
  if (!value) return undefined;
  const bracketed = /^(.*?)\s*<([^<>]+)>$/.exec(value);
  if (bracketed) {
    const email = bracketed[2]!.trim();
    const name = bracketed[1]!.replace(/^"(.*)"$/, '$1').trim();
    // "Lan <not an address>": keep what was typed as the name rather than lose it
    return EMAIL_ADDRESS.test(email) ? person({ name, email }) : person({ name: value });
  }
  if (EMAIL_ADDRESS.test(value)) return person({ email: value });
  return person({ name: value });
}

/** How a person is written down (a run's owner): "Name <address>", or what there is of it. */
export function personText(who: Person): string {
  return who.email && who.name !== who.email ? `${who.name} <${who.email}>` : who.email ?? who.name;
}

/** The name, the address and the handle, each folded (any case, spacing or normalisation). */
export function identityKeys(who: Person): string[] {
  // the name folded as account names are (case, NFC/NFD, zero-width characters, Hoà = Hòa)
  const keys = new Set<string>([personKey(who.name)]);
  if (who.email) keys.add(`${who.email.toLowerCase()}`);
  if (who.handle) keys.add(who.handle.toLowerCase());
  return [...keys];
}

function sharesKey(a: Person, b: Person): boolean {
  const keys = new Set(identityKeys(a));
  return identityKeys(b).some((key) => keys.has(key));
}

/**
 * The person an owner's text means: looked up in the directory by handle, name or address (so
 * `lan` or "Nguyễn Thị Lan" gives the whole person, address included), else as typed.
 */
export function resolvePerson(text: string | null | undefined, directory: Directory = []): Person | undefined {
  const typed = parsePerson(text);
  if (!typed) return undefined;
  const known = directory.find((each) => sharesKey(each, typed));
  if (!known) return typed;
  return person({ name: known.name, email: known.email ?? typed.email, handle: known.handle });
}

/** The keys an --owner query matches a stored owner by: every key of the person it means. */
export function ownerQueryKeys(query: string, directory: Directory = []): string[] {
  const who = resolvePerson(query, directory);
  return who ? identityKeys(who) : [];
}

/** A stored owner's keys (cached: the agenda asks this of every row). */
const storedKeys = new Map<string, readonly string[]>();

export function ownerKeysOf(stored: string): readonly string[] {
  let keys = storedKeys.get(stored);
  if (!keys) {
    const who = parsePerson(stored);
    keys = who ? identityKeys(who) : [];
    if (storedKeys.size > 10_000) storedKeys.clear();
    storedKeys.set(stored, keys);
  }
  return keys;
}

/**
 * An owner as shown in lists: the name alone ("Nguyễn Thị Lan", not "Nguyễn Thị Lan <lan@…>"), the
 * full name of a handle the directory knows.
 */
/** ownerLabel for a whole list: a book has a handful of owners over thousands of lines, each worked out once. */
export function ownerLabeller(directory: Directory = []): (stored: string | null | undefined) => string | undefined {
  const labels = new Map<string, string | undefined>();
  return (stored) => {
    if (!stored) return undefined;
    if (!labels.has(stored)) labels.set(stored, ownerLabel(stored, directory));
    return labels.get(stored);
  };
}

export function ownerLabel(stored: string | null | undefined, directory: Directory = []): string | undefined {
  if (!stored) return undefined;
  const typed = parsePerson(stored);
  const known = typed && directory.find((each) => sharesKey(each, typed));
  if (known) return known.name;
  // otherwise the stored text itself (whatever it holds is the terminal's to make safe), less the address
  const bracketed = /^(.*?)\s*<[^<>]+>\s*$/.exec(stored);
  const name = bracketed?.[1]?.trim().replace(/^"(.*)"$/, '$1');
  return name || stored;
}
