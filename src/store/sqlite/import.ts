/** A book of business: its accounts and runs, planned by the engine, written in one transaction. */
import { outcomeOf, planImport } from '../../engine/book.js';
import type { BookLookup, BookRow, ImportOutcome, ImportPlan, StoredRun } from '../../engine/book.js';
import type { ImportOptions } from '../store.js';
import type { Connection } from './connection.js';
import { now } from './connection.js';
import type { AccountRow } from '../rows.js';
import { insertRun } from './runs.js';
import type { SnapshotCache } from './runs.js';
import { refreshSummariesSql } from '../summaries.js';

export function importBook(c: Connection, rows: readonly BookRow[], options: ImportOptions = {}): ImportOutcome {
  const toStored = (row: Pick<AccountRow, 'id' | 'name' | 'owner' | 'fields'> | undefined) =>
    row && { id: row.id, name: row.name, owner: row.owner, fields: JSON.parse(row.fields) as Record<string, string> };
  // Record ids are account fields; each column's are read once per import (one pass over the accounts).
  const byRecord = new Map<string, Map<string, number>>();
  const lookup: BookLookup = {
    account: (key) => toStored(c.sql('SELECT id, name, owner, fields FROM accounts WHERE name_key = ?').get(key) as AccountRow | undefined),
    accountByRecord: (column, value) => {
      let ids = byRecord.get(column);
      if (!ids) {
        const found = c.sql('SELECT j.value AS record, a.id AS id FROM accounts a, json_each(a.fields) j WHERE j.key = ?').all(column) as { record: unknown; id: number }[];
        byRecord.set(column, (ids = new Map(found.map((row) => [String(row.record), row.id]))));
      }
      const id = ids.get(value);
      return id === undefined ? undefined : toStored(c.sql('SELECT id, name, owner, fields FROM accounts WHERE id = ?').get(id) as AccountRow | undefined);
    },
    runs: (accountId, playbookId) =>
      c.sql('SELECT id, start_date AS startDate, status FROM runs WHERE account_id = ? AND playbook_id = ?').all(accountId, playbookId) as StoredRun[],
  };
  if (options.dryRun) return c.read(() => outcomeOf(c.db.transaction(() => planImport(rows, lookup, options)).deferred()));
  return c.write(() => {
    const plan = planImport(rows, lookup, options);
    if (plan.problems.length > 0) return outcomeOf(plan);
    return withAgendaIndexRebuilt(c, plan.runs.length, () => withSummariesOfNewRuns(c, () => writePlan(c, plan, options)));
  });
}

/** The summaries (run_summaries) of the runs `write` adds, computed from their steps in one statement once they are written. */
function withSummariesOfNewRuns<T>(c: Connection, write: () => T): T {
  const lastRun = c.sql('SELECT coalesce(max(id), 0) FROM runs').pluck().get() as number;
  const result = write();
  c.sql(refreshSummariesSql('s.run_id > ?')).run(lastRun);
  return result;
}

/** Runs below this many are written into the agenda's index as they go (rebuilding it would cost more). */
const REBUILD_INDEX_MIN_RUNS = 1000;

/**
 * A large import's writes: when it adds at least as many runs as the database holds, the partial
 * index of open steps (steps_open_by_due) is dropped and built again at the end. Kept up to date
 * row by row, that index takes each new step at a random place (by due date) in a B-tree far larger
 * than SQLite's page cache, which writes the same pages to the WAL again and again (100,000 rows:
 * 18 s of CPU, 10 of them in the kernel); built once, it is one sort (7.5 s in all). Inside the
 * caller's transaction: a failure leaves the index as it was, and other processes never see it
 * missing. (A 64 MiB page cache instead: 14 s; with the rebuild it only costs memory.)
 */
function withAgendaIndexRebuilt<T>(c: Connection, newRuns: number, write: () => T): T {
  const storedRuns = (c.sql('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  const index =
    newRuns >= REBUILD_INDEX_MIN_RUNS && newRuns >= storedRuns
      ? (c.sql("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'steps_open_by_due'").pluck().get() as string | undefined)
      : undefined;
  if (index) c.db.exec('DROP INDEX steps_open_by_due');
  const result = write();
  if (index) c.db.exec(index);
  return result;
}

function writePlan(c: Connection, plan: ImportPlan, options: ImportOptions): ImportOutcome {
  const stamp = now();
  const ids = new Map<string, number>();
  const insertAccount = c.sql('INSERT INTO accounts (name, name_key, owner, fields, created_at) VALUES (?, ?, ?, ?, ?)');
  for (const account of plan.newAccounts) {
    ids.set(account.key, Number(insertAccount.run(account.name, account.key, account.owner, JSON.stringify(account.fields), stamp).lastInsertRowid));
  }
  const updateAccount = c.sql('UPDATE accounts SET owner = ?, fields = ? WHERE id = ?');
  for (const change of plan.changedAccounts) updateAccount.run(change.owner, JSON.stringify(change.fields), change.id);
  const cache: SnapshotCache = new Map();
  const total = plan.runs.length;
  const every = Math.max(1, Math.floor(total / 100));
  plan.runs.forEach((run, index) => {
    insertRun(c, run.accountId ?? ids.get(run.key)!, run.row.playbook, run.row.startDate, run.owner, stamp, cache, run.accountFields);
    if ((index + 1) % every === 0 || index + 1 === total) options.onProgress?.(index + 1, total);
  });
  return outcomeOf(plan);
}
