/** What SQLite says, turned into messages a person can act on, naming the file. */
import { CsError, inputError, runtimeError } from '../../errors.js';

/** How long a write waits for another process's lock: 10 s, or CS_BUSY_TIMEOUT_MS (the tests' short wait). */
export function busyTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const chosen = Number(env.CS_BUSY_TIMEOUT_MS);
  return Number.isInteger(chosen) && chosen >= 0 && env.CS_BUSY_TIMEOUT_MS?.trim() !== '' ? chosen : 10_000;
}

/** Turns what SQLite says into a message a person can act on, naming the file. */
export function explainSqliteError(path: string, error: unknown): CsError {
  if (error instanceof CsError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  if (code === 'SQLITE_FULL') {
    return runtimeError(`the disk holding ${path} is full; nothing after the last saved answer was written`, {
      hint: 'Free some space, then continue with cs resume.',
    });
  }
  if (/^SQLITE_IOERR_(SHMSIZE|SHMOPEN|SHMMAP|WRITE|FSYNC|TRUNCATE|DIR_FSYNC)$/.test(code)) {
    // what a full disk (or a file size limit) looks like when SQLite is growing a file other than the database
    return runtimeError(`cannot write to ${path} or its journal: the disk is full, or a file size limit was reached (${code})`, {
      hint: 'Free some space, then run the command again. What was saved before is intact.',
    });
  }
  if (code === 'SQLITE_NOTADB') return notCsDatabase(path, 'it is not an SQLite database');
  if (code.startsWith('SQLITE_CORRUPT')) {
    return runtimeError(`the database ${path} is damaged (${message})`, {
      hint: 'Restore it from a backup, or point --db at another file. The file was left as it is.',
    });
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
    return inputError(`cannot write to the database ${path}: it is read-only`, {
      hint: 'Check the file\'s permissions, or point --db (or CS_DB) at a writable file.',
    });
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return inputError(`cannot open the database ${path}`, { hint: 'Check the path given with --db or CS_DB.' });
  }
  if (code.startsWith('SQLITE_BUSY')) {
    return runtimeError(`the database ${path} is locked by another program (waited ${busyTimeoutMs() / 1000} s)`, {
      hint: 'Another cs (or a program such as sqlite3) is writing to it; once it is done, run the command again.',
    });
  }
  return runtimeError(`database error in ${path}: ${message}${code ? ` (${code})` : ''}`, { cause: error });
}

export function notCsDatabase(path: string, why: string): CsError {
  return inputError(`${path} is not a cs database: ${why}`, {
    hint: 'The file was left untouched. Point --db (or CS_DB) at another file.',
  });
}
