/** A book of business: its accounts and runs, planned by the engine, written in one transaction. */
import { outcomeOf, planImport } from '../../engine/book.js';
import type { BookLookup, BookRow, ImportOutcome, ImportPlan, StoredRun } from '../../engine/book.js';
import type { ImportOptions } from '../store.js';
import type { Connection } from './connection.js';
import { now } from './connection.js';
import type { AccountRow } from '../rows.js';
import { freshSteps, insertRunRow } from './runs.js';
import type { SnapshotCache, StepValues } from './runs.js';
import { commitTime } from './people.js';
import type { Playbook } from '../../playbook/types.js';
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
  if (options.dryRun) return outcomeOf(c.readSnapshot(() => planImport(rows, lookup, options)));
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
  const total = plan.runs.length;
  const every = Math.max(1, Math.floor(total / 100));
  // (a failure rolls the temporary tables back with the rest)
  const runs = bulkRunWriter(c);
  plan.runs.forEach((run, index) => {
    runs.add(run.accountId ?? ids.get(run.key)!, run.row.playbook, run.row.startDate, run.owner, stamp, run.accountFields);
    if ((index + 1) % every === 0 || index + 1 === total) {
      runs.flush();
      options.onProgress?.(index + 1, total);
    }
  });
  runs.close();
  return outcomeOf(plan);
}

/**
 * Runs written in bulk: each run's row as it comes, and its steps and start commit set-based, by
 * `flush`. Most runs of an import share their steps' values with others (one playbook, one start
 * date: a few hundred sets for 100,000 rows), so each distinct set is written once into a temporary
 * table, each run names its set, and one INSERT … SELECT makes every step row in SQLite, in the
 * order of the steps' primary key (runs by id, then the set's steps by id: no sort). Binding eight
 * values per step row from JavaScript instead (1.2 M rows) cost ~0.7 s more of CPU. What insertRun
 * writes for one run, row for row; inside the import's transaction (the temporary tables too).
 */
function bulkRunWriter(c: Connection) {
  c.db.exec(`CREATE TEMP TABLE import_step_sets (step_set INTEGER NOT NULL, step_id TEXT NOT NULL, position INTEGER NOT NULL, phase_id TEXT NOT NULL,
      title TEXT NOT NULL, due_date TEXT NOT NULL, applicable INTEGER NOT NULL, role TEXT, PRIMARY KEY (step_set, step_id)) WITHOUT ROWID;
    CREATE TEMP TABLE import_runs (run_id INTEGER PRIMARY KEY, step_set INTEGER NOT NULL)`);
  const cache: SnapshotCache = new Map();
  const sets = new Map<StepValues, number>();
  let lastSet = 0;
  const addStep = c.sql('INSERT INTO temp.import_step_sets (step_set, step_id, position, phase_id, title, due_date, applicable, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const addRun = c.sql('INSERT INTO temp.import_runs (run_id, step_set) VALUES (?, ?)');
  const steps = c.sql(`INSERT INTO steps (run_id, step_id, position, phase_id, title, due_date, applicable, role)
    SELECT r.run_id, s.step_id, s.position, s.phase_id, s.title, s.due_date, s.applicable, s.role
    FROM temp.import_runs r JOIN temp.import_step_sets s ON s.step_set = r.step_set`);
  const commits = c.sql("INSERT INTO commits (run_id, event, step_id, detail, made_by, made_at) SELECT run_id, 'start', NULL, NULL, ?, ? FROM temp.import_runs");
  return {
    add(accountId: number, playbook: Playbook, startDate: string, owner: string | null, stamp: string, accountFields?: Record<string, string>): void {
      const fresh = freshSteps(c, playbook, startDate, cache, accountFields);
      let set = sets.get(fresh.steps);
      if (set === undefined) {
        set = ++lastSet;
        if (fresh.shared) sets.set(fresh.steps, set); // steps worked out for this run alone are not met again
        for (const step of fresh.steps) addStep.run(set, ...step);
      }
      addRun.run(insertRunRow(c, accountId, playbook, fresh.snapshotId, startDate, owner, stamp), set);
    },
    /** Writes the steps and start commits of the runs added since the last flush. */
    flush(): void {
      steps.run();
      commits.run(c.actor, commitTime(c));
      c.db.exec('DELETE FROM temp.import_runs');
    },
    close(): void {
      c.db.exec('DROP TABLE temp.import_runs; DROP TABLE temp.import_step_sets');
    },
  };
}
