/** The database as a whole: its integrity check and an online backup. */
import { chmodSync } from 'node:fs';
import type { DatabaseCheck } from '../store.js';
import type { Connection } from './connection.js';
import { explainSqliteError } from './errors.js';

export function check(c: Connection): DatabaseCheck {
  return c.read(() => {
    const problems = (c.db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).filter((line) => line !== 'ok');
    problems.push(...(c.db.pragma('foreign_key_check') as { table: string; rowid: number }[]).map((row) => `${row.table} row ${row.rowid} points at nothing`));
    const count = (sql: string) => c.sql(sql).pluck().get() as number;
    return {
      problems,
      schemaVersion: c.db.pragma('user_version', { simple: true }) as number,
      accounts: count('SELECT count(*) FROM accounts'),
      runs: count('SELECT count(*) FROM runs'),
      openRuns: count("SELECT count(*) FROM runs WHERE status = 'open'"),
      answers: count('SELECT count(*) FROM answers'),
    };
  });
}

export async function backup(c: Connection, destination: string): Promise<void> {
  try {
    await c.db.backup(destination);
    chmodSync(destination, 0o600);
  } catch (error) {
    throw explainSqliteError(destination, error);
  }
}
