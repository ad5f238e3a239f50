/** Finding what a user named, or saying clearly that it does not exist (exit 2). */
import { inputError } from '../errors.js';
import { didYouMean } from '../playbook/problems.js';
import type { Account, Store } from '../store/index.js';

export function requireAccount(store: Store, name: string): Account {
  const account = store.findAccount(name);
  if (account) return account;
  const guess = didYouMean(name.normalize('NFC'), store.accountNames());
  throw inputError(`unknown account "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}`, {
    hint: 'See cs status for the accounts you have, or start one with cs onboard start <account>.',
  });
}
