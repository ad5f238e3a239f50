/** What SQLite says, turned into messages a person can act on, naming the file. */
import { CsError, inputError, runtimeError } from '../../errors.js';
import { said } from '../../i18n/messages.js';
import type { Said } from '../../i18n/messages.js';

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
    return runtimeError(said('db.full', { path }), { hint: said('db.fullHint') });
  }
  if (/^SQLITE_IOERR_(SHMSIZE|SHMOPEN|SHMMAP|WRITE|FSYNC|TRUNCATE|DIR_FSYNC)$/.test(code)) {
    // what a full disk (or a file size limit) looks like when SQLite is growing a file other than the database
    return runtimeError(said('db.ioFull', { path, code }), { hint: said('db.ioFullHint') });
  }
  if (code === 'SQLITE_NOTADB') return notCsDatabase(path, said('db.notSqlite'));
  if (code.startsWith('SQLITE_CORRUPT')) {
    return runtimeError(said('db.corrupt', { path, message }), { hint: said('db.corruptHint') });
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
    return inputError(said('db.readOnly', { path }), { hint: said('db.readOnlyHint') });
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return inputError(said('db.cannotOpen', { path }), { hint: said('db.cannotOpenHint') });
  }
  if (code.startsWith('SQLITE_BUSY')) {
    return runtimeError(said('db.locked', { path, seconds: busyTimeoutMs() / 1000 }), { hint: said('db.lockedHint') });
  }
  return runtimeError(said(code ? 'db.errorCode' : 'db.error', { path, message, code }), { cause: error });
}

export function notCsDatabase(path: string, why: Said): CsError {
  return inputError(said('db.notCs', { path, why }), { hint: said('db.notCsHint') });
}
