#!/usr/bin/env node
// The bench's floor for a query command: a bare script that opens the same database, runs the same
// SQL as cs's store does for that command, and prints the same rows as JSON; no cs code, no
// commander, no engine. What a command costs beyond it is cs's own work (start-up, the engine,
// formatting). `node scripts/floor.mjs agenda|status|status-full|accounts <db> <today> [<until>]`.
// The SQL is the store's (src/store/sqlite/: agendaSql with STEP_OWNER, and dueActionItemsSql,
// runStandings, listRuns + loadRun + histories, accountSummaries); the bench checks that each floor
// prints as many rows as cs does. Like cs's --json lists, the rows are printed as one JSON array
// with a row a line.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const [what, path, today, until] = process.argv.slice(2);
const db = new Database(path, { readonly: true });
const out = (text) => {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(1, bytes, offset);
};
/** The rows as one JSON array, a row a line, as cs's --json lists are written (and in batches, as cs does). */
const outRows = (rows) => {
  if (rows.length === 0) return out('[]\n');
  for (let start = 0; start < rows.length; start += 1000) {
    const lines = rows.slice(start, start + 1000).map((row, index) => `  ${JSON.stringify(row)}${start + index + 1 < rows.length ? ',' : ''}`);
    out(`${start === 0 ? '[\n' : ''}${lines.join('\n')}\n`);
  }
  out(']\n');
};

const RUN_COLUMNS = `r.id, r.account_id, a.name AS account_name, r.playbook_id, r.playbook_version, r.playbook_title,
  r.kind, r.owner, r.start_date, r.status, r.created_at, r.updated_at, r.finished_at`;

if (what === 'agenda') {
  // the page cache cs's agenda reads with (src/store/sqlite/agenda.ts AGENDA_CACHE_KIB)
  db.pragma('cache_size = -32768');
  const sql = `SELECT s.due_date AS due, a.name AS account, s.run_id AS runId, r.playbook_id AS playbookId,
      r.playbook_title AS playbookTitle, s.step_id AS stepId, s.title AS step, s.phase_id AS phase,
      s.position AS position, COALESCE(CASE WHEN s.role IS NOT NULL AND a.fields <> '{}' THEN json_extract(a.fields, '$.' || s.role) END, r.owner, a.owner) AS owner
    FROM steps s JOIN runs r ON r.id = s.run_id JOIN accounts a ON a.id = r.account_id
    WHERE s.status = 'open' AND s.applicable = 1 AND s.due_date <> '' AND s.due_date <= @until AND r.status = 'open'
    ORDER BY s.due_date`;
  // the open action items with a due date join the agenda (src/store/sqlite/v2.ts dueActionItemsSql)
  const actionsSql = `SELECT a.name AS account, i.run_id AS runId, r.playbook_id AS playbookId, r.playbook_title AS playbookTitle,
      i.step_id AS stepId, s.title AS step, s.phase_id AS phase, s.position AS position,
      i.field_id AS fieldId, i.n AS n, i.what AS what, i.who AS who, i.due AS due, i.done AS done, COALESCE(r.owner, a.owner) AS owner
    FROM action_items i JOIN steps s ON s.run_id = i.run_id AND s.step_id = i.step_id
      JOIN runs r ON r.id = i.run_id JOIN accounts a ON a.id = r.account_id
    WHERE i.done = 0 AND i.due IS NOT NULL AND i.due <= @until AND s.applicable = 1
    ORDER BY i.due, a.name, i.run_id, s.position, i.n`;
  const steps = db.prepare(sql).all({ until });
  const actions = db.prepare(actionsSql).all({ until });
  // one list, soonest first, as cs merges the two
  const rows = [];
  let next = 0;
  for (const step of steps) {
    while (next < actions.length && actions[next].due <= step.due) rows.push(actions[next++]);
    rows.push(step);
  }
  rows.push(...actions.slice(next));
  outRows(rows);
} else if (what === 'status') {
  // book-level status: each run's row with its kept figures (run_summaries), the overdue steps from
  // the agenda's index (src/store/sqlite/runs.ts runStandings, src/store/summaries.ts)
  const overdue = new Map();
  for (const runId of db.prepare(`SELECT s.run_id FROM steps s WHERE s.status = 'open' AND s.applicable = 1 AND s.due_date <> '' AND s.due_date < ?`).pluck().iterate(today)) {
    overdue.set(runId, (overdue.get(runId) ?? 0) + 1);
  }
  const runs = db.prepare(`SELECT ${RUN_COLUMNS}, r.snapshot_id, su.done, su.skipped, su.open, su.not_applicable, su.next_position, su.next_due
    FROM runs r JOIN accounts a ON a.id = r.account_id LEFT JOIN run_summaries su ON su.run_id = r.id ORDER BY a.name, r.id`).all();
  const snapshot = db.prepare('SELECT body FROM snapshots WHERE id = ?');
  const snapshots = new Map();
  for (const row of runs) {
    if (!snapshots.has(row.snapshot_id)) snapshots.set(row.snapshot_id, JSON.parse(snapshot.get(row.snapshot_id).body));
    row.overdue = overdue.get(row.id) ?? 0;
  }
  outRows(runs);
} else if (what === 'status-full') {
  // status --full: every run loaded (listRuns + loadRun), its commits read a page of 250 runs at a time
  const runs = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r JOIN accounts a ON a.id = r.account_id ORDER BY a.name, r.id`).all();
  const run = db.prepare(`SELECT ${RUN_COLUMNS}, r.snapshot_id, CASE WHEN r.snapshot_id IS NULL THEN r.snapshot END AS snapshot, a.fields AS account_fields
    FROM runs r JOIN accounts a ON a.id = r.account_id WHERE r.id = ?`);
  const steps = db.prepare('SELECT step_id, due_date, status, skip_reason, note, checked, version, applicable, done_on FROM steps WHERE run_id = ?');
  const answers = db.prepare('SELECT step_id, field_id, value FROM answers WHERE run_id = ?');
  const commits = db.prepare('SELECT run_id AS runId, made_at AS at, made_by AS by, event, step_id AS stepId, detail FROM commits WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY id');
  const snapshot = db.prepare('SELECT body FROM snapshots WHERE id = ?');
  const snapshots = new Map();
  const rows = [];
  for (let start = 0; start < runs.length; start += 250) {
    const page = runs.slice(start, start + 250).map(({ id }) => id);
    const byRun = new Map(page.map((id) => [id, []]));
    for (const { runId, ...commit } of commits.all(JSON.stringify(page))) byRun.get(runId).push(commit);
    for (const id of page) {
      const row = run.get(id);
      if (!snapshots.has(row.snapshot_id)) snapshots.set(row.snapshot_id, JSON.parse(snapshot.get(row.snapshot_id).body));
      rows.push({ ...row, steps: steps.all(id), answers: answers.all(id), commits: byRun.get(id) });
    }
  }
  outRows(rows);
} else if (what === 'accounts') {
  // each account with its open runs' kept figures, the overdue steps from the agenda's index
  // (src/store/summaries.ts accountFiguresSql, overdueByAccountSql)
  const overdue = new Map(
    db.prepare(`SELECT r.account_id, count(*) AS overdue FROM (SELECT s.run_id FROM steps s WHERE s.status = 'open' AND s.applicable = 1 AND s.due_date <> '' AND s.due_date < ?) o
      JOIN runs r ON r.id = o.run_id AND r.status = 'open' GROUP BY r.account_id`).raw().all(today),
  );
  const sql = `SELECT a.*, count(r.id) AS open_runs, min(su.earliest_due) AS next_due
    FROM accounts a
    LEFT JOIN runs r ON r.account_id = a.id AND r.status = 'open'
    LEFT JOIN run_summaries su ON su.run_id = r.id
    GROUP BY a.id`;
  outRows(db.prepare(sql).all().map((row) => ({ ...row, fields: JSON.parse(row.fields), overdue: overdue.get(row.id) ?? 0 })));
} else {
  throw new Error(`floor.mjs: unknown query ${what}`);
}
