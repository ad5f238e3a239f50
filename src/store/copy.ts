/**
 * `cs db copy`: a whole database from one backend to another (SQLite ⇄ PostgreSQL, or the same),
 * read in one snapshot, written in one transaction, then read back and compared table by table
 * (row count and a SHA-256 of the rows in key order).
 */
import { createHash } from 'node:crypto';
import { inputError, runtimeError } from '../errors.js';
import { said } from '../i18n/messages.js';
import type { Store } from './store.js';
import { SUMMARY_COLUMNS } from './summaries.js';

export type TableRows = Map<string, Record<string, unknown>[]>;

/** The tables and columns both backends hold, parents first; the key orders rows for the checksum. */
export const TABLES: readonly { name: string; columns: readonly string[]; key: readonly string[] }[] = [
  { name: 'accounts', columns: ['id', 'name', 'name_key', 'owner', 'fields', 'created_at'], key: ['id'] },
  { name: 'snapshots', columns: ['id', 'body'], key: ['id'] },
  {
    name: 'runs',
    columns: ['id', 'account_id', 'playbook_id', 'playbook_version', 'playbook_title', 'kind', 'snapshot_id', 'owner', 'start_date', 'status', 'created_at', 'updated_at', 'finished_at'],
    key: ['id'],
  },
  {
    name: 'steps',
    columns: ['run_id', 'step_id', 'position', 'phase_id', 'title', 'due_date', 'status', 'skip_reason', 'note', 'checked', 'updated_at', 'version', 'completed_at', 'due_revision', 'applicable', 'done_on', 'role'],
    key: ['run_id', 'step_id'],
  },
  // each run's figures (summaries.ts): copied as they are, and compared with the steps by db check
  { name: 'run_summaries', columns: [...SUMMARY_COLUMNS], key: ['run_id'] },
  { name: 'answers', columns: ['run_id', 'step_id', 'field_id', 'value', 'answered_at'], key: ['run_id', 'step_id', 'field_id'] },
  { name: 'drafts', columns: ['run_id', 'step_id', 'field_id', 'text', 'saved_at'], key: ['run_id', 'step_id', 'field_id'] },
  { name: 'action_items', columns: ['run_id', 'step_id', 'field_id', 'n', 'what', 'who', 'due', 'done'], key: ['run_id', 'step_id', 'field_id', 'n'] },
  { name: 'commits', columns: ['id', 'run_id', 'event', 'step_id', 'detail', 'made_by', 'made_at'], key: ['id'] },
  { name: 'people', columns: ['id', 'handle', 'handle_key', 'name', 'email', 'role', 'created_at', 'updated_at'], key: ['id'] },
  { name: 'shifts', columns: ['id', 'run_id', 'offset', 'from_step', 'created_at', 'undone_at'], key: ['id'] },
  { name: 'shift_steps', columns: ['shift_id', 'step_id', 'old_due', 'new_due'], key: ['shift_id', 'step_id'] },
  // the database's identity goes with it: a calendar exported before the copy is updated, not doubled
  { name: 'meta', columns: ['key', 'value'], key: ['key'] },
];

/** A column name as SQL (both backends): quoted, since `offset` is a keyword to PostgreSQL. */
export function columnSql(column: string): string {
  return `"${column}"`;
}

export interface TableFigure {
  table: string;
  rows: number;
  sha256: string;
}

/** Rows in key order by code point (both backends agree on it, whatever their collations). */
function sorted(rows: Record<string, unknown>[], key: readonly string[]): Record<string, unknown>[] {
  const compare = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
  return [...rows].sort((a, b) => {
    for (const column of key) {
      const order = compare(a[column], b[column]);
      if (order !== 0) return order;
    }
    return 0;
  });
}

export function figures(tables: TableRows): TableFigure[] {
  return TABLES.map((table) => {
    const rows = sorted(tables.get(table.name) ?? [], table.key);
    const hash = createHash('sha256');
    for (const row of rows) hash.update(`${JSON.stringify(table.columns.map((column) => row[column] ?? null))}\n`);
    return { table: table.name, rows: rows.length, sha256: hash.digest('hex') };
  });
}

/** Copies `from` into `to`; refuses a target holding accounts unless `force`. Returns what was verified. */
export async function copyDatabase(from: Store, to: Store, options: { force?: boolean }): Promise<TableFigure[]> {
  if (!options.force && !(await to.isEmpty())) {
    throw inputError(said('copy.notEmpty', { path: to.path }), { hint: said('copy.notEmptyHint') });
  }
  const source = await from.readTables();
  await to.writeTables(source);
  const expected = figures(source);
  const copied = figures(await to.readTables());
  const differ = expected.filter((figure, index) => figure.rows !== copied[index]!.rows || figure.sha256 !== copied[index]!.sha256);
  if (differ.length > 0) {
    throw runtimeError(said('copy.differs', { to: to.path, from: from.path }), {
      details: differ.map((figure) => said('copy.tableDiffers', { table: figure.table, expected: figure.rows, copied: copied.find((each) => each.table === figure.table)!.rows })),
      hint: said('copy.differsHint'),
    });
  }
  return expected;
}
