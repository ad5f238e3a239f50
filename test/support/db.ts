/**
 * Looking inside a cs database the way a test oracle should: read-only, with better-sqlite3 and
 * plain SQL, never through the store code under test. Used after a kill, a full disk or a refused
 * command: is the file sound (`PRAGMA integrity_check`), is every acknowledged write there, did a
 * refusal change nothing at all (a logical dump of every table)?
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { isPostgresUrl } from '../../src/store/location.js';
import { psql } from './backend.js';
import type { Database as Db } from 'better-sqlite3';

/** Whether the database is there: a file, or a cs schema on the server. */
export function databaseThere(path: string): boolean {
  if (!isPostgresUrl(path)) return existsSync(path);
  return psql("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'runs'", path) === '1';
}

function pgIntegrity(url: string): string[] {
  const orphans = psql(
    `SELECT (SELECT count(*) FROM steps s WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id))
          + (SELECT count(*) FROM answers a WHERE NOT EXISTS (SELECT 1 FROM steps s WHERE s.run_id = a.run_id AND s.step_id = a.step_id))
          + (SELECT count(*) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = r.account_id))`,
    url,
  );
  return orphans === '0' ? ['ok'] : [`${orphans} rows point at nothing`];
}

function pgStoredRuns(url: string, accountName: string): StoredRun[] {
  if (!databaseThere(url)) return [];
  const name = accountName.normalize('NFC').replace(/'/g, "''");
  const json = psql(
    `SELECT COALESCE(json_agg(json_build_object('id', r.id, 'status', r.status,
       'steps', (SELECT COALESCE(json_agg(json_build_object('step_id', s.step_id, 'status', s.status, 'skip_reason', s.skip_reason, 'note', s.note, 'checked', s.checked)), '[]') FROM steps s WHERE s.run_id = r.id),
       'answers', (SELECT COALESCE(json_agg(json_build_object('step_id', x.step_id, 'field_id', x.field_id, 'value', x.value)), '[]') FROM answers x WHERE x.run_id = r.id)
     ) ORDER BY r.id), '[]') FROM runs r JOIN accounts a ON a.id = r.account_id WHERE a.name = '${name}'`,
    url,
  );
  type Row = { id: number; status: StoredRun['status']; steps: { step_id: string; status: string; skip_reason: string | null; note: string | null; checked: string }[]; answers: { step_id: string; field_id: string; value: string }[] };
  return (JSON.parse(json) as Row[]).map((run) => ({
    id: run.id,
    status: run.status,
    steps: new Map(run.steps.map((row) => [row.step_id, { status: row.status, skipReason: row.skip_reason, note: row.note, checked: JSON.parse(row.checked) as number[] }])),
    answers: new Map(run.answers.map((row) => [answerKey(row.step_id, row.field_id), JSON.parse(row.value) as unknown])),
  }));
}

/** Opens `path` read-only for `read`; the file must exist. */
export function readDb<T>(path: string, read: (db: Db) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` rows: `['ok']` for a sound file. On PostgreSQL: every reference points at a row. */
export function integrityCheck(path: string): string[] {
  if (isPostgresUrl(path)) return pgIntegrity(path);
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
  if (isPostgresUrl(path)) return pgStoredRuns(path, accountName);
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
