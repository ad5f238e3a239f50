/** The rows both backends return (the same columns), and how they become the store's types. */
import type { StepState } from '../engine/run.js';
import type { AnswerValue, Playbook, Role } from '../playbook/types.js';
import type { Account, Run, RunStanding, TeamMember } from './store.js';

export interface AccountRow {
  id: number;
  name: string;
  owner: string | null;
  fields: string;
  created_at: string;
}

export interface RunRow {
  id: number;
  account_id: number;
  account_name: string;
  playbook_id: string;
  playbook_version: number;
  playbook_title: string;
  kind: string;
  owner: string | null;
  start_date: string;
  status: 'open' | 'finished';
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface StepRow {
  step_id: string;
  due_date: string;
  status: StepState['status'];
  skip_reason: string | null;
  note: string | null;
  checked: string;
  version: number;
  applicable: number;
  done_on: string | null;
}

export interface AnswerRow {
  step_id: string;
  field_id: string;
  value: string;
}

/** A run's kept figures (run_summaries), as runStandings reads them beside RUN_COLUMNS. */
export interface StandingRow {
  snapshot_id: number;
  done: number | null;
  skipped: number | null;
  open: number | null;
  not_applicable: number | null;
  next_position: number | null;
  next_due: string | null;
}

export const STANDING_COLUMNS = 'r.snapshot_id, su.done, su.skipped, su.open, su.not_applicable, su.next_position, su.next_due';

/** A run's standing from its row, its summary's and the overdue count (a run with no summary has no steps). */
export function toStanding(row: RunRow & StandingRow, playbook: Playbook, overdue: number): RunStanding {
  return {
    run: toRun(row),
    playbook,
    done: row.done ?? 0,
    skipped: row.skipped ?? 0,
    open: row.open ?? 0,
    notApplicable: row.not_applicable ?? 0,
    overdue,
    nextIndex: row.next_position,
    nextDue: row.next_due,
  };
}

export const RUN_COLUMNS = `r.id, r.account_id, a.name AS account_name, r.playbook_id, r.playbook_version, r.playbook_title,
  r.kind, r.owner, r.start_date, r.status, r.created_at, r.updated_at, r.finished_at`;

export function toAccount(row: AccountRow): Account {
  return { id: row.id, name: row.name, owner: row.owner, fields: JSON.parse(row.fields), createdAt: row.created_at };
}

export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    accountId: row.account_id,
    accountName: row.account_name,
    playbookId: row.playbook_id,
    playbookVersion: row.playbook_version,
    playbookTitle: row.playbook_title,
    kind: row.kind,
    owner: row.owner,
    startDate: row.start_date,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

/** A person of the team as both backends return it. */
export interface PersonRow {
  handle: string;
  name: string;
  email: string | null;
  role: Role | null;
  created_at: string;
  updated_at: string;
}

export const PERSON_COLUMNS = 'handle, name, email, role, created_at, updated_at';

export function toMember(row: PersonRow): TeamMember {
  return { handle: row.handle, name: row.name, email: row.email, role: row.role, createdAt: row.created_at, updatedAt: row.updated_at };
}


/** A step as it was saved, with its answers, as restoreRun takes it back. */
export function toSavedStep(step: StepRow, answers: Record<string, AnswerValue>) {
  return {
    due: step.due_date,
    status: step.status,
    applicable: step.applicable !== 0,
    ...(step.done_on ? { doneOn: step.done_on } : {}),
    skipReason: step.skip_reason ?? undefined,
    note: step.note ?? undefined,
    checked: JSON.parse(step.checked) as number[],
    answers,
  };
}
