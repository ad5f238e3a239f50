/** Finding what a user named, or saying clearly that it does not exist (exit 2). */
import { inputError } from '../errors.js';
import { loadCatalog } from '../playbook/catalog.js';
import type { Catalog } from '../playbook/catalog.js';
import { didYouMean } from '../playbook/problems.js';
import type { Account, Store } from '../store/index.js';
import type { Ui } from '../ui/ui.js';

/** Every playbook found; broken files are named on stderr, never silently dropped. */
export function loadPlaybooks(ui: Ui): Catalog {
  const catalog = loadCatalog();
  if (catalog.brokenFiles.length > 0) {
    const files = catalog.brokenFiles.map((broken) => broken.file);
    ui.err(ui.style.yellow(`warning: ${files.length} playbook file${files.length === 1 ? ' has' : 's have'} problems and ${files.length === 1 ? 'was' : 'were'} skipped (${files.join(', ')}); see cs playbooks validate`));
  }
  return catalog;
}

export function requireAccount(store: Store, name: string): Account {
  const account = store.findAccount(name);
  if (account) return account;
  const guess = didYouMean(name.normalize('NFC'), store.listAccounts().map((each) => each.name));
  throw inputError(`unknown account ${JSON.stringify(name)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}`, {
    hint: 'See cs status for the accounts you have, or start one with cs onboard start <account>.',
  });
}
