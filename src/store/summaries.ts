/**
 * Each run's figures kept in `run_summaries` (both backends): how many of its steps are done,
 * skipped, open or do not apply, its next open step (by position) and that step's due date, and the
 * earliest due date among its open steps. Book-level `cs status` and `cs accounts list` read these
 * instead of every step of every run. Every write to a run's steps recomputes its row from the
 * step rows with the one statement below, in the same transaction, so the two cannot drift (and
 * `db check` compares them). How many steps are overdue depends on the day, so it is never kept:
 * overdueStepsSql reads it from the agenda's index of open steps.
 *
 * The SQL is written once for both backends (placeholders are the caller's: `?` or `$1`).
 */

/** The columns of run_summaries, in order. */
export const SUMMARY_COLUMNS = ['run_id', 'done', 'skipped', 'open', 'not_applicable', 'next_position', 'next_due', 'earliest_due'] as const;

const PENDING = "s.applicable = 1 AND s.status = 'open'";

/**
 * The next step's due date comes with the smallest position in one pass over the run's steps (no
 * subquery per run): each open step's position as text of a fixed width, then its due date, and
 * the least of those; position + 100000 keeps the width fixed for any playbook under 900,000 steps.
 */
const POSITION_KEY = 'CAST(100000 + s.position AS TEXT)';
const POSITION_KEY_LENGTH = 6;

/** Each selected run's summary, computed from its step rows; `where` is a condition on `s.run_id` (or 'true'). */
export function summarySelect(where: string): string {
  return `SELECT s.run_id,
      count(CASE WHEN s.applicable = 1 AND s.status = 'done' THEN 1 END) AS done,
      count(CASE WHEN s.applicable = 1 AND s.status = 'skipped' THEN 1 END) AS skipped,
      count(CASE WHEN ${PENDING} THEN 1 END) AS open,
      count(CASE WHEN s.applicable = 0 THEN 1 END) AS not_applicable,
      min(CASE WHEN ${PENDING} THEN s.position END) AS next_position,
      substr(min(CASE WHEN ${PENDING} THEN ${POSITION_KEY} || ':' || s.due_date END), ${POSITION_KEY_LENGTH + 2}) AS next_due,
      min(CASE WHEN ${PENDING} AND s.due_date <> '' THEN s.due_date END) AS earliest_due
    FROM steps s WHERE ${where} GROUP BY s.run_id`;
}

/** Writes (or rewrites) the summaries of the runs `where` selects; the caller holds the transaction. */
export function refreshSummariesSql(where: string): string {
  const [, ...figures] = SUMMARY_COLUMNS;
  return `INSERT INTO run_summaries (${SUMMARY_COLUMNS.join(', ')}) ${summarySelect(where)}
    ON CONFLICT (run_id) DO UPDATE SET ${figures.map((column) => `${column} = excluded.${column}`).join(', ')}`;
}

/** How many runs' stored summaries differ from what their steps give (or are missing, or have no steps): db check. */
export const DRIFTED_SUMMARIES_SQL = `SELECT count(DISTINCT run_id) AS n FROM (
    SELECT * FROM (${summarySelect('true')}) computed EXCEPT SELECT ${SUMMARY_COLUMNS.join(', ')} FROM run_summaries
    UNION ALL
    SELECT * FROM (SELECT ${SUMMARY_COLUMNS.join(', ')} FROM run_summaries EXCEPT ${summarySelect('true')}) stored
  ) drifted`;

/** Each account's open runs and the earliest due date among their open steps, from the runs' summaries (`where`: on accounts a, or ''). */
export function accountFiguresSql(where: string): string {
  return `SELECT a.*, count(r.id) AS open_runs, min(su.earliest_due) AS next_due
    FROM accounts a
    LEFT JOIN runs r ON r.account_id = a.id AND r.status = 'open'
    LEFT JOIN run_summaries su ON su.run_id = r.id
    ${where} GROUP BY a.id`;
}

/** How many open steps of each account's open runs were due before `today` (a placeholder), from the agenda's index. */
export function overdueByAccountSql(today: string): string {
  return `SELECT r.account_id, count(*) AS overdue FROM (${overdueStepsSql(today)}) o JOIN runs r ON r.id = o.run_id AND r.status = 'open' GROUP BY r.account_id`;
}

/**
 * The run of each open step that applies and was due before `today` (a placeholder): a range of the
 * agenda's partial index of open steps, never the steps' rows. A run's overdue count is how many
 * times it is named (counted by the caller).
 */
export function overdueStepsSql(today: string): string {
  return `SELECT s.run_id FROM steps s WHERE s.status = 'open' AND s.applicable = 1 AND s.due_date <> '' AND s.due_date < ${today}`;
}
