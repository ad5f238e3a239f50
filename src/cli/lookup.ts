/** Finding what a user named, or saying clearly that it does not exist (exit 2). */
import { t } from '../i18n/messages.js';
import { inputError } from '../errors.js';
import { withoutDiacritics } from '../engine/names.js';
import { didYouMean } from '../playbook/problems.js';
import type { Account, Store } from '../store/index.js';
import { csCommand, shellArgument } from './format.js';

/** How many similar names an unknown account suggests at most (git lists a few, too). */
const MAX_SUGGESTIONS = 3;

/** A name as someone types it without Vietnamese diacritics: "Công ty Ánh Dương" → "cong ty anh duong". */
function folded(name: string): string {
  return withoutDiacritics(name).toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * The accounts a mistyped name most likely meant: the same name without its diacritics, names that
 * contain the typed words ("Ánh Dương" for "Công ty Ánh Dương"), else the closest typo.
 */
export function similarNames(typed: string, names: readonly string[]): string[] {
  const word = folded(typed);
  if (word === '') return [];
  const same = names.filter((name) => folded(name) === word);
  if (same.length > 0) return same.slice(0, MAX_SUGGESTIONS);
  if (word.length >= 3) {
    const containing = names.filter((name) => ` ${folded(name)} `.includes(` ${word} `) || folded(name).startsWith(word));
    if (containing.length > 0) return containing.slice(0, MAX_SUGGESTIONS);
  }
  const byFolded = new Map(names.map((name) => [folded(name), name]));
  const guess = didYouMean(word, byFolded.keys());
  return guess === undefined ? [] : [byFolded.get(guess)!];
}

export async function requireAccount(store: Store, name: string, env: NodeJS.ProcessEnv = process.env): Promise<Account> {
  const account = await store.findAccount(name);
  if (account) return account;
  const names = await store.accountNames();
  const similar = similarNames(name.normalize('NFC'), names);
  const cs = csCommand(env);
  if (similar.length > 0) {
    const quoted = similar.map((each) => `"${each}"`);
    throw inputError(t(quoted.length === 1 ? 'account.unknownGuess' : 'account.unknownGuesses', { name, names: quoted.join(', ') }), {
      hint: t('account.listHint', { command: `${cs} accounts list` }),
    });
  }
  throw inputError(t('account.unknown', { name }), {
    hint:
      names.length === 0
        ? t('account.noneYet', { command: `${cs} onboard start ${shellArgument(name.trim() || 'Acme')}` })
        : t('account.noneLike', { count: names.length, command: `${cs} accounts list` }),
  });
}
