/** Opening a database file: refusing what is not ours, creating it safely, migrating it. */
import { chmodSync, closeSync, existsSync, mkdirSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { CsError, inputError, runtimeError } from '../../errors.js';
import { nameKey } from '../../engine/names.js';
import { describeKind, openRegularFile } from '../../files/input.js';
import { packageRoot } from '../../paths.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../migrations.js';
import type { Store, StoreOptions } from '../store.js';
import { Connection } from './connection.js';
import { busyTimeoutMs, explainSqliteError, notCsDatabase } from './errors.js';
import { SqliteStore } from './store.js';
import { said } from '../../i18n/messages.js';
import type { Said } from '../../i18n/messages.js';

/**
 * The compiled SQLite addon, named directly: better-sqlite3's own search for it (the `bindings`
 * package walks the call stack and tries a dozen paths) costs ~4 ms of every start. Looked for as
 * Node looks for a package: in cs's node_modules, then in each parent folder's (an install that
 * hoisted better-sqlite3 above cs).
 */
function sqliteAddon(): string {
  const inPackage = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  for (let folder = packageRoot(); ; folder = dirname(folder)) {
    const addon = join(folder, inPackage);
    if (existsSync(addon)) return addon;
    if (dirname(folder) === folder) break;
  }
  throw runtimeError(said('db.noAddon', { file: inPackage, folder: packageRoot() }), { hint: said('db.noAddonHint') });
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/**
 * Refuses, before SQLite touches it (and leaves a -journal beside it), a path that is not a regular
 * file — a folder, a FIFO, a device, a socket — or a file that is not SQLite. Links to a regular
 * file are followed, as SQLite does.
 */
function checkPathBeforeOpening(path: string): boolean {
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw inputError(said('db.pathIsFolder', { path }), { hint: said('db.pathIsFolderHint') });
    if (!stats.isFile()) throw inputError(said('db.pathNotRegular', { path, kind: describeKind(stats) }), { hint: said('db.pathNotRegularHint') });
    size = stats.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false; // not there yet: creating its folder says what is wrong
    if (error instanceof CsError) throw error;
    throw inputError(said('db.cannotRead', { path, message: (error as Error).message }));
  }
  // empty: another cs has just created it and may be writing its first page this very moment
  if (size === 0) return true;
  const header = Buffer.alloc(16);
  let read = 0;
  let fd: number | undefined;
  try {
    fd = openRegularFile(path, { what: said('db.theDatabase') }).fd;
    read = readSync(fd, header, 0, 16, 0);
  } catch (error) {
    if (error instanceof CsError) throw error;
    throw inputError(said('db.cannotRead', { path, message: (error as Error).message }));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (read > 0 && header.toString('latin1') !== SQLITE_HEADER) throw notCsDatabase(path, said('db.notSqlite'));
  return true;
}

/**
 * Creates the database's folder one level at a time (mode 0700). Node's recursive mkdir can loop
 * forever under pseudo file systems such as /proc; one level at a time fails at once instead.
 */
function createParentFolder(path: string): void {
  const folder = dirname(path);
  const missing: string[] = [];
  let existing = folder;
  while (!existsSync(existing) && dirname(existing) !== existing) {
    missing.unshift(existing);
    existing = dirname(existing);
  }
  const cannot = (message: string | Said) => inputError(said('db.cannotCreateFolder', { folder, message }), { hint: said('db.cannotCreateFolderHint') });
  let isFolder: boolean;
  try {
    isFolder = statSync(existing).isDirectory();
  } catch (error) {
    throw cannot((error as Error).message);
  }
  if (!isFolder) throw cannot(said('db.isAFile', { path: existing }));
  try {
    for (const level of missing) {
      try {
        mkdirSync(level, { mode: 0o700 });
      } catch (error) {
        // another cs starting at the same moment made it first: that is fine
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(level).isDirectory()) throw error;
      }
    }
  } catch (error) {
    throw cannot((error as Error).message);
  }
}

/** `:memory:` gives an empty store that lives as long as the process (see Context.readStore). */
export type { StoreOptions };

export function openSqliteStore(path: string, options: StoreOptions = {}): Store {
  const inMemory = path === ':memory:';
  const existed = inMemory || checkPathBeforeOpening(path);
  if (!existed) createParentFolder(path);
  let db: Db;
  try {
    db = new Database(path, { timeout: busyTimeoutMs(), nativeBinding: sqliteAddon() });
  } catch (error) {
    throw explainSqliteError(path, error);
  }
  try {
    if (!existed) chmodSync(path, 0o600); // answers about customers: readable by their owner only
    checkIdentity(db, path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // for migrations that recompute accounts.name_key (the key is worked out in JS, not SQL)
    db.function('cs_name_key', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? nameKey(value) : null));
    migrate(db, path);
  } catch (error) {
    db.close();
    throw explainSqliteError(path, error);
  }
  return new SqliteStore(new Connection(db, path, options.calendar));
}

/** Reads only: a file that is someone else's SQLite database must not be changed at all. */
function checkIdentity(db: Db, path: string): void {
  // One read transaction, so the three readings come from one moment: another cs creating this very
  // file commits its whole schema at once, and must not look half-made (and so foreign) to us.
  const { applicationId, version, tables } = db
    .transaction(() => ({
      applicationId: db.pragma('application_id', { simple: true }) as number,
      version: db.pragma('user_version', { simple: true }) as number,
      tables: (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n,
    }))
    .deferred();
  if (applicationId === 0 && version === 0) {
    if (tables > 0) throw notCsDatabase(path, said('db.otherProgram'));
    return;
  }
  if (applicationId !== APPLICATION_ID) throw notCsDatabase(path, said('db.otherProgram'));
  if (version > SCHEMA_VERSION) {
    throw runtimeError(said('db.newerSchema', { path, version, known: SCHEMA_VERSION }), { hint: said('db.updateCs') });
  }
}

function migrate(db: Db, path: string): void {
  // The common case, an up-to-date file, needs no write lock at all.
  if ((db.pragma('user_version', { simple: true }) as number) === SCHEMA_VERSION) return;
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw runtimeError(said('db.newer', { path }));
    for (let next = version + 1; next <= SCHEMA_VERSION; next += 1) db.exec(MIGRATIONS[next - 1]!);
    if (version !== SCHEMA_VERSION) {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
  }).immediate();
}
