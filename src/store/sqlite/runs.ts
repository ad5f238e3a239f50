/** Runs: starting one (with its steps), listing, loading, committing each event, upgrading. */
import { runtimeError } from '../../errors.js';
import { said } from '../../i18n/messages.js';
import { localDay, localTimestamp } from '../../engine/dates.js';
import { applyToStored } from '../../engine/merge.js';
import { flattenSteps, restoreRun, startRun } from '../../engine/run.js';
import type { RunEvent, RunState } from '../../engine/run.js';
import type { ActionItem, AnswerValue, Playbook } from '../../playbook/types.js';
import { isActionsField, shapeOf, writeActionItems, writeAllActionItems, writeDerived } from './v2.js';
import { NOTE_DRAFT } from '../store.js';
import type { Account, CommitOutcome, Draft, LoadedRun, NewRun, Run, RunFilter, RunStanding, SeenStep } from '../store.js';
import type { Connection } from './connection.js';
import { now } from './connection.js';
import type { AnswerRow, RunRow, StandingRow, StepRow } from '../rows.js';
import { RUN_COLUMNS, STANDING_COLUMNS, toRun, toSavedStep, toStanding } from '../rows.js';
import { commitDetail, handoverOf } from '../../engine/roles.js';
import { handOverToRole, recordCommit } from './people.js';
import { overdueStepsSql, refreshSummariesSql } from '../summaries.js';

/** Recomputes the run's summary (run_summaries) from its step rows; the caller holds the transaction. */
export function refreshSummary(c: Connection, runId: number): void {
  c.sql(refreshSummariesSql('s.run_id = ?')).run(runId);
}

/**
 * Per write: each playbook's shared snapshot row, its step titles, and its steps' due dates by start
 * date (an import of 10,000 rows has a few hundred distinct start dates), each worked out once.
 */
export type SnapshotCache = Map<Playbook, { snapshotId: number; titles: Map<string, string>; roles: Map<string, string>; steps: Map<string, StepValues> }>;

/** A new run's step rows but their run id, as insertSteps binds them: step id, position, phase, title, due date, applicable (1 or 0), role. */
export type StepValues = (string | number | null)[][];

/** Steps written by one INSERT at most: a run's steps are one statement (not one each), well under SQLite's 32,766 parameters. */
const STEPS_PER_INSERT = 64;

/** The INSERT of `count` steps, by count: the same string each time (Connection.sql finds it by its text). */
const insertStepsSql: string[] = [];

function insertStepsOf(count: number): string {
  return (insertStepsSql[count] ??= `INSERT INTO steps (run_id, step_id, position, phase_id, title, due_date, applicable, role) VALUES ${Array.from({ length: count }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`);
}

/** A run's new steps, a statement per STEPS_PER_INSERT of them (each statement, by its size, prepared once per process). */
function insertSteps(c: Connection, runId: number, steps: StepValues): void {
  for (let first = 0; first < steps.length; first += STEPS_PER_INSERT) {
    const chunk = steps.slice(first, first + STEPS_PER_INSERT);
    const values: (string | number | null)[] = [];
    for (const step of chunk) values.push(runId, ...step);
    c.sql(insertStepsOf(chunk.length)).run(values);
  }
}

/** The playbook's snapshot row (one per distinct playbook content, shared by its runs). */
function snapshotOf(c: Connection, playbook: Playbook, cache: SnapshotCache) {
  let known = cache.get(playbook);
  if (!known) {
    const body = JSON.stringify(playbook);
    c.sql('INSERT INTO snapshots (body) VALUES (?) ON CONFLICT (body) DO NOTHING').run(body);
    const { id } = c.sql('SELECT id FROM snapshots WHERE body = ?').get(body) as { id: number };
    const flat = flattenSteps(playbook);
    known = {
      snapshotId: id,
      titles: new Map(flat.map(({ def }) => [def.id, def.title])),
      // the role a step names (owner: csm): the agenda resolves it through the account's team
      roles: new Map(flat.flatMap(({ def }) => (def.owner ? [[def.id, def.owner] as const] : []))),
      steps: new Map<string, StepValues>(),
    };
    cache.set(playbook, known);
  }
  return known;
}

/**
 * A new run's snapshot and step rows (the same array for every run of a playbook and start date,
 * unless its steps depend on the account's columns).
 */
export function freshSteps(c: Connection, playbook: Playbook, startDate: string, cache: SnapshotCache, accountFields?: Record<string, string>): { snapshotId: number; steps: StepValues; shared: boolean } {
  const { snapshotId, titles, roles, steps } = snapshotOf(c, playbook, cache);
  // a v2 playbook may depend on the account's columns: its fresh steps are worked out per run
  const derived = shapeOf(playbook).derived;
  let fresh = derived ? undefined : steps.get(startDate);
  if (!fresh) {
    fresh = startRun(playbook, startDate, { account: accountFields ?? {}, calendar: c.calendar }).steps.map((step) => [
      step.id,
      step.index,
      step.phaseId,
      titles.get(step.id) ?? step.id,
      step.due,
      step.applicable === false ? 0 : 1,
      roles.get(step.id) ?? null,
    ]);
    if (!derived) steps.set(startDate, fresh);
  }
  return { snapshotId, steps: fresh, shared: !derived };
}

/** A run's own row (its steps and start commit apart); its id. */
export function insertRunRow(c: Connection, accountId: number, playbook: Playbook, snapshotId: number, startDate: string, owner: string | null, stamp: string): number {
  const result = c.sql(
    `INSERT INTO runs (account_id, playbook_id, playbook_version, playbook_title, kind, snapshot, snapshot_id, owner, start_date, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)`,
  ).run(accountId, playbook.id, playbook.version, playbook.title, playbook.kind, snapshotId, owner, startDate, stamp, stamp);
  return Number(result.lastInsertRowid);
}

/** The one way a run and its steps are written (createRun; an import writes many at once, import.ts); the caller holds the transaction. */
export function insertRun(c: Connection, accountId: number, playbook: Playbook, startDate: string, owner: string | null, stamp: string, cache: SnapshotCache, accountFields?: Record<string, string>): number {
  const { snapshotId, steps } = freshSteps(c, playbook, startDate, cache, accountFields);
  const id = insertRunRow(c, accountId, playbook, snapshotId, startDate, owner, stamp);
  insertSteps(c, id, steps);
  recordCommit(c, id, 'start', null, null);
  return id;
}

export function createRun(c: Connection, account: Account, playbook: Playbook, options: NewRun): LoadedRun {
  const runId = c.write(() => {
    const id = insertRun(c, account.id, playbook, options.startDate, options.owner ?? account.owner ?? null, now(), new Map(), account.fields);
    refreshSummary(c, id);
    return id;
  });
  const loaded = loadRun(c, runId);
  if (!loaded) throw runtimeError(said('store.runVanished', { run: runId }));
  return loaded;
}

/** The WHERE clause (on runs r) of a RunFilter, and its parameters. */
function runFilterSql(filter: RunFilter): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.accountId !== undefined) {
    where.push('r.account_id = ?');
    params.push(filter.accountId);
  }
  if (filter.status) {
    where.push('r.status = ?');
    params.push(filter.status);
  }
  if (filter.playbookId) {
    where.push('r.playbook_id = ?');
    params.push(filter.playbookId);
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export function listRuns(c: Connection, filter: RunFilter = {}): Run[] {
  const { where, params } = runFilterSql(filter);
  const sql = `SELECT ${RUN_COLUMNS} FROM runs r JOIN accounts a ON a.id = r.account_id ${where} ORDER BY a.name, r.id`;
  return c.read(() => (c.sql(sql).all(...params) as RunRow[]).map(toRun));
}

/** See Store.runStandings: each run's row and kept figures in one query, the overdue steps in another (from the agenda's index). */
export function runStandings(c: Connection, today: string, filter: RunFilter = {}): RunStanding[] {
  const { where, params } = runFilterSql(filter);
  // one snapshot for both reads
  return c.readSnapshot(() => {
    const overdue = new Map<number, number>();
    for (const runId of c.sql(overdueStepsSql('?')).pluck().iterate(today) as Iterable<number>) overdue.set(runId, (overdue.get(runId) ?? 0) + 1);
    // row by row: 100,000 rows held as they come and as standings would be twice the memory
    const rows = c.sql(`SELECT ${RUN_COLUMNS}, ${STANDING_COLUMNS} FROM runs r JOIN accounts a ON a.id = r.account_id LEFT JOIN run_summaries su ON su.run_id = r.id ${where} ORDER BY a.name, r.id`).iterate(...params) as Iterable<RunRow & StandingRow>;
    const standings: RunStanding[] = [];
    for (const row of rows) standings.push(toStanding(row, playbookOf(c, { snapshot_id: row.snapshot_id, snapshot: null }), overdue.get(row.id) ?? 0));
    return standings;
  });
}

/**
 * A snapshot is read and parsed once per process: `cs status` over a book of business loads
 * thousands of runs sharing a handful of snapshots of ~20 KB each. Safe to share, since the
 * engine never mutates a playbook.
 */
function playbookOf(c: Connection, row: { snapshot_id: number | null; snapshot: string | null }): Playbook {
  if (row.snapshot_id === null) return JSON.parse(row.snapshot!) as Playbook;
  let playbook = c.parsedSnapshots.get(row.snapshot_id);
  if (!playbook) {
    const { body } = c.sql('SELECT body FROM snapshots WHERE id = ?').get(row.snapshot_id) as { body: string };
    c.parsedSnapshots.set(row.snapshot_id, (playbook = JSON.parse(body) as Playbook));
  }
  return playbook;
}

export function loadRun(c: Connection, runId: number): LoadedRun | undefined {
  return c.read(() => {
    // every run has a shared snapshot since schema 2; its own copy (schema 1) is only a fallback
    const row = c.sql(
      `SELECT ${RUN_COLUMNS}, r.snapshot_id, CASE WHEN r.snapshot_id IS NULL THEN r.snapshot END AS snapshot, a.fields AS account_fields
       FROM runs r JOIN accounts a ON a.id = r.account_id WHERE r.id = ?`,
    ).get(runId) as (RunRow & { snapshot_id: number | null; snapshot: string | null; account_fields: string }) | undefined;
    if (!row) return undefined;
    const steps = c.sql('SELECT step_id, due_date, status, skip_reason, note, checked, version, applicable, done_on FROM steps WHERE run_id = ?').all(runId) as StepRow[];
    const answers = c.sql('SELECT step_id, field_id, value FROM answers WHERE run_id = ?').all(runId) as AnswerRow[];
    const byStep = new Map<string, Record<string, AnswerValue>>();
    for (const answer of answers) {
      const forStep = byStep.get(answer.step_id) ?? {};
      forStep[answer.field_id] = JSON.parse(answer.value) as AnswerValue;
      byStep.set(answer.step_id, forStep);
    }
    const saved = new Map(
      steps.map((step) => [
        step.step_id,
        toSavedStep(step, byStep.get(step.step_id) ?? {}),
      ]),
    );
    const context = { account: JSON.parse(row.account_fields) as Record<string, string>, calendar: c.calendar };
    const state = restoreRun(playbookOf(c, row), row.start_date, row.status, saved, context);
    return { run: toRun(row), state, versions: Object.fromEntries(steps.map((step) => [step.step_id, step.version])) };
  });
}

/** See Store.commit: read what is stored, apply only this event to it, write only what it changes. */
export function commit(c: Connection, runId: number, event: RunEvent, seen?: SeenStep): CommitOutcome {
  return c.write(() => {
    const stored = loadRun(c, runId);
    if (!stored) throw runtimeError(said('store.runGone', { run: runId }));
    const stepId = 'stepId' in event ? event.stepId : undefined;
    // the step unchanged since the walk read it (the common case): no conflict is possible
    const base = seen && stepId !== undefined && stored.versions[stepId] !== seen.version ? seen.state : undefined;
    const { next, conflict } = applyToStored(stored.state, event, base);
    if (conflict) return { loaded: stored, conflict };
    if (next === stored.state) return { loaded: stored }; // nothing to write (e.g. finished by another walk already)
    const stamp = now();
    writeChange(c, runId, event, next, stamp);
    // a handover step done: the account changes hands in this same transaction
    const role = handoverOf(next, event);
    const handover = role && stepId !== undefined ? handOverToRole(c, runId, role, stepId) : undefined;
    if (stepId === undefined || handover?.to) return { loaded: loadRun(c, runId)!, ...(handover ? { handover } : {}) }; // the run's own row changed
    // what was just written, without reading it back: the stored state with this event, its step one version on
    return { loaded: { ...stored, state: next, versions: { ...stored.versions, [stepId]: (stored.versions[stepId] ?? 0) + 1 } }, ...(handover ? { handover } : {}) };
  });
}

/** Writes the one change `event` made (`next` is the stored state with it applied); the caller holds the transaction. */
function writeChange(c: Connection, runId: number, event: RunEvent, next: RunState, stamp: string): void {
  const step = 'stepId' in event ? next.steps.find((candidate) => candidate.id === event.stepId) : undefined;
  switch (event.type) {
    case 'answer':
      c.sql(
        `INSERT INTO answers (run_id, step_id, field_id, value, answered_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (run_id, step_id, field_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at`,
      ).run(runId, event.stepId, event.fieldId, JSON.stringify(step?.answers[event.fieldId] ?? event.value), stamp);
      dropDraft(c, runId, event.stepId, event.fieldId);
      if (isActionsField(next.playbook, event.stepId, event.fieldId)) writeActionItems(c.sqlOf, runId, event.stepId, event.fieldId, step?.answers[event.fieldId] as ActionItem[]);
      break;
    case 'clear':
      c.sql('DELETE FROM answers WHERE run_id = ? AND step_id = ? AND field_id = ?').run(runId, event.stepId, event.fieldId);
      dropDraft(c, runId, event.stepId, event.fieldId);
      if (isActionsField(next.playbook, event.stepId, event.fieldId)) writeActionItems(c.sqlOf, runId, event.stepId, event.fieldId, undefined);
      break;
    case 'action': {
      const items = step?.answers[event.fieldId];
      c.sql('UPDATE answers SET value = ?, answered_at = ? WHERE run_id = ? AND step_id = ? AND field_id = ?').run(JSON.stringify(items), stamp, runId, event.stepId, event.fieldId);
      writeActionItems(c.sqlOf, runId, event.stepId, event.fieldId, items as ActionItem[]);
      break;
    }
    case 'tick':
      c.sql('UPDATE steps SET checked = ? WHERE run_id = ? AND step_id = ?').run(JSON.stringify(step?.checked ?? []), runId, event.stepId);
      break;
    case 'complete':
    case 'skip':
      // completed_at: when the step was done or skipped, for the journey report
      c.sql('UPDATE steps SET status = ?, skip_reason = ?, completed_at = ?, done_on = ? WHERE run_id = ? AND step_id = ?').run(step?.status, step?.skipReason ?? null, stamp, step?.doneOn ?? null, runId, event.stepId);
      break;
    case 'note':
      c.sql('UPDATE steps SET note = ? WHERE run_id = ? AND step_id = ?').run(step?.note ?? null, runId, event.stepId);
      dropDraft(c, runId, event.stepId, NOTE_DRAFT);
      break;
    case 'finish':
      // a local date and time: the day the user saw it finish (CS_TODAY when pinned), whatever the time zone
      c.sql("UPDATE runs SET status = 'finished', finished_at = ? WHERE id = ?").run(localTimestamp(event.on ?? localDay()), runId);
      break;
    case 'back':
      return;
  }
  if (step) c.sql('UPDATE steps SET updated_at = ?, version = version + 1 WHERE run_id = ? AND step_id = ?').run(stamp, runId, step.id);
  // what follows from the answers (which steps apply, anchored due dates, computed values)
  writeDerived(c.sqlOf, runId, next, stamp);
  refreshSummary(c, runId);
  c.sql('UPDATE runs SET updated_at = ? WHERE id = ?').run(stamp, runId);
  recordCommit(c, runId, event.type, step?.id ?? null, commitDetail(event));
}

function dropDraft(c: Connection, runId: number, stepId: string, fieldId: string): void {
  c.sql('DELETE FROM drafts WHERE run_id = ? AND step_id = ? AND field_id = ?').run(runId, stepId, fieldId);
}

/** A draft is kept as each line is typed: it waits a moment for another process's lock, never the full busy timeout. */
const DRAFT_BUSY_MS = 250;

export function saveDraft(c: Connection, runId: number, stepId: string, fieldId: string, text: string): void {
  const wait = c.db.pragma('busy_timeout', { simple: true }) as number;
  c.db.pragma(`busy_timeout = ${Math.min(wait, DRAFT_BUSY_MS)}`);
  try {
    c.write(() => {
      if (text === '') return dropDraft(c, runId, stepId, fieldId);
      c.sql(
        `INSERT INTO drafts (run_id, step_id, field_id, text, saved_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (run_id, step_id, field_id) DO UPDATE SET text = excluded.text, saved_at = excluded.saved_at`,
      ).run(runId, stepId, fieldId, text, now());
    });
  } finally {
    c.db.pragma(`busy_timeout = ${wait}`);
  }
}

export function drafts(c: Connection, runId: number): Draft[] {
  return c.read(() => c.sql('SELECT step_id AS stepId, field_id AS fieldId, text, saved_at AS savedAt FROM drafts WHERE run_id = ?').all(runId) as Draft[]);
}

/** What upgradeRun carries over from a step's old row to its new one. */
interface KeptStep {
  step_id: string;
  version: number;
  due_date: string;
  completed_at: string | null;
  due_revision: number;
}

export function upgradeRun(c: Connection, runId: number, state: RunState): void {
  const { playbook } = state;
  c.write(() => {
    const stamp = now();
    const { snapshotId, titles, roles } = snapshotOf(c, playbook, new Map());
    c.sql(
      "UPDATE runs SET playbook_version = ?, playbook_title = ?, kind = ?, snapshot = '', snapshot_id = ?, updated_at = ? WHERE id = ? AND status = 'open'",
    ).run(playbook.version, playbook.title, playbook.kind, snapshotId, stamp, runId);
    // every step moves on a version (a walk still open on the old steps sees that they changed), and
    // the drafts of steps the new version still has are kept
    // and keeps when each step was done, and how often its due date moved (one more if it moves now)
    const before = new Map(
      (c.sql('SELECT step_id, version, due_date, completed_at, due_revision FROM steps WHERE run_id = ?').all(runId) as KeptStep[]).map((row) => [row.step_id, row]),
    );
    const kept = drafts(c, runId);
    c.sql('DELETE FROM answers WHERE run_id = ?').run(runId);
    c.sql('DELETE FROM steps WHERE run_id = ?').run(runId);
    const insertStep = c.sql(
      'INSERT INTO steps (run_id, step_id, position, phase_id, title, due_date, status, skip_reason, note, checked, updated_at, version, completed_at, due_revision, applicable, done_on, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertAnswer = c.sql('INSERT INTO answers (run_id, step_id, field_id, value, answered_at) VALUES (?, ?, ?, ?, ?)');
    for (const step of state.steps) {
      const kept = before.get(step.id);
      const completedAt = step.status === 'open' ? null : (kept?.completed_at ?? stamp);
      const revision = kept === undefined ? 0 : kept.due_revision + (kept.due_date === step.due ? 0 : 1);
      insertStep.run(runId, step.id, step.index, step.phaseId, titles.get(step.id) ?? step.id, step.due, step.status, step.skipReason ?? null, step.note ?? null, JSON.stringify(step.checked), stamp, (kept?.version ?? 0) + 1, completedAt, revision, step.applicable === false ? 0 : 1, step.doneOn ?? null, roles.get(step.id) ?? null);
      for (const [fieldId, value] of Object.entries(step.answers)) insertAnswer.run(runId, step.id, fieldId, JSON.stringify(value), stamp);
    }
    writeAllActionItems(c.sqlOf, runId, state);
    const insertDraft = c.sql('INSERT INTO drafts (run_id, step_id, field_id, text, saved_at) VALUES (?, ?, ?, ?, ?)');
    const steps = new Set(state.steps.map((step) => step.id));
    for (const draft of kept) if (steps.has(draft.stepId)) insertDraft.run(runId, draft.stepId, draft.fieldId, draft.text, draft.savedAt);
    refreshSummary(c, runId);
    recordCommit(c, runId, 'upgrade', null, String(playbook.version));
  });
}
