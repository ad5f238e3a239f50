/** Account names as people type them: Vietnamese, pasted from a CRM, in NFC or NFD. */
import { inputError } from '../errors.js';

// C0/C1 controls and the bidi overrides that could disguise a name in a terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** The name as it will be stored and shown: NFC, trimmed, inner runs of spaces folded to one. */
export function cleanAccountName(raw: string): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (name === '') throw inputError('the account name is empty', { hint: 'Give the customer\'s name, e.g. cs onboard start "Acme"' });
  if (CONTROL.test(name)) throw inputError(`the account name ${JSON.stringify(raw)} contains control characters`);
  if (name.length > 200) throw inputError('the account name is longer than 200 characters');
  return name;
}

/**
 * The key two spellings of one account share: "Công ty Ánh Dương" typed in NFC or NFD, with
 * different case or spacing, is the same customer.
 */
export function accountKey(name: string): string {
  return cleanAccountName(name).toLowerCase();
}

/** True when the text holds a control or bidi-override character (never wanted in a name or owner). */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/** An owner as given with --owner: NFC, trimmed; no control characters (they would reach terminals). */
export function cleanOwner(raw: string): string {
  const owner = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (owner === '') throw inputError('--owner needs a name');
  if (hasControlCharacters(owner)) throw inputError(`the owner ${JSON.stringify(raw)} contains control characters`);
  return owner;
}

/** The key an owner (a person's name) is matched by: any case, spacing or Unicode normalisation. */
export function personKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
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

/** Orders names as a Vietnamese reader expects ("Ánh Dương" among the A's; "Khách 2" before "Khách 10"). */
export function compareNames(a: string, b: string): number {
  collator ??= new Intl.Collator('vi', { numeric: true });
  return collator.compare(a, b);
}
