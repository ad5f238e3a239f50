/** The agenda: open steps of open runs due by a day, streamed from an index. */
import type { AgendaEntry, AgendaQuery } from '../store.js';
import type { Connection } from './connection.js';
import { ownerQuery } from './connection.js';
import { explainSqliteError } from './errors.js';

/**
 * The agenda: open steps of open runs due by a day. It walks the partial index steps_open_by_due
 * (open steps by due date, already in order, holding every column of a step it needs) and joins
 * each step to its run and account by primary key; no snapshot is read. `conditions` narrow it
 * further (by account, by owner).
 */
/**
 * Whose a step is: the account's person of the role the step names (its fields cos, csm, …), else
 * the run's owner, else the account's. The role is in the agenda's covering index.
 */
// (an account without fields, the common case, skips parsing them)
export const STEP_OWNER = `COALESCE(CASE WHEN s.role IS NOT NULL AND a.fields <> '{}' THEN json_extract(a.fields, '$.' || s.role) END, r.owner, a.owner)`;

export function agendaSql(conditions: string[] = [], moreColumns = ''): string {
  return `SELECT s.due_date AS due, a.name AS account, s.run_id AS runId, r.playbook_id AS playbookId,
      r.playbook_title AS playbookTitle, s.step_id AS stepId, s.title AS step, s.phase_id AS phase,
      s.position AS position, ${STEP_OWNER} AS owner${moreColumns}
    FROM steps s JOIN runs r ON r.id = s.run_id JOIN accounts a ON a.id = r.account_id
    WHERE s.status = 'open' AND s.applicable = 1 AND s.due_date <> '' AND s.due_date <= @until AND r.status = 'open'${conditions.map((condition) => ` AND ${condition}`).join('')}
    ORDER BY s.due_date`;
}

/** The conditions and parameters of agendaSql for `query` (the agenda's, and the calendar's). */
export function agendaFilter(c: Connection, query: AgendaQuery): { conditions: string[]; params: Record<string, string | number> } {
  const conditions: string[] = [];
  const params: Record<string, string | number> = { until: query.until };
  if (query.accountId !== undefined) {
    conditions.push('r.account_id = @accountId');
    params.accountId = query.accountId;
  }
  if (query.owner !== undefined) {
    c.foldFunction();
    conditions.push(query.orUnowned ? `(${STEP_OWNER} IS NULL OR cs_owner_is(${STEP_OWNER}, @owner) = 1)` : `cs_owner_is(${STEP_OWNER}, @owner) = 1`);
    params.owner = ownerQuery(query.owner);
  }
  return { conditions, params };
}

/**
 * The page cache of a connection that reads the agenda, in KiB (SQLite's default is 2 MiB). The
 * agenda joins each step to its run and account by primary key, in due-date order, so at 100,000
 * accounts its ~179,000 steps land at random places in ~31 MB of run and account pages: with the
 * default cache most of them were read again from the file (0.45 s of system time of 1.5 s); with
 * 32 MiB each is read once (0.2 s), for ~20 MiB more memory at most. SQLite takes the pages only as
 * they are read, so a small book costs nothing more. scripts/floor.mjs opens its database the same way.
 */
export const AGENDA_CACHE_KIB = 32 * 1024;

export function agenda(c: Connection, query: AgendaQuery): Iterable<AgendaEntry> {
  const { conditions, params } = agendaFilter(c, query);
  c.db.pragma(`cache_size = -${AGENDA_CACHE_KIB}`);
  const statement = c.sql(agendaSql(conditions));
  const path = c.path;
  // Rows stream from SQLite: a long agenda is never held in memory whole.
  return (function* () {
    try {
      yield* statement.iterate(params) as IterableIterator<AgendaEntry>;
    } catch (error) {
      throw explainSqliteError(path, error);
    }
  })();
}
