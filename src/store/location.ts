/** Where the database lives. Kept apart from the SQLite code so knowing the path loads no native addon. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { xdgData } from 'xdg-basedir';

/** --db, else CS_DB, else $XDG_DATA_HOME/cs/cs.db (~/.local/share/cs/cs.db). */
export function databasePath(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = option ?? env.CS_DB;
  if (chosen) return resolve(chosen === '~' || chosen.startsWith('~/') ? join(homedir(), chosen.slice(1)) : chosen);
  return join(xdgData ?? join(homedir(), '.local', 'share'), 'cs', 'cs.db');
}
