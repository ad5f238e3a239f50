/** Opening the store. Commands get a Store and never see SQL (nor which backend holds it). */
import { isPostgresUrl } from './location.js';
import { openPostgresStore } from './postgres/store.js';
import { openSqliteStore } from './sqlite/open.js';
import type { Store, StoreOptions } from './store.js';

export type { Account, CommitOutcome, Draft, LoadedRun, NewRun, Run, RunFilter, SeenStep, Store } from './store.js';
export { NOTE_DRAFT } from './store.js';
export { databaseExists, databaseName, databasePath, isPostgresUrl } from './location.js';

/** A file path (or `:memory:`) opens SQLite; a postgres:// or postgresql:// URL, PostgreSQL (pg is loaded only then). */
export function openStore(location: string, options?: StoreOptions): Store {
  return isPostgresUrl(location) ? openPostgresStore(location, options) : openSqliteStore(location, options);
}
