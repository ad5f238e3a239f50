/**
 * The SQL of the journey report, the calendar export and `cs shift`, for the PostgreSQL store: the
 * same figures as src/store/sqlite/report.ts (defined in src/engine/report.ts), computed in the
 * database from three temporary tables that live for one transaction (ON COMMIT DROP: no session
 * state is left behind, so pgbouncer in transaction mode is fine). Text is compared and ordered by
 * code point (COLLATE "C") and NULLs sort first, as SQLite does, so both print the same report.
 */
import type { BookReport, ReportQuery } from '../../engine/report.js';
import { assembleReport } from '../report-figures.js';
import type { OpenRunRow, PlaybookCountRow, ReportStepRow, SkipReasonRow, SpreadRow, StepCountRow } from '../report-figures.js';
import { shiftRaced } from '../refusals.js';
import type { AgendaEntry, CalendarEntry, CalendarExport, ShiftRecord, UndoneShift } from '../store.js';
import type { PgConnection, Queryable } from './connection.js';
import { playbookOf, refreshSummaries } from './runs.js';

// $1 playbook, $2 since, $3 the owners that match (null: any)
const FILL_RUNS = `CREATE TEMP TABLE report_runs ON COMMIT DROP AS
  SELECT r.id AS run_id, r.playbook_id, r.snapshot_id, r.start_date, r.status, a.name AS account, COALESCE(r.owner, a.owner) AS owner, substr(r.updated_at, 1, 10) AS last_commit
  FROM runs r JOIN accounts a ON a.id = r.account_id
  WHERE ($1::text IS NULL OR r.playbook_id = $1::text) AND ($2::text IS NULL OR r.start_date >= $2::text)
    AND ($3::text[] IS NULL OR COALESCE(r.owner, a.owner) = ANY($3::text[]))`;

// since: the latest day an earlier step was done or skipped, else day 0; never before day 0
const FILL_RESOLVED = `CREATE TEMP TABLE report_resolved ON COMMIT DROP AS
  SELECT rr.playbook_id, s.run_id, s.step_id, s.position, s.status, s.due_date, substr(s.completed_at, 1, 10) AS done_day,
    GREATEST(rr.start_date, COALESCE(max(substr(s.completed_at, 1, 10)) OVER (PARTITION BY s.run_id ORDER BY s.position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), rr.start_date)) AS since
  FROM report_runs rr JOIN steps s ON s.run_id = rr.run_id AND s.status <> 'open' AND s.applicable = 1`;

const INDEX_RESOLVED = 'CREATE INDEX ON report_resolved (run_id, position)';

// $1 today. Each open run that has started, at its first open step, and since when it waits there.
const FILL_WAITING = `CREATE TEMP TABLE report_waiting ON COMMIT DROP AS
  SELECT f.run_id, f.playbook_id, s.step_id, s.title,
    GREATEST(f.start_date, COALESCE((SELECT max(r.done_day) FROM report_resolved r WHERE r.run_id = f.run_id AND r.position < s.position), f.start_date)) AS since
  FROM (
    SELECT rr.run_id, rr.playbook_id, rr.start_date,
      (SELECT o.step_id FROM steps o WHERE o.run_id = rr.run_id AND o.status = 'open' AND o.applicable = 1 ORDER BY o.position LIMIT 1) AS step_id
    FROM report_runs rr WHERE rr.status = 'open' AND rr.start_date <= $1::text
  ) f JOIN steps s ON s.run_id = f.run_id AND s.step_id = f.step_id`;

const STEPS = `SELECT one.playbook_id, s.step_id, min(s.position) AS position, max(s.title COLLATE "C") AS title
  FROM (SELECT min(run_id) AS run_id, playbook_id FROM report_runs GROUP BY playbook_id, snapshot_id) one JOIN steps s ON s.run_id = one.run_id
  GROUP BY one.playbook_id, s.step_id`;

const STEP_COUNTS = `SELECT playbook_id, step_id, sum(resolved)::integer AS resolved, sum(done)::integer AS done, sum(skipped)::integer AS skipped,
    sum(on_time)::integer AS on_time, sum(waiting)::integer AS waiting FROM (
    SELECT playbook_id, step_id, 1 AS resolved, (status = 'done')::integer AS done, (status = 'skipped')::integer AS skipped,
      (status = 'done' AND (due_date = '' OR done_day <= due_date))::integer AS on_time, 0 AS waiting
      FROM report_resolved
    UNION ALL
    SELECT playbook_id, step_id, 0, 0, 0, 0, 1 FROM report_waiting
  ) counted GROUP BY playbook_id, step_id`;

// $1 today. Median and nearest-rank p90 as on SQLite; a day difference is date - date.
const SPREADS = `WITH measures AS (
    SELECT playbook_id, step_id, 'days' AS what, CASE WHEN done_day IS NULL THEN NULL ELSE GREATEST(0, done_day::date - since::date) END AS v
      FROM report_resolved WHERE status = 'done'
    UNION ALL
    SELECT playbook_id, step_id, 'late', done_day::date - due_date::date
      FROM report_resolved WHERE status = 'done' AND due_date <> '' AND done_day > due_date
    UNION ALL
    SELECT playbook_id, step_id, 'waiting', GREATEST(0, ($1::text)::date - since::date)
      FROM report_waiting
  ), ranked AS (
    SELECT playbook_id, step_id, what, v,
      row_number() OVER (PARTITION BY playbook_id, step_id, what ORDER BY v NULLS FIRST) AS rn,
      count(*) OVER (PARTITION BY playbook_id, step_id, what) AS n
    FROM measures
  )
  SELECT playbook_id, step_id, what, max(n)::integer AS count,
    avg(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN v END)::float8 AS median, max(CASE WHEN rn = (9 * n + 9) / 10 THEN v END)::integer AS p90
  FROM ranked GROUP BY playbook_id, step_id, what`;

const SKIP_REASONS = `SELECT r.playbook_id, r.step_id, s.skip_reason AS reason, count(*)::integer AS count
  FROM report_resolved r JOIN steps s ON s.run_id = r.run_id AND s.step_id = r.step_id
  WHERE r.status = 'skipped'
  GROUP BY r.playbook_id, r.step_id, s.skip_reason
  ORDER BY r.playbook_id, r.step_id, count(*) DESC, s.skip_reason COLLATE "C" NULLS FIRST`;

const PLAYBOOK_COUNTS = `SELECT c.playbook_id, r.playbook_title AS title, c.runs, c.open, c.finished FROM (
    SELECT playbook_id, max(run_id) AS latest, count(*)::integer AS runs,
      (count(*) FILTER (WHERE status = 'open'))::integer AS open, (count(*) FILTER (WHERE status = 'finished'))::integer AS finished
    FROM report_runs GROUP BY playbook_id
  ) c JOIN runs r ON r.id = c.latest ORDER BY c.playbook_id COLLATE "C"`;

// $1 today. Overdue steps from the partial index of open steps by due date.
const OPEN_RUNS = `WITH overdue AS MATERIALIZED (
    SELECT s.run_id, count(*)::integer AS overdue, min(s.due_date COLLATE "C") AS oldest_due FROM steps s
    WHERE s.status = 'open' AND s.applicable = 1 AND s.due_date <> '' AND s.due_date < $1::text GROUP BY s.run_id
  )
  SELECT rr.run_id, rr.account, rr.playbook_id, rr.owner, rr.last_commit, GREATEST(0, ($1::text)::date - rr.last_commit::date) AS days_since_commit,
    COALESCE(o.overdue, 0) AS overdue, o.oldest_due,
    w.step_id AS waiting_id, w.title AS waiting_title
  FROM report_runs rr LEFT JOIN overdue o ON o.run_id = rr.run_id LEFT JOIN report_waiting w ON w.run_id = rr.run_id
  WHERE rr.status = 'open'`;

/**
 * The stored owners (run's, else account's) that `matches`: a book has a few dozen, so they are
 * matched here (src/people's keys) and the report's SQL compares them as they are stored.
 */
async function ownersMatching(q: Queryable, matches: (stored: string | null) => boolean): Promise<string[]> {
  const stored = await q.rows<{ owner: string }>(
    'SELECT DISTINCT COALESCE(r.owner, a.owner) AS owner FROM runs r JOIN accounts a ON a.id = r.account_id WHERE COALESCE(r.owner, a.owner) IS NOT NULL',
  );
  return stored.map((row) => row.owner).filter((each) => matches(each));
}

/** The report over the runs `query` selects (`matches`: its owner test), read in one snapshot. */
export async function bookReport(q: Queryable, query: ReportQuery, matches: ((stored: string | null) => boolean) | undefined): Promise<BookReport> {
  await q.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  const owners = matches === undefined ? null : await ownersMatching(q, matches);
  await q.run(FILL_RUNS, [query.playbookId ?? null, query.since ?? null, owners]);
  await q.run(FILL_RESOLVED);
  await q.run(INDEX_RESOLVED);
  await q.run(FILL_WAITING, [query.today]);
  await q.run('ANALYZE report_runs, report_resolved, report_waiting');
  return assembleReport(query, {
    spreads: await q.rows<SpreadRow & Record<string, unknown>>(SPREADS, [query.today]),
    skipReasons: await q.rows<SkipReasonRow & Record<string, unknown>>(SKIP_REASONS),
    stepCounts: await q.rows<StepCountRow & Record<string, unknown>>(STEP_COUNTS),
    steps: await q.rows<ReportStepRow & Record<string, unknown>>(STEPS),
    openRuns: await q.rows<OpenRunRow & Record<string, unknown>>(OPEN_RUNS, [query.today]),
    playbookCounts: await q.rows<PlaybookCountRow & Record<string, unknown>>(PLAYBOOK_COUNTS),
  });
}

/** The database's identity (schema 2 gives every database one), for calendar UIDs. */
async function databaseId(q: Queryable): Promise<string> {
  const [row] = await q.rows<{ value: string }>("SELECT value FROM meta WHERE key = 'database_id'");
  return row?.value ?? 'cs';
}

/** The agenda's rows (`agendaRows`, with two more columns) with what a calendar event needs. */
export async function calendarExport(
  c: PgConnection,
  q: Queryable,
  agendaRows: (q: Queryable, moreColumns: string) => Promise<(AgendaEntry & { sequence: number; snapshotId: number })[]>,
): Promise<CalendarExport> {
  const rows = await agendaRows(q, ', s.due_revision AS sequence, r.snapshot_id AS "snapshotId"');
  const guides = new Map<number, Map<string, string>>();
  const entries: CalendarEntry[] = [];
  for (const { snapshotId, phase: _phase, position: _position, ...row } of rows) {
    let forSnapshot = guides.get(snapshotId);
    if (!forSnapshot) {
      const playbook = await playbookOf(c, q, snapshotId);
      forSnapshot = new Map(playbook.phases.flatMap((phase) => phase.steps.map((step) => [step.id, step.guide ?? ''] as [string, string])));
      guides.set(snapshotId, forSnapshot);
    }
    entries.push({ ...row, guide: forSnapshot.get(row.stepId) || null });
  }
  return { databaseId: await databaseId(q), entries };
}

/** Moves the due dates of `record.moves`, or nothing when any of them changed since it was read. */
export async function shiftDueDates(q: Queryable, runId: number, record: ShiftRecord, stamp: string): Promise<void> {
  for (const each of record.moves) {
    const moved = await q.run(
      "UPDATE steps SET due_date = $1, due_revision = due_revision + 1 WHERE run_id = $2 AND step_id = $3 AND status = 'open' AND due_date = $4",
      [each.to, runId, each.stepId, each.from],
    );
    if (moved !== 1) throw shiftRaced(runId, each.stepId);
  }
  const [shift] = await q.rows<{ id: number }>('INSERT INTO shifts (run_id, "offset", from_step, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [
    runId,
    record.offset,
    record.fromStep ?? null,
    stamp,
  ]);
  await q.run('INSERT INTO shift_steps (shift_id, step_id, old_due, new_due) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])', [
    shift!.id,
    record.moves.map((each) => each.stepId),
    record.moves.map((each) => each.from),
    record.moves.map((each) => each.to),
  ]);
  await refreshSummaries(q, [runId]);
}

/** Puts back the due dates of the latest shift not undone yet among `runIds` (see the SQLite version). */
export async function undoLastShift(q: Queryable, runIds: readonly number[], stamp: string): Promise<UndoneShift | undefined> {
  if (runIds.length === 0) return undefined;
  const [shift] = await q.rows<{ id: number; runId: number; offset: string; fromStep: string | null; createdAt: string }>(
    `SELECT id, run_id AS "runId", "offset", from_step AS "fromStep", created_at AS "createdAt" FROM shifts
     WHERE undone_at IS NULL AND run_id = ANY($1::integer[]) ORDER BY id DESC LIMIT 1 FOR UPDATE`,
    [runIds],
  );
  if (!shift) return undefined;
  // the run's steps are locked first: a walk committing beside the undo waits, then sees the dates
  await q.run('SELECT 1 FROM steps WHERE run_id = $1 ORDER BY step_id FOR UPDATE', [shift.runId]);
  const moves = await q.rows<{ stepId: string; title: string | null; from: string; to: string; restorable: boolean | null }>(
    `SELECT ss.step_id AS "stepId", s.title, ss.new_due AS "from", ss.old_due AS "to", s.status = 'open' AND s.due_date = ss.new_due AS restorable
     FROM shift_steps ss LEFT JOIN steps s ON s.run_id = $1 AND s.step_id = ss.step_id WHERE ss.shift_id = $2 ORDER BY s.position NULLS FIRST`,
    [shift.runId, shift.id],
  );
  const restored = [];
  const kept = [];
  for (const { restorable, ...each } of moves) {
    const move = { ...each, title: each.title ?? each.stepId };
    if (restorable) {
      await q.run('UPDATE steps SET due_date = $1, due_revision = due_revision + 1 WHERE run_id = $2 AND step_id = $3', [move.to, shift.runId, move.stepId]);
      restored.push(move);
    } else kept.push(move);
  }
  await q.run('UPDATE shifts SET undone_at = $1 WHERE id = $2', [stamp, shift.id]);
  await refreshSummaries(q, [shift.runId]);
  return { runId: shift.runId, offset: shift.offset, fromStep: shift.fromStep, shiftedAt: shift.createdAt, restored, kept };
}
