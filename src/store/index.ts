/** Opening the store. Commands get a Store and never see SQL. */
import { openSqliteStore } from './sqlite/open.js';
import type { StoreOptions } from './sqlite/open.js';
import type { Store } from './store.js';

export type { Account, CommitOutcome, Draft, LoadedRun, NewRun, Run, RunFilter, SeenStep, Store } from './store.js';
export { NOTE_DRAFT } from './store.js';
export { databasePath } from './location.js';

export function openStore(path: string, options?: StoreOptions): Store {
  return openSqliteStore(path, options);
}
