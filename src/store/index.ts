/** Where the database lives, and opening it. Commands get a Store and never see SQL. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { xdgData } from 'xdg-basedir';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export type { Account, LoadedRun, NewRun, Run, RunFilter, Store } from './store.js';

/** --db, else CS_DB, else $XDG_DATA_HOME/cs/cs.db (~/.local/share/cs/cs.db). */
export function databasePath(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = option ?? env.CS_DB;
  if (chosen) return resolve(chosen === '~' || chosen.startsWith('~/') ? join(homedir(), chosen.slice(1)) : chosen);
  return join(xdgData ?? join(homedir(), '.local', 'share'), 'cs', 'cs.db');
}

export function openStore(path: string): Store {
  return openSqliteStore(path);
}
