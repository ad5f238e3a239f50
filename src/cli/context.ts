/** What every command receives: the terminal, the environment, and the store (opened on first use). */
import type { Store } from '../store/index.js';
import { databasePath, openStore } from '../store/index.js';
import type { Ui } from '../ui/ui.js';

export interface GlobalOptions {
  db?: string;
  color?: boolean;
}

export interface Context {
  ui: Ui;
  env: NodeJS.ProcessEnv;
  dbPath: string;
  store(): Store;
  close(): void;
}

export function createContext(ui: Ui, options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Context {
  const dbPath = databasePath(options.db, env);
  let store: Store | undefined;
  return {
    ui,
    env,
    dbPath,
    store: () => (store ??= openStore(dbPath)),
    close: () => {
      store?.close();
      store = undefined;
    },
  };
}
