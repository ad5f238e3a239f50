/**
 * What the playbook format v2 adds to the PostgreSQL store (see src/store/sqlite/v2.ts for SQLite):
 * the derived state of a run (which steps apply, anchored due dates, computed answers, action items)
 * written after each event, and the action items read back for the agenda and `cs actions`.
 */
import type { RunState } from '../../engine/run.js';
import type { ActionItem } from '../../playbook/types.js';
import { shapeOf } from '../v2-shape.js';
import type { ActionEntry, ActionQuery } from '../store.js';
import type { Queryable } from './connection.js';

/** After an event: every step's applicability and due date, and the computed answers, as `next` has them. */
export async function writeDerived(q: Queryable, runId: number, next: RunState, stamp: string): Promise<void> {
  const shape = shapeOf(next.playbook);
  if (!shape.derived) return;
  await q.run(
    `UPDATE steps s SET applicable = t.applicable, due_date = t.due
     FROM unnest($2::text[], $3::integer[], $4::text[]) AS t(step_id, applicable, due)
     WHERE s.run_id = $1 AND s.step_id = t.step_id AND (s.applicable IS DISTINCT FROM t.applicable OR s.due_date IS DISTINCT FROM t.due)`,
    [runId, next.steps.map((step) => step.id), next.steps.map((step) => (step.applicable === false ? 0 : 1)), next.steps.map((step) => step.due)],
  );
  for (const { stepId, fieldId } of shape.computed) {
    const value = next.steps.find((step) => step.id === stepId)?.answers[fieldId];
    if (value === undefined) await q.run('DELETE FROM answers WHERE run_id = $1 AND step_id = $2 AND field_id = $3', [runId, stepId, fieldId]);
    else {
      await q.run(
        `INSERT INTO answers (run_id, step_id, field_id, value, answered_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (run_id, step_id, field_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at WHERE answers.value IS DISTINCT FROM excluded.value`,
        [runId, stepId, fieldId, JSON.stringify(value), stamp],
      );
    }
  }
}

/** The action items of one field, replaced by what it now holds. */
export async function writeActionItems(q: Queryable, runId: number, stepId: string, fieldId: string, items: readonly ActionItem[] | undefined): Promise<void> {
  await q.run('DELETE FROM action_items WHERE run_id = $1 AND step_id = $2 AND field_id = $3', [runId, stepId, fieldId]);
  const list = items ?? [];
  if (list.length === 0) return;
  await q.run(
    `INSERT INTO action_items (run_id, step_id, field_id, n, what, who, due, done)
     SELECT $1, $2, $3, * FROM unnest($4::integer[], $5::text[], $6::text[], $7::text[], $8::integer[])`,
    [runId, stepId, fieldId, list.map((_, index) => index + 1), list.map((item) => item.what), list.map((item) => item.who ?? null), list.map((item) => item.due ?? null), list.map((item) => (item.done ? 1 : 0))],
  );
}

/** Every actions field of a run, written afresh (a run created or moved to a new version). */
export async function writeAllActionItems(q: Queryable, runId: number, state: RunState): Promise<void> {
  for (const key of shapeOf(state.playbook).actions) {
    const [stepId, fieldId] = key.split(' ') as [string, string];
    const value = state.steps.find((step) => step.id === stepId)?.answers[fieldId];
    await writeActionItems(q, runId, stepId, fieldId, Array.isArray(value) ? (value as ActionItem[]) : undefined);
  }
}

const ACTION_COLUMNS = `a.name AS account, i.run_id AS "runId", r.playbook_id AS "playbookId", r.playbook_title AS "playbookTitle",
  i.step_id AS "stepId", s.title AS step, s.phase_id AS phase, s.position AS position,
  i.field_id AS "fieldId", i.n AS n, i.what AS what, i.who AS who, i.due AS due, i.done AS done, COALESCE(r.owner, a.owner) AS owner,
  COALESCE(i.who, r.owner, a.owner) AS whose`;

type ActionRow = Omit<ActionEntry, 'done'> & { done: number; whose: string | null };

function toActionEntry({ whose: _whose, ...row }: ActionRow): ActionEntry {
  return { ...row, done: row.done === 1 };
}

/** Open action items with a due date on or before `until`, of open runs, on steps that apply; soonest first. */
export async function dueActionItems(q: Queryable, query: ActionQuery & { until: string }, mine: ((stored: string | null) => boolean) | undefined): Promise<ActionEntry[]> {
  const params: unknown[] = [query.until];
  const byAccount = query.accountId === undefined ? '' : ` AND r.account_id = $${params.push(query.accountId)}`;
  const rows = await q.rows<ActionRow & Record<string, unknown>>(
    `SELECT ${ACTION_COLUMNS}
     FROM action_items i JOIN steps s ON s.run_id = i.run_id AND s.step_id = i.step_id
       JOIN runs r ON r.id = i.run_id JOIN accounts a ON a.id = r.account_id
     WHERE i.done = 0 AND i.due IS NOT NULL AND i.due <= $1 AND s.applicable = 1${byAccount}
     ORDER BY i.due, a.name COLLATE "C", i.run_id, s.position, i.n`,
    params,
  );
  return (mine ? rows.filter((row) => mine(row.whose)) : rows).map(toActionEntry);
}

/** Every action item of the runs selected (an account's, an owner's), in account and step order. */
export async function actionItems(q: Queryable, query: ActionQuery, mine: ((stored: string | null) => boolean) | undefined): Promise<ActionEntry[]> {
  const params: unknown[] = [];
  const byAccount = query.accountId === undefined ? '' : ` AND r.account_id = $${params.push(query.accountId)}`;
  const rows = await q.rows<ActionRow & Record<string, unknown>>(
    `SELECT ${ACTION_COLUMNS}
     FROM action_items i JOIN steps s ON s.run_id = i.run_id AND s.step_id = i.step_id
       JOIN runs r ON r.id = i.run_id JOIN accounts a ON a.id = r.account_id
     WHERE s.applicable = 1${byAccount}
     ORDER BY a.name COLLATE "C", i.run_id, s.position, i.field_id COLLATE "C", i.n`,
    params,
  );
  return (mine ? rows.filter((row) => mine(row.whose)) : rows).map(toActionEntry);
}
