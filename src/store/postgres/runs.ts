/** Runs on PostgreSQL: starting, loading (one or a whole book), committing each event, upgrading, drafts. */
import { createHash } from 'node:crypto';
import { runtimeError } from '../../errors.js';
import { said } from '../../i18n/messages.js';
import { localDay, localTimestamp } from '../../engine/dates.js';
import { applyToStored } from '../../engine/merge.js';
import { flattenSteps, restoreRun, startRun } from '../../engine/run.js';
import type { RunEvent, RunState, StepState } from '../../engine/run.js';
import type { ActionItem, AnswerValue, Playbook } from '../../playbook/types.js';
import type { WorkCalendar } from '../../engine/due.js';
import { isActionsField, shapeOf } from '../v2-shape.js';
import { writeActionItems, writeAllActionItems, writeDerived } from './v2.js';
import { NOTE_DRAFT } from '../store.js';
import type { CommitOutcome, Draft, LoadedRun, Run, RunFilter, RunStanding, SeenStep } from '../store.js';
import type { AnswerRow, RunRow, StandingRow, StepRow } from '../rows.js';
import { RUN_COLUMNS, STANDING_COLUMNS, toRun, toSavedStep, toStanding } from '../rows.js';
import type { PgConnection, Queryable } from './connection.js';
import { commitDetail, handoverOf } from '../../engine/roles.js';
import { commitStamp, handOverToRole, recordCommit } from './people.js';
import { overdueStepsSql, refreshSummariesSql } from '../summaries.js';

/** Recomputes the summaries (run_summaries) of these runs from their step rows, in one statement; the caller holds the transaction. */
export async function refreshSummaries(q: Queryable, runIds: readonly number[]): Promise<void> {
  await q.run(refreshSummariesSql('s.run_id = ANY($1::integer[])'), [runIds]);
}

export function now(): string {
  return new Date().toISOString();
}

export function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Per write: each playbook's snapshot row, its titles, and its fresh steps by start date. */
export type PgSnapshotCache = Map<Playbook, { snapshotId: number; titles: Map<string, string>; roles: Map<string, string>; steps: Map<string, StepState[]> }>;

async function snapshotOf(q: Queryable, playbook: Playbook, cache: PgSnapshotCache) {
  let known = cache.get(playbook);
  if (!known) {
    const body = JSON.stringify(playbook);
    const hash = bodyHash(body);
    await q.run('INSERT INTO snapshots (body, body_hash) VALUES ($1, $2) ON CONFLICT (body_hash) DO NOTHING', [body, hash]);
    const [{ id }] = (await q.rows<{ id: number }>('SELECT id FROM snapshots WHERE body_hash = $1', [hash])) as [{ id: number }];
    const flat = flattenSteps(playbook);
    // the role a step names (owner: csm): the agenda resolves it through the account's team
    known = { snapshotId: id, titles: new Map(flat.map(({ def }) => [def.id, def.title])), roles: new Map(flat.flatMap(({ def }) => (def.owner ? [[def.id, def.owner] as const] : []))), steps: new Map() };
    cache.set(playbook, known);
  }
  return known;
}

export interface RunToInsert {
  accountId: number;
  playbook: Playbook;
  startDate: string;
  owner: string | null;
  /** The account's columns, which a v2 playbook's conditions and due dates may read. */
  accountFields?: Record<string, string>;
}

/** Writes runs and their steps with a few statements whatever their number (ids taken first); the caller holds the transaction. */
export async function insertRuns(c: PgConnection, q: Queryable, runs: readonly RunToInsert[], stamp: string, calendar: WorkCalendar | undefined, cache: PgSnapshotCache = new Map()): Promise<number[]> {
  if (runs.length === 0) return [];
  const ids = (await q.rows<{ id: number }>("SELECT nextval(pg_get_serial_sequence('runs', 'id'))::integer AS id FROM generate_series(1, $1)", [runs.length])).map((row) => row.id);
  const r: unknown[][] = Array.from({ length: 9 }, () => []);
  // Runs that share a playbook and start date share their step rows' values: each distinct set is
  // sent once, each run names its set, and the server makes the rows (a chunk of 1,000 runs: ~12,000
  // rows as eight arrays of text to build, send and parse before, a few dozen now).
  const stepSets = new Map<StepState[], number>();
  const runSets: number[] = [];
  const s: unknown[][] = Array.from({ length: 8 }, () => []);
  for (const [index, run] of runs.entries()) {
    const { snapshotId, titles, roles, steps } = await snapshotOf(q, run.playbook, cache);
    // a v2 playbook may depend on the account's columns: its fresh steps are worked out per run
    const derived = shapeOf(run.playbook).derived;
    let fresh = derived ? undefined : steps.get(run.startDate);
    if (!fresh) {
      fresh = startRun(run.playbook, run.startDate, { account: run.accountFields ?? {}, calendar }).steps;
      if (!derived) steps.set(run.startDate, fresh);
    }
    const id = ids[index]!;
    [id, run.accountId, run.playbook.id, run.playbook.version, run.playbook.title, run.playbook.kind, snapshotId, run.owner, run.startDate].forEach((value, column) => r[column]!.push(value));
    let set = stepSets.get(fresh);
    if (set === undefined) {
      stepSets.set(fresh, (set = stepSets.size + 1));
      for (const step of fresh) [set, step.id, step.index, step.phaseId, titles.get(step.id) ?? step.id, step.due, step.applicable === false ? 0 : 1, roles.get(step.id) ?? null].forEach((value, column) => s[column]!.push(value));
    }
    runSets.push(set);
  }
  await q.run(
    `INSERT INTO runs (id, account_id, playbook_id, playbook_version, playbook_title, kind, snapshot_id, owner, start_date, created_at, updated_at)
     SELECT id, account_id, playbook_id, playbook_version, playbook_title, kind, snapshot_id, owner, start_date, $10, $10
     FROM unnest($1::integer[], $2::integer[], $3::text[], $4::integer[], $5::text[], $6::text[], $7::integer[], $8::text[], $9::text[])
       AS t(id, account_id, playbook_id, playbook_version, playbook_title, kind, snapshot_id, owner, start_date)`,
    [...r, stamp],
  );
  await q.run(
    `INSERT INTO steps (run_id, step_id, position, phase_id, title, due_date, applicable, role)
     SELECT r.run_id, s.step_id, s.position, s.phase_id, s.title, s.due_date, s.applicable, s.role
     FROM unnest($1::integer[], $2::integer[]) AS r(run_id, step_set)
       JOIN unnest($3::integer[], $4::text[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::integer[], $10::text[])
         AS s(step_set, step_id, position, phase_id, title, due_date, applicable, role) ON s.step_set = r.step_set
     ORDER BY r.run_id, s.position`,
    [ids, runSets, ...s],
  );
  await refreshSummaries(q, ids);
  // who started each run
  await q.run("INSERT INTO commits (run_id, event, made_by, made_at) SELECT id, 'start', $2, $3 FROM unnest($1::integer[]) AS t(id)", [ids, c.actor, commitStamp(c)]);
  return ids;
}

function filterSql(filter: RunFilter): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.accountId !== undefined) where.push(`r.account_id = $${params.push(filter.accountId)}`);
  if (filter.status) where.push(`r.status = $${params.push(filter.status)}`);
  if (filter.playbookId) where.push(`r.playbook_id = $${params.push(filter.playbookId)}`);
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** Ordered as SQLite orders them (names compared by code point, as SQLite's BINARY collation does). */
export async function listRuns(q: Queryable, filter: RunFilter = {}): Promise<Run[]> {
  const { where, params } = filterSql(filter);
  const rows = await q.rows<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs r JOIN accounts a ON a.id = r.account_id ${where} ORDER BY a.name COLLATE "C", r.id`, params);
  return rows.map(toRun);
}

/** See Store.runStandings: each run's row and kept figures, and its overdue steps counted from the agenda's index; the caller gives one snapshot. */
export async function runStandings(c: PgConnection, q: Queryable, today: string, filter: RunFilter = {}): Promise<RunStanding[]> {
  const { where, params } = filterSql(filter);
  const rows = await q.rows<RunRow & StandingRow>(
    `SELECT ${RUN_COLUMNS}, ${STANDING_COLUMNS} FROM runs r JOIN accounts a ON a.id = r.account_id LEFT JOIN run_summaries su ON su.run_id = r.id ${where} ORDER BY a.name COLLATE "C", r.id`,
    params,
  );
  const overdue = new Map(
    (await q.rows<{ run_id: number; n: number }>(`SELECT run_id, count(*)::integer AS n FROM (${overdueStepsSql('$1')}) o GROUP BY run_id`, [today])).map((row) => [row.run_id, row.n]),
  );
  const standings: RunStanding[] = [];
  for (const row of rows) standings.push(toStanding(row, await playbookOf(c, q, row.snapshot_id), overdue.get(row.id) ?? 0));
  return standings;
}

/** A snapshot's playbook, parsed once per connection. */
export async function playbookOf(c: PgConnection, q: Queryable, snapshotId: number): Promise<Playbook> {
  let playbook = c.parsedSnapshots.get(snapshotId);
  if (!playbook) {
    const [row] = await q.rows<{ body: string }>('SELECT body FROM snapshots WHERE id = $1', [snapshotId]);
    c.parsedSnapshots.set(snapshotId, (playbook = JSON.parse(row!.body) as Playbook));
  }
  return playbook;
}

type RunWithSnapshot = RunRow & { snapshot_id: number; account_fields: string };

async function assemble(c: PgConnection, q: Queryable, runs: RunWithSnapshot[], steps: (StepRow & { run_id: number })[], answers: (AnswerRow & { run_id: number })[]): Promise<LoadedRun[]> {
  const stepsOf = new Map<number, (StepRow & { run_id: number })[]>();
  for (const step of steps) (stepsOf.get(step.run_id) ?? stepsOf.set(step.run_id, []).get(step.run_id)!).push(step);
  const answersOf = new Map<string, Record<string, AnswerValue>>();
  for (const answer of answers) {
    const key = `${answer.run_id}\u0000${answer.step_id}`;
    (answersOf.get(key) ?? answersOf.set(key, {}).get(key)!)[answer.field_id] = JSON.parse(answer.value) as AnswerValue;
  }
  const loaded: LoadedRun[] = [];
  for (const row of runs) {
    const own = stepsOf.get(row.id) ?? [];
    const saved = new Map(
      own.map((step) => [
        step.step_id,
        toSavedStep(step, answersOf.get(`${row.id}\u0000${step.step_id}`) ?? {}),
      ]),
    );
    const context = { account: JSON.parse(row.account_fields) as Record<string, string>, calendar: c.calendar };
    const state = restoreRun(await playbookOf(c, q, row.snapshot_id), row.start_date, row.status, saved, context);
    loaded.push({ run: toRun(row), state, versions: Object.fromEntries(own.map((step) => [step.step_id, step.version])) });
  }
  return loaded;
}

const STEP_COLUMNS = 's.run_id, s.step_id, s.due_date, s.status, s.skip_reason, s.note, s.checked, s.version, s.applicable, s.done_on';

/** `lock`: inside a commit, the run's step rows are locked (FOR UPDATE) before they are read. */
export async function loadRun(c: PgConnection, q: Queryable, runId: number, lock = false): Promise<LoadedRun | undefined> {
  const steps = await q.rows<StepRow & { run_id: number }>(`SELECT ${STEP_COLUMNS} FROM steps s WHERE s.run_id = $1 ORDER BY s.step_id${lock ? ' FOR UPDATE' : ''}`, [runId]);
  const runs = await q.rows<RunWithSnapshot>(`SELECT ${RUN_COLUMNS}, r.snapshot_id, a.fields AS account_fields FROM runs r JOIN accounts a ON a.id = r.account_id WHERE r.id = $1`, [runId]);
  if (runs.length === 0) return undefined;
  const answers = await q.rows<AnswerRow & { run_id: number }>('SELECT run_id, step_id, field_id, value FROM answers WHERE run_id = $1', [runId]);
  return (await assemble(c, q, runs, steps, answers))[0];
}

export async function loadRuns(c: PgConnection, q: Queryable, runIds: readonly number[]): Promise<LoadedRun[]> {
  const ids = [...runIds];
  const found = await q.rows<RunWithSnapshot>(`SELECT ${RUN_COLUMNS}, r.snapshot_id, a.fields AS account_fields FROM runs r JOIN accounts a ON a.id = r.account_id WHERE r.id = ANY($1::integer[])`, [ids]);
  if (found.length === 0) return [];
  const byId = new Map(found.map((run) => [run.id, run]));
  const ordered = ids.map((id) => byId.get(id)).filter((run): run is RunWithSnapshot => run !== undefined);
  const steps = await q.rows<StepRow & { run_id: number }>(`SELECT ${STEP_COLUMNS} FROM steps s WHERE s.run_id = ANY($1::integer[])`, [ids]);
  const answers = await q.rows<AnswerRow & { run_id: number }>('SELECT run_id, step_id, field_id, value FROM answers WHERE run_id = ANY($1::integer[])', [ids]);
  return assemble(c, q, ordered, steps, answers);
}

/** See Store.commit: the run's steps locked, this event applied to what is stored, only its change written. */
export async function commit(c: PgConnection, q: Queryable, runId: number, event: RunEvent, seen?: SeenStep): Promise<CommitOutcome> {
  const stored = await loadRun(c, q, runId, true);
  if (!stored) throw runtimeError(said('store.runGone', { run: runId }));
  const stepId = 'stepId' in event ? event.stepId : undefined;
  const base = seen && stepId !== undefined && stored.versions[stepId] !== seen.version ? seen.state : undefined;
  const { next, conflict } = applyToStored(stored.state, event, base);
  if (conflict) return { loaded: stored, conflict };
  if (next === stored.state) return { loaded: stored };
  await writeChange(q, runId, event, next);
  if (event.type !== 'back') await recordCommit(c, q, runId, event.type, stepId ?? null, commitDetail(event));
  // a handover step done: the account changes hands in this same transaction
  const role = handoverOf(next, event);
  const handover = role && stepId !== undefined ? await handOverToRole(c, q, runId, role, stepId) : undefined;
  const handed = handover ? { handover } : {};
  if (stepId === undefined || handover?.to) return { loaded: (await loadRun(c, q, runId))!, ...handed };
  return { loaded: { ...stored, state: next, versions: { ...stored.versions, [stepId]: (stored.versions[stepId] ?? 0) + 1 } }, ...handed };
}

async function writeChange(q: Queryable, runId: number, event: RunEvent, next: RunState): Promise<void> {
  const stamp = now();
  const step = 'stepId' in event ? next.steps.find((candidate) => candidate.id === event.stepId) : undefined;
  switch (event.type) {
    case 'answer':
      await q.run(
        `INSERT INTO answers (run_id, step_id, field_id, value, answered_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (run_id, step_id, field_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at`,
        [runId, event.stepId, event.fieldId, JSON.stringify(step?.answers[event.fieldId] ?? event.value), stamp],
      );
      await dropDraft(q, runId, event.stepId, event.fieldId);
      if (isActionsField(next.playbook, event.stepId, event.fieldId)) await writeActionItems(q, runId, event.stepId, event.fieldId, step?.answers[event.fieldId] as ActionItem[]);
      break;
    case 'clear':
      await q.run('DELETE FROM answers WHERE run_id = $1 AND step_id = $2 AND field_id = $3', [runId, event.stepId, event.fieldId]);
      await dropDraft(q, runId, event.stepId, event.fieldId);
      if (isActionsField(next.playbook, event.stepId, event.fieldId)) await writeActionItems(q, runId, event.stepId, event.fieldId, undefined);
      break;
    case 'action': {
      const items = step?.answers[event.fieldId];
      await q.run('UPDATE answers SET value = $1, answered_at = $2 WHERE run_id = $3 AND step_id = $4 AND field_id = $5', [JSON.stringify(items), stamp, runId, event.stepId, event.fieldId]);
      await writeActionItems(q, runId, event.stepId, event.fieldId, items as ActionItem[]);
      break;
    }
    case 'tick':
      await q.run('UPDATE steps SET checked = $1 WHERE run_id = $2 AND step_id = $3', [JSON.stringify(step?.checked ?? []), runId, event.stepId]);
      break;
    case 'complete':
    case 'skip':
      // completed_at: when the step was done or skipped, for the journey report
      await q.run('UPDATE steps SET status = $1, skip_reason = $2, completed_at = $3, done_on = $4 WHERE run_id = $5 AND step_id = $6', [step?.status, step?.skipReason ?? null, stamp, step?.doneOn ?? null, runId, event.stepId]);
      break;
    case 'note':
      await q.run('UPDATE steps SET note = $1 WHERE run_id = $2 AND step_id = $3', [step?.note ?? null, runId, event.stepId]);
      await dropDraft(q, runId, event.stepId, NOTE_DRAFT);
      break;
    case 'finish':
      // a local date and time: the day the user saw it finish (CS_TODAY when pinned), as on SQLite
      await q.run("UPDATE runs SET status = 'finished', finished_at = $1 WHERE id = $2", [localTimestamp(event.on ?? localDay()), runId]);
      break;
    case 'back':
      return;
  }
  if (step) await q.run('UPDATE steps SET updated_at = $1, version = version + 1 WHERE run_id = $2 AND step_id = $3', [stamp, runId, step.id]);
  // what follows from the answers (which steps apply, anchored due dates, computed values)
  await writeDerived(q, runId, next, stamp);
  await refreshSummaries(q, [runId]);
  await q.run('UPDATE runs SET updated_at = $1 WHERE id = $2', [stamp, runId]);
}

async function dropDraft(q: Queryable, runId: number, stepId: string, fieldId: string): Promise<void> {
  await q.run('DELETE FROM drafts WHERE run_id = $1 AND step_id = $2 AND field_id = $3', [runId, stepId, fieldId]);
}

export async function saveDraft(q: Queryable, runId: number, stepId: string, fieldId: string, text: string): Promise<void> {
  if (text === '') return dropDraft(q, runId, stepId, fieldId);
  await q.run(
    `INSERT INTO drafts (run_id, step_id, field_id, text, saved_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (run_id, step_id, field_id) DO UPDATE SET text = excluded.text, saved_at = excluded.saved_at`,
    [runId, stepId, fieldId, text, now()],
  );
}

export async function drafts(q: Queryable, runId: number): Promise<Draft[]> {
  return q.rows<Draft & Record<string, unknown>>('SELECT step_id AS "stepId", field_id AS "fieldId", text, saved_at AS "savedAt" FROM drafts WHERE run_id = $1 ORDER BY step_id COLLATE "C", field_id COLLATE "C"', [runId]);
}

export async function upgradeRun(c: PgConnection, q: Queryable, runId: number, state: RunState): Promise<void> {
  const { playbook } = state;
  const stamp = now();
  // each step's version moves on; when it was done, and how often its due date moved (one more if it moves now), are kept
  const before = new Map(
    (
      await q.rows<{ step_id: string; version: number; due_date: string; completed_at: string | null; due_revision: number }>(
        'SELECT step_id, version, due_date, completed_at, due_revision FROM steps WHERE run_id = $1 ORDER BY step_id FOR UPDATE',
        [runId],
      )
    ).map((row) => [row.step_id, row]),
  );
  const { snapshotId, titles, roles } = await snapshotOf(q, playbook, new Map());
  await q.run("UPDATE runs SET playbook_version = $1, playbook_title = $2, kind = $3, snapshot_id = $4, updated_at = $5 WHERE id = $6 AND status = 'open'", [
    playbook.version,
    playbook.title,
    playbook.kind,
    snapshotId,
    stamp,
    runId,
  ]);
  const keptDrafts = await drafts(q, runId);
  await q.run('DELETE FROM answers WHERE run_id = $1', [runId]);
  await q.run('DELETE FROM steps WHERE run_id = $1', [runId]);
  for (const step of state.steps) {
    const kept = before.get(step.id);
    const completedAt = step.status === 'open' ? null : (kept?.completed_at ?? stamp);
    const revision = kept === undefined ? 0 : kept.due_revision + (kept.due_date === step.due ? 0 : 1);
    await q.run(
      'INSERT INTO steps (run_id, step_id, position, phase_id, title, due_date, status, skip_reason, note, checked, updated_at, version, completed_at, due_revision, applicable, done_on, role) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)',
      [runId, step.id, step.index, step.phaseId, titles.get(step.id) ?? step.id, step.due, step.status, step.skipReason ?? null, step.note ?? null, JSON.stringify(step.checked), stamp, (kept?.version ?? 0) + 1, completedAt, revision, step.applicable === false ? 0 : 1, step.doneOn ?? null, roles.get(step.id) ?? null],
    );
    for (const [fieldId, value] of Object.entries(step.answers)) {
      await q.run('INSERT INTO answers (run_id, step_id, field_id, value, answered_at) VALUES ($1, $2, $3, $4, $5)', [runId, step.id, fieldId, JSON.stringify(value), stamp]);
    }
  }
  await writeAllActionItems(q, runId, state);
  const steps = new Set(state.steps.map((step) => step.id));
  for (const draft of keptDrafts) {
    if (steps.has(draft.stepId)) await q.run('INSERT INTO drafts (run_id, step_id, field_id, text, saved_at) VALUES ($1, $2, $3, $4, $5)', [runId, draft.stepId, draft.fieldId, draft.text, draft.savedAt]);
  }
  await refreshSummaries(q, [runId]);
  await recordCommit(c, q, runId, 'upgrade', null, String(playbook.version));
}
