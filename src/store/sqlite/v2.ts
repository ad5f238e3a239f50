/**
 * What the playbook format v2 adds to the SQLite store, kept apart from the rest: the derived state
 * of a run (which steps apply, anchored due dates, computed answers, action items) written after
 * each event, and the action items read back for the agenda and `cs actions`. Functions of a
 * statement cache, so the store classes around them stay as they are.
 */
import type { Statement } from 'better-sqlite3';
import type { RunState } from '../../engine/run.js';
import type { ActionItem } from '../../playbook/types.js';
import { shapeOf } from '../v2-shape.js';
export { isActionsField, shapeOf } from '../v2-shape.js';
import type { ActionEntry, ActionQuery } from '../store.js';
import type { Connection } from './connection.js';
import { ownerQuery } from './connection.js';

export type Sql = (text: string) => Statement;

/** After an event: every step's applicability and due date, and the computed answers, as `next` has them. */
export function writeDerived(sql: Sql, runId: number, next: RunState, stamp: string): void {
  const shape = shapeOf(next.playbook);
  if (!shape.derived) return;
  const update = sql(
    'UPDATE steps SET applicable = @applicable, due_date = @due WHERE run_id = @runId AND step_id = @stepId AND (applicable IS NOT @applicable OR due_date IS NOT @due)',
  );
  for (const step of next.steps) update.run({ runId, stepId: step.id, applicable: step.applicable === false ? 0 : 1, due: step.due });
  const upsert = sql(
    `INSERT INTO answers (run_id, step_id, field_id, value, answered_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (run_id, step_id, field_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at WHERE value IS NOT excluded.value`,
  );
  const remove = sql('DELETE FROM answers WHERE run_id = ? AND step_id = ? AND field_id = ?');
  for (const { stepId, fieldId } of shape.computed) {
    const value = next.steps.find((step) => step.id === stepId)?.answers[fieldId];
    if (value === undefined) remove.run(runId, stepId, fieldId);
    else upsert.run(runId, stepId, fieldId, JSON.stringify(value), stamp);
  }
}

/** The action items of one field, replaced by what it now holds. */
export function writeActionItems(sql: Sql, runId: number, stepId: string, fieldId: string, items: readonly ActionItem[] | undefined): void {
  sql('DELETE FROM action_items WHERE run_id = ? AND step_id = ? AND field_id = ?').run(runId, stepId, fieldId);
  const insert = sql('INSERT INTO action_items (run_id, step_id, field_id, n, what, who, due, done) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  (items ?? []).forEach((item, index) => insert.run(runId, stepId, fieldId, index + 1, item.what, item.who ?? null, item.due ?? null, item.done ? 1 : 0));
}

/** Every actions field of a run, written afresh (a run created or moved to a new version). */
export function writeAllActionItems(sql: Sql, runId: number, state: RunState): void {
  const shape = shapeOf(state.playbook);
  for (const key of shape.actions) {
    const [stepId, fieldId] = key.split(' ') as [string, string];
    const value = state.steps.find((step) => step.id === stepId)?.answers[fieldId];
    writeActionItems(sql, runId, stepId, fieldId, Array.isArray(value) ? (value as ActionItem[]) : undefined);
  }
}


const ACTION_COLUMNS = `a.name AS account, i.run_id AS runId, r.playbook_id AS playbookId, r.playbook_title AS playbookTitle,
  i.step_id AS stepId, s.title AS step, s.phase_id AS phase, s.position AS position,
  i.field_id AS fieldId, i.n AS n, i.what AS what, i.who AS who, i.due AS due, i.done AS done, COALESCE(r.owner, a.owner) AS owner`;

/** Open action items with a due date on or before `until`, of open runs, on steps that apply; soonest first. */
export function dueActionItemsSql(conditions: string[]): string {
  return `SELECT ${ACTION_COLUMNS}
    FROM action_items i JOIN steps s ON s.run_id = i.run_id AND s.step_id = i.step_id
      JOIN runs r ON r.id = i.run_id JOIN accounts a ON a.id = r.account_id
    WHERE i.done = 0 AND i.due IS NOT NULL AND i.due <= @until AND s.applicable = 1${conditions.map((condition) => ` AND ${condition}`).join('')}
    ORDER BY i.due, a.name, i.run_id, s.position, i.n`;
}

/** Every action item of the runs selected (an account's, an owner's), open ones first. */
export function actionItemsSql(conditions: string[]): string {
  return `SELECT ${ACTION_COLUMNS}
    FROM action_items i JOIN steps s ON s.run_id = i.run_id AND s.step_id = i.step_id
      JOIN runs r ON r.id = i.run_id JOIN accounts a ON a.id = r.account_id
    WHERE s.applicable = 1${conditions.map((condition) => ` AND ${condition}`).join('')}
    ORDER BY a.name, i.run_id, s.position, i.field_id, i.n`;
}

export function toActionEntry(row: Omit<ActionEntry, 'done'> & { done: number }): ActionEntry {
  return { ...row, done: row.done === 1 };
}

/** An account's items, or the items of a person: the item's who, else whoever owns the run. */
function actionFilter(c: Connection, query: ActionQuery): { conditions: string[]; params: Record<string, string | number> } {
  const conditions: string[] = [];
  const params: Record<string, string | number> = {};
  if (query.accountId !== undefined) {
    conditions.push('r.account_id = @accountId');
    params.accountId = query.accountId;
  }
  if (query.owner !== undefined) {
    c.foldFunction();
    conditions.push('cs_owner_is(COALESCE(i.who, r.owner, a.owner), @owner) = 1');
    params.owner = ownerQuery(query.owner);
  }
  return { conditions, params };
}

export function dueActionItems(c: Connection, query: ActionQuery & { until: string }): ActionEntry[] {
  const { conditions, params } = actionFilter(c, query);
  const rows = c.read(() => c.sql(dueActionItemsSql(conditions)).all({ ...params, until: query.until }) as Parameters<typeof toActionEntry>[0][]);
  return rows.map(toActionEntry);
}

export function actionItems(c: Connection, query: ActionQuery): ActionEntry[] {
  const { conditions, params } = actionFilter(c, query);
  const rows = c.read(() => c.sql(actionItemsSql(conditions)).all(params) as Parameters<typeof toActionEntry>[0][]);
  return rows.map(toActionEntry);
}
