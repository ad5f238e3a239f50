/** The database as a whole: its integrity check and an online backup. */
import { chmodSync } from 'node:fs';
import type { TableRows } from '../copy.js';
import { columnSql, TABLES } from '../copy.js';
import type { DatabaseCheck } from '../store.js';
import type { Connection } from './connection.js';
import { explainSqliteError } from './errors.js';
import { said } from '../../i18n/messages.js';
import { DRIFTED_SUMMARIES_SQL } from '../summaries.js';

export function check(c: Connection): DatabaseCheck {
  return c.read(() => {
    const problems = (c.db.pragma('integrity_check') as { integrity_check: string }[]).filter((row) => row.integrity_check !== 'ok')
      // SQLite's own words: they have no translation
      .map((row) => said('db.check.sqlite', { line: row.integrity_check }));
    problems.push(...(c.db.pragma('foreign_key_check') as { table: string; rowid: number }[]).map((row) => said('db.check.danglingRow', { table: row.table, row: row.rowid })));
    const count = (sql: string) => c.sql(sql).pluck().get() as number;
    const drifted = count(DRIFTED_SUMMARIES_SQL);
    if (drifted > 0) problems.push(said('db.check.driftedSummaries', { count: drifted }));
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

/** Every row of every table of the copy (copy.ts TABLES), in one read transaction. */
export function readTables(c: Connection): TableRows {
  return c.readSnapshot(() => new Map(TABLES.map((table) => [table.name, c.sql(`SELECT ${table.columns.map(columnSql).join(', ')} FROM ${table.name} ORDER BY ${table.key.join(', ')}`).all() as Record<string, unknown>[]])));
}

/** Replaces everything with `tables` in one transaction. */
export function writeTables(c: Connection, tables: TableRows): void {
  c.write(() => {
    for (const table of [...TABLES].reverse()) c.db.prepare(`DELETE FROM ${table.name}`).run();
    for (const table of TABLES) {
      // runs.snapshot is kept for schema-1 files only: '' for every run with a shared snapshot
      const columns = table.name === 'runs' ? [...table.columns, 'snapshot'] : table.columns;
      const insert = c.db.prepare(`INSERT INTO ${table.name} (${columns.map(columnSql).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      for (const row of tables.get(table.name) ?? []) insert.run(...columns.map((column) => (column === 'snapshot' ? '' : row[column] ?? null)));
    }
  });
}

export function isEmpty(c: Connection): boolean {
  return c.read(() => c.sql('SELECT count(*) FROM accounts').pluck().get() === 0);
}
