/**
 * The SQL of the journey report, the calendar export and `cs shift`, for the SQLite store. The
 * report's figures are defined in src/engine/report.ts and README ("How the report counts"); they
 * are computed here in SQL, so that a book of 100,000 runs is never loaded into memory run by run.
 */
import { shiftRaced } from '../refusals.js';
import type { BookReport, ReportQuery } from '../../engine/report.js';
import { assembleReport } from '../report-figures.js';
import type { OpenRunRow, PlaybookCountRow, ReportStepRow, SkipReasonRow, SpreadRow, StepCountRow } from '../report-figures.js';
import type { Playbook } from '../../playbook/types.js';
import { agendaFilter, agendaSql } from './agenda.js';
import type { Connection } from './connection.js';
import { refreshSummary } from './runs.js';
import { ownerQuery } from './connection.js';
import type { AgendaEntry, AgendaQuery, CalendarEntry, CalendarExport, ShiftRecord, UndoneShift } from '../store.js';

// The report works from three small temporary tables, filled once per report: the runs it counts,
// their steps done or skipped, and where each open run waits. Only they are read run by run; in a
// large book most steps are still ahead, and none of those is read at all.
const CREATE_TABLES = `
  CREATE TEMP TABLE report_runs (run_id INTEGER PRIMARY KEY, playbook_id TEXT, snapshot_id INTEGER, start_date TEXT, status TEXT, account TEXT, owner TEXT, last_commit TEXT);
  CREATE TEMP TABLE report_resolved (playbook_id TEXT, run_id INTEGER, step_id TEXT, position INTEGER, status TEXT, due_date TEXT, done_day TEXT, since TEXT);
  CREATE TEMP TABLE report_waiting (run_id INTEGER PRIMARY KEY, playbook_id TEXT, step_id TEXT, title TEXT, since TEXT);`;

const DROP_TABLES = 'DROP TABLE IF EXISTS temp.report_runs; DROP TABLE IF EXISTS temp.report_resolved; DROP TABLE IF EXISTS temp.report_waiting;';

const FILL_RUNS = `INSERT INTO temp.report_runs
  SELECT r.id, r.playbook_id, r.snapshot_id, r.start_date, r.status, a.name, COALESCE(r.owner, a.owner), substr(r.updated_at, 1, 10)
  FROM runs r JOIN accounts a ON a.id = r.account_id
  WHERE (@playbook IS NULL OR r.playbook_id = @playbook) AND (@since IS NULL OR r.start_date >= @since)
    AND (@owner IS NULL OR cs_owner_is(COALESCE(r.owner, a.owner), @owner) = 1)`;

// The steps done or skipped that apply (a step whose condition no longer holds is not counted), from
// the partial index steps_resolved. since: the latest day an earlier
// step (in the playbook's order) was done or skipped, else the run's day 0; never before day 0.
const FILL_RESOLVED = `INSERT INTO temp.report_resolved
  SELECT rr.playbook_id, s.run_id, s.step_id, s.position, s.status, s.due_date, substr(s.completed_at, 1, 10),
    max(rr.start_date, COALESCE(max(substr(s.completed_at, 1, 10)) OVER (PARTITION BY s.run_id ORDER BY s.position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), rr.start_date))
  FROM temp.report_runs rr JOIN steps s INDEXED BY steps_resolved ON s.run_id = rr.run_id AND s.status <> 'open' AND s.applicable = 1`;

// Each open run that has started, at its first open step that applies (the one it waits on), and since when:
// every step before that one is done or skipped, so it waits since the latest of them (else day 0).
const FILL_WAITING = `INSERT INTO temp.report_waiting
  SELECT f.run_id, f.playbook_id, s.step_id, s.title,
    max(f.start_date, COALESCE((SELECT max(r.done_day) FROM temp.report_resolved r WHERE r.run_id = f.run_id AND r.position < s.position), f.start_date))
  FROM (
    SELECT rr.run_id, rr.playbook_id, rr.start_date,
      (SELECT o.step_id FROM steps o WHERE o.run_id = rr.run_id AND o.status = 'open' AND o.applicable = 1 ORDER BY o.position LIMIT 1) AS step_id
    FROM temp.report_runs rr WHERE rr.status = 'open' AND rr.start_date <= @today
  ) f JOIN steps s ON s.run_id = f.run_id AND s.step_id = f.step_id`;

const INDEX_RESOLVED = 'CREATE INDEX temp.report_resolved_by_run ON report_resolved(run_id, position)';

// A playbook's steps, as the runs counted have them: one run of each snapshot (version) in use.
const STEPS = `SELECT one.playbook_id, s.step_id, min(s.position) AS position, max(s.title) AS title
  FROM (SELECT min(run_id) AS run_id, playbook_id FROM temp.report_runs GROUP BY playbook_id, snapshot_id) one JOIN steps s ON s.run_id = one.run_id
  GROUP BY one.playbook_id, s.step_id`;

const STEP_COUNTS = `SELECT playbook_id, step_id, sum(resolved) AS resolved, sum(done) AS done, sum(skipped) AS skipped, sum(on_time) AS on_time, sum(waiting) AS waiting FROM (
    SELECT playbook_id, step_id, 1 AS resolved, status = 'done' AS done, status = 'skipped' AS skipped, status = 'done' AND (due_date = '' OR done_day <= due_date) AS on_time, 0 AS waiting
      FROM temp.report_resolved
    UNION ALL
    SELECT playbook_id, step_id, 0, 0, 0, 0, 1 FROM temp.report_waiting
  ) GROUP BY playbook_id, step_id`;

// Median: the middle value, or the mean of the two middle ones. p90: nearest rank, the value at rank
// ceil(0.9 n) in ascending order, i.e. (9n + 9) / 10 in whole numbers.
const SPREADS = `WITH measures AS (
    SELECT playbook_id, step_id, 'days' AS what, CAST(max(0, julianday(done_day) - julianday(since)) AS INTEGER) AS v
      FROM temp.report_resolved WHERE status = 'done'
    UNION ALL
    SELECT playbook_id, step_id, 'late', CAST(julianday(done_day) - julianday(due_date) AS INTEGER)
      FROM temp.report_resolved WHERE status = 'done' AND due_date <> '' AND done_day > due_date
    UNION ALL
    SELECT playbook_id, step_id, 'waiting', CAST(max(0, julianday(@today) - julianday(since)) AS INTEGER)
      FROM temp.report_waiting
  ), ranked AS (
    SELECT playbook_id, step_id, what, v,
      row_number() OVER (PARTITION BY playbook_id, step_id, what ORDER BY v) AS rn,
      count(*) OVER (PARTITION BY playbook_id, step_id, what) AS n
    FROM measures
  )
  SELECT playbook_id, step_id, what, max(n) AS count,
    avg(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN v END) AS median, max(CASE WHEN rn = (9 * n + 9) / 10 THEN v END) AS p90
  FROM ranked GROUP BY playbook_id, step_id, what`;

const SKIP_REASONS = `SELECT r.playbook_id, r.step_id, s.skip_reason AS reason, count(*) AS count
  FROM temp.report_resolved r JOIN steps s ON s.run_id = r.run_id AND s.step_id = r.step_id
  WHERE r.status = 'skipped'
  GROUP BY r.playbook_id, r.step_id, s.skip_reason
  ORDER BY r.playbook_id, r.step_id, count DESC, reason`;

// the title: the latest run's (a playbook's title can change between versions)
const PLAYBOOK_COUNTS = `SELECT c.playbook_id, r.playbook_title AS title, c.runs, c.open, c.finished FROM (
    SELECT playbook_id, max(run_id) AS latest, count(*) AS runs, sum(status = 'open') AS open, sum(status = 'finished') AS finished
    FROM temp.report_runs GROUP BY playbook_id
  ) c JOIN runs r ON r.id = c.latest ORDER BY c.playbook_id`;

// Overdue steps come from the partial index of open steps by due date: only those before today are
// read; a step that does not apply or waits on its anchor (due '') is never overdue.
const OPEN_RUNS = `WITH overdue AS MATERIALIZED (
    SELECT s.run_id, count(*) AS overdue, min(s.due_date) AS oldest_due FROM steps s INDEXED BY steps_open_by_due
    WHERE s.status = 'open' AND s.applicable = 1 AND s.due_date <> '' AND s.due_date < @today GROUP BY s.run_id
  )
  SELECT rr.run_id, rr.account, rr.playbook_id, rr.owner, rr.last_commit, max(0, CAST(julianday(@today) - julianday(rr.last_commit) AS INTEGER)) AS days_since_commit,
    COALESCE(o.overdue, 0) AS overdue, o.oldest_due,
    w.step_id AS waiting_id, w.title AS waiting_title
  FROM temp.report_runs rr LEFT JOIN overdue o ON o.run_id = rr.run_id LEFT JOIN temp.report_waiting w ON w.run_id = rr.run_id
  WHERE rr.status = 'open'`;

/** The report over the runs `query` selects, read in one transaction. */
export function bookReport(c: Connection, query: ReportQuery): BookReport {
  const { db } = c;
  c.foldFunction();
  const params = {
    today: query.today,
    playbook: query.playbookId ?? null,
    since: query.since ?? null,
    owner: query.owner === undefined ? null : ownerQuery(query.ownerKeys ?? query.owner),
  };
  // each statement is given only the parameters it names
  const all = <T>(sql: string) => {
    const statement = db.prepare(sql);
    const named = Object.fromEntries(Object.entries(params).filter(([name]) => sql.includes(`@${name}`)));
    return statement.all(named) as T[];
  };
  db.exec(DROP_TABLES + CREATE_TABLES);
  try {
    return db.transaction(() => {
      db.prepare(FILL_RUNS).run({ playbook: params.playbook, since: params.since, owner: params.owner });
      db.prepare(FILL_RESOLVED).run();
      db.exec(INDEX_RESOLVED);
      db.prepare(FILL_WAITING).run({ today: params.today });
      return assembleReport(query, {
        spreads: all<SpreadRow>(SPREADS),
        skipReasons: all<SkipReasonRow>(SKIP_REASONS),
        stepCounts: all<StepCountRow>(STEP_COUNTS),
        steps: all<ReportStepRow>(STEPS),
        openRuns: all<OpenRunRow>(OPEN_RUNS),
        playbookCounts: all<PlaybookCountRow>(PLAYBOOK_COUNTS),
      });
    }).deferred();
  } finally {
    db.exec(DROP_TABLES);
  }
}

/** The database's identity (schema 5 gives every database one), for calendar UIDs. */
export function databaseId(c: Connection): string {
  const { db } = c;
  return (db.prepare("SELECT value FROM meta WHERE key = 'database_id'").pluck().get() as string | undefined) ?? 'cs';
}

/** The open steps of open runs due by `query.until`, with what a calendar event needs. */
export function calendarExport(c: Connection, query: AgendaQuery): CalendarExport {
  const { db } = c;
  const { conditions, params } = agendaFilter(c, query);
  return db
    .transaction(() => {
      const rows = db.prepare(agendaSql(conditions, ', s.due_revision AS sequence, r.snapshot_id AS snapshotId')).all(params) as (AgendaEntry & Omit<CalendarEntry, 'guide'> & { snapshotId: number | null })[];
      // each snapshot's guides, parsed once: a book shares a handful of snapshots
      const guides = new Map<number, Map<string, string>>();
      const body = db.prepare('SELECT body FROM snapshots WHERE id = ?').pluck();
      const guideOf = (snapshotId: number | null, stepId: string): string | null => {
        if (snapshotId === null) return null;
        let forSnapshot = guides.get(snapshotId);
        if (!forSnapshot) {
          const playbook = JSON.parse(body.get(snapshotId) as string) as Playbook;
          forSnapshot = new Map(playbook.phases.flatMap((phase) => phase.steps.map((step) => [step.id, step.guide ?? ''] as [string, string])));
          guides.set(snapshotId, forSnapshot);
        }
        return forSnapshot.get(stepId) || null;
      };
      const entries = rows.map(({ snapshotId, phase: _phase, position: _position, ...row }) => ({ ...row, guide: guideOf(snapshotId, row.stepId) }));
      return { databaseId: databaseId(c), entries };
    })
    .deferred();
}

/** Moves the due dates of `record.moves`, or nothing when any of them changed since it was read. */
export function shiftDueDates(c: Connection, runId: number, record: ShiftRecord, stamp: string): void {
  const { db } = c;
  const move = db.prepare(
    "UPDATE steps SET due_date = @to, due_revision = due_revision + 1 WHERE run_id = @runId AND step_id = @stepId AND status = 'open' AND due_date = @from",
  );
  for (const each of record.moves) {
    if (move.run({ runId, stepId: each.stepId, from: each.from, to: each.to }).changes !== 1) {
      throw shiftRaced(runId, each.stepId);
    }
  }
  const shiftId = Number(
    db.prepare('INSERT INTO shifts (run_id, offset, from_step, created_at) VALUES (?, ?, ?, ?)').run(runId, record.offset, record.fromStep ?? null, stamp).lastInsertRowid,
  );
  const insert = db.prepare('INSERT INTO shift_steps (shift_id, step_id, old_due, new_due) VALUES (?, ?, ?, ?)');
  for (const each of record.moves) insert.run(shiftId, each.stepId, each.from, each.to);
  refreshSummary(c, runId);
}

/**
 * Puts back the due dates of the latest shift not undone yet among `runIds`. A step done, skipped or
 * moved again since keeps what it has (and is named in `kept`).
 */
export function undoLastShift(c: Connection, runIds: readonly number[], stamp: string): UndoneShift | undefined {
  const { db } = c;
  if (runIds.length === 0) return undefined;
  const shift = db
    .prepare(`SELECT id, run_id AS runId, offset, from_step AS fromStep, created_at AS createdAt FROM shifts
      WHERE undone_at IS NULL AND run_id IN (${runIds.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT 1`)
    .get(...runIds) as { id: number; runId: number; offset: string; fromStep: string | null; createdAt: string } | undefined;
  if (!shift) return undefined;
  const moves = db
    .prepare(
      `SELECT ss.step_id AS stepId, s.title, ss.new_due AS "from", ss.old_due AS "to", s.status = 'open' AND s.due_date = ss.new_due AS restorable
       FROM shift_steps ss LEFT JOIN steps s ON s.run_id = ? AND s.step_id = ss.step_id WHERE ss.shift_id = ? ORDER BY s.position`,
    )
    .all(shift.runId, shift.id) as { stepId: string; title: string | null; from: string; to: string; restorable: number | null }[];
  const restore = db.prepare('UPDATE steps SET due_date = ?, due_revision = due_revision + 1 WHERE run_id = ? AND step_id = ?');
  const restored = [];
  const kept = [];
  for (const { restorable, ...each } of moves) {
    const move = { ...each, title: each.title ?? each.stepId };
    if (restorable) {
      restore.run(move.to, shift.runId, move.stepId);
      restored.push(move);
    } else kept.push(move);
  }
  db.prepare('UPDATE shifts SET undone_at = ? WHERE id = ?').run(stamp, shift.id);
  refreshSummary(c, shift.runId);
  return { runId: shift.runId, offset: shift.offset, fromStep: shift.fromStep, shiftedAt: shift.createdAt, restored, kept };
}
