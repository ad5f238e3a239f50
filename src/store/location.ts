/** Where the database lives. Kept apart from the SQLite code so knowing the path loads no native addon. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { xdgData } from 'xdg-basedir';

/** A PostgreSQL connection URL (postgres:// or postgresql://), as --db and CS_DB accept it. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** --db, else CS_DB, else $XDG_DATA_HOME/cs/cs.db (~/.local/share/cs/cs.db). A PostgreSQL URL is kept as given. */
export function databasePath(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = option ?? env.CS_DB;
  if (chosen && isPostgresUrl(chosen)) return chosen;
  if (chosen) return resolve(chosen === '~' || chosen.startsWith('~/') ? join(homedir(), chosen.slice(1)) : chosen);
  return join(xdgData ?? join(homedir(), '.local', 'share'), 'cs', 'cs.db');
}

/**
 * The database as every message names it: a file's path, or a URL with its password replaced by
 * `***` (the one masking of cs: no message, hint or JSON field prints a password).
 */
export function databaseName(location: string): string {
  return maskPasswords(location);
}

/** Every password in URLs within `text` (user:password@) masked; also a `password=` query parameter. */
export function maskPasswords(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s]*@/gi, '$1***@')
    .replace(/([?&]password=)[^&\s]*/gi, '$1***');
}

/** Whether there is a database to read there yet (a server is always asked). */
export function databaseExists(location: string): boolean {
  return isPostgresUrl(location) || existsSync(location);
}
