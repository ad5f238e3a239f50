/**
 * Looking inside a cs database the way a test oracle should: read-only, with better-sqlite3 and
 * plain SQL, never through the store code under test. Used after a kill, a full disk or a refused
 * command: is the file sound (`PRAGMA integrity_check`), is every acknowledged write there, did a
 * refusal change nothing at all (a logical dump of every table)?
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';

/** Opens `path` read-only for `read`; the file must exist. */
export function readDb<T>(path: string, read: (db: Db) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` rows: `['ok']` for a sound file. */
export function integrityCheck(path: string): string[] {
  return readDb(path, (db) => (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check));
}

/**
 * Every row of every table, in a stable order, plus the header pragmas: equal dumps mean the
 * database says exactly the same thing (whatever checkpointing did to the file's bytes). A missing
 * file dumps as "(no database)".
 */
export function dumpDb(path: string): string {
  if (!existsSync(path)) return '(no database)';
  return readDb(path, (db) => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    const dump: Record<string, unknown> = {
      user_version: db.pragma('user_version', { simple: true }),
      application_id: db.pragma('application_id', { simple: true }),
      schema: db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all(),
    };
    for (const table of tables) {
      const columns = (db.pragma(`table_info("${table}")`) as unknown[]).length;
      const order = Array.from({ length: columns }, (_, index) => index + 1).join(', ');
      dump[table] = db.prepare(`SELECT * FROM "${table}" ORDER BY ${order}`).raw().all();
    }
    return JSON.stringify(dump);
  });
}

/** A count from one table (`WHERE` optional). */
export function countRows(path: string, table: string, where = '1', ...params: unknown[]): number {
  return readDb(path, (db) => db.prepare(`SELECT count(*) FROM "${table}" WHERE ${where}`).pluck().get(...params) as number);
}

/** A run as the database holds it, read with SQL. */
export interface StoredRun {
  id: number;
  status: 'open' | 'finished';
  steps: Map<string, { status: string; skipReason: string | null; note: string | null; checked: number[] }>;
  /** `${stepId}\u0000${fieldId}` → the stored value (JSON-decoded). */
  answers: Map<string, unknown>;
}

export const answerKey = (stepId: string, fieldId: string) => `${stepId}\u0000${fieldId}`;

/**
 * Every run of the account named exactly `accountName` (as stored: NFC), oldest first. None in a
 * database not migrated yet (a process killed while creating it).
 */
export function storedRuns(path: string, accountName: string): StoredRun[] {
  return readDb(path, (db) => {
    if (db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'runs'").pluck().get() === 0) return [];
    const runs = db
      .prepare('SELECT r.id, r.status FROM runs r JOIN accounts a ON a.id = r.account_id WHERE a.name = ? ORDER BY r.id')
      .all(accountName.normalize('NFC')) as { id: number; status: StoredRun['status'] }[];
    return runs.map(({ id, status }) => {
      const steps = db.prepare('SELECT step_id, status, skip_reason, note, checked FROM steps WHERE run_id = ?').all(id) as {
        step_id: string;
        status: string;
        skip_reason: string | null;
        note: string | null;
        checked: string;
      }[];
      const answers = db.prepare('SELECT step_id, field_id, value FROM answers WHERE run_id = ?').all(id) as { step_id: string; field_id: string; value: string }[];
      return {
        id,
        status,
        steps: new Map(steps.map((row) => [row.step_id, { status: row.status, skipReason: row.skip_reason, note: row.note, checked: JSON.parse(row.checked) as number[] }])),
        answers: new Map(answers.map((row) => [answerKey(row.step_id, row.field_id), JSON.parse(row.value) as unknown])),
      };
    });
  });
}
