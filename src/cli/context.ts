/** What every command receives: the terminal, the environment, and the store (opened on first use). */
import { inputError } from '../errors.js';
import { today } from '../engine/dates.js';
import { actorText } from '../people/acting.js';
import { databaseExists, databaseName, databasePath } from '../store/location.js';
import type { Store } from '../store/store.js';
import type { WorkCalendar } from '../engine/due.js';
import { workCalendar } from './calendar.js';
import type { Ui } from '../ui/ui.js';

export interface GlobalOptions {
  db?: string;
  color?: boolean;
}

export type StoreOpener = (path: string, options?: { calendar?: WorkCalendar }) => Store;

export interface Context {
  ui: Ui;
  env: NodeJS.ProcessEnv;
  dbPath: string;
  /** The database as messages name it: a path, or a URL with its password masked. */
  dbName: string;
  store(): Store;
  /**
   * For commands that only read: the database when its file exists, else an empty one in memory,
   * so that `cs status` on a new machine answers "no runs yet" without creating a file.
   */
  readStore(): Store;
  close(): Promise<void>;
  /** What to tell the user if Ctrl-C arrives outside a prompt (set by commands that walk a run). */
  interruptHint?: string;
}

/**
 * `open` is passed in (rather than imported here) so that commands which never touch the
 * database, and `cs --version`, do not load the SQLite addon.
 */
export function createContext(ui: Ui, options: GlobalOptions, open?: StoreOpener, env: NodeJS.ProcessEnv = process.env): Context {
  const dbPath = databasePath(options.db, env);
  let store: Store | undefined;
  let empty: Store | undefined;
  const context: Context = {
    ui,
    env,
    dbPath,
    dbName: databaseName(dbPath),
    store: () => {
      if (!open) throw inputError('internal: this command was not given a database');
      if (!store) {
        store = open(dbPath, { calendar: workCalendar(env) });
        // every commit says who made it: CS_USER, else cs config's user (see src/people/acting.ts)
        store.setActor(actorText(env), today(env));
      }
      return store;
    },
    readStore: () => {
      if (store || databaseExists(dbPath)) return context.store();
      if (!open) throw inputError('internal: this command was not given a database');
      return (empty ??= open(':memory:', { calendar: workCalendar(env) }));
    },
    close: async () => {
      const open = [store, empty];
      store = empty = undefined;
      for (const each of open) await each?.close();
    },
  };
  return context;
}
