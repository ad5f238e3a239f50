/**
 * The journey report's figures from the rows each backend's SQL returns (src/store/sqlite/report.ts,
 * src/store/postgres/report.ts): one assembly, so both backends print the same report.
 */
import { byHealth, runHealth, stallOf } from '../engine/report.js';
import type { BookReport, OpenRunFigures, PlaybookFigures, ReportQuery, RunHealth, Spread, StepFigures } from '../engine/report.js';

export interface ReportStepRow {
  playbook_id: string;
  step_id: string;
  position: number;
  title: string;
}

export interface StepCountRow {
  playbook_id: string;
  step_id: string;
  resolved: number;
  done: number;
  skipped: number;
  on_time: number;
  waiting: number;
}

export interface SpreadRow {
  playbook_id: string;
  step_id: string;
  what: 'days' | 'late' | 'waiting';
  count: number;
  median: number;
  p90: number;
}

export interface OpenRunRow {
  run_id: number;
  account: string;
  playbook_id: string;
  owner: string | null;
  last_commit: string;
  days_since_commit: number;
  overdue: number;
  oldest_due: string | null;
  waiting_id: string | null;
  waiting_title: string | null;
}

export interface SkipReasonRow {
  playbook_id: string;
  step_id: string;
  reason: string | null;
  count: number;
}

export interface PlaybookCountRow {
  playbook_id: string;
  title: string;
  runs: number;
  open: number;
  finished: number;
}

/** What the report's queries returned (skip reasons in order: most frequent first). */
export interface ReportRows {
  spreads: SpreadRow[];
  skipReasons: SkipReasonRow[];
  stepCounts: StepCountRow[];
  steps: ReportStepRow[];
  openRuns: OpenRunRow[];
  playbookCounts: PlaybookCountRow[];
}

const key = (playbookId: string, stepId: string) => `${playbookId}\u0000${stepId}`;

export function assembleReport(query: ReportQuery, rows: ReportRows): BookReport {
  const spreads = new Map<string, Partial<Record<SpreadRow['what'], Spread>>>();
  for (const row of rows.spreads) {
    const forStep = spreads.get(key(row.playbook_id, row.step_id)) ?? {};
    forStep[row.what] = { count: row.count, median: row.median, p90: row.p90 };
    spreads.set(key(row.playbook_id, row.step_id), forStep);
  }
  const reasons = new Map<string, { reason: string; count: number }[]>();
  for (const row of rows.skipReasons) {
    const list = reasons.get(key(row.playbook_id, row.step_id)) ?? [];
    if (list.length < 3) list.push({ reason: row.reason ?? '', count: row.count });
    reasons.set(key(row.playbook_id, row.step_id), list);
  }
  const counts = new Map(rows.stepCounts.map((row) => [key(row.playbook_id, row.step_id), row]));
  const stepsOf = new Map<string, StepFigures[]>();
  for (const row of rows.steps) {
    const id = key(row.playbook_id, row.step_id);
    const count = counts.get(id);
    const spread = spreads.get(id) ?? {};
    const done = count?.done ?? 0;
    const list = stepsOf.get(row.playbook_id) ?? [];
    list.push({
      stepId: row.step_id,
      title: row.title,
      position: row.position,
      reached: (count?.resolved ?? 0) + (count?.waiting ?? 0),
      done,
      skipped: count?.skipped ?? 0,
      skipReasons: reasons.get(id) ?? [],
      days: spread.days ?? null,
      onTime: count?.on_time ?? 0,
      onTimeRate: done === 0 ? null : (count?.on_time ?? 0) / done,
      daysLate: spread.late ?? null,
      waiting: spread.waiting ?? null,
    });
    stepsOf.set(row.playbook_id, list);
  }
  const runs: OpenRunFigures[] = rows.openRuns.map((row) => ({
    runId: row.run_id,
    account: row.account,
    playbookId: row.playbook_id,
    owner: row.owner,
    health: runHealth(row.overdue, row.days_since_commit, query.stuckDays),
    overdue: row.overdue,
    oldestDue: row.oldest_due,
    lastCommit: row.last_commit,
    daysSinceCommit: row.days_since_commit,
    waitingAt: row.waiting_id === null ? null : { stepId: row.waiting_id, title: row.waiting_title ?? row.waiting_id },
  }));
  runs.sort(byHealth);
  const health = new Map<string, Record<RunHealth, number>>();
  for (const run of runs) {
    const tally = health.get(run.playbookId) ?? { 'on track': 0, behind: 0, stuck: 0 };
    tally[run.health] += 1;
    health.set(run.playbookId, tally);
  }
  const playbooks: PlaybookFigures[] = rows.playbookCounts.map((row) => {
    const steps = (stepsOf.get(row.playbook_id) ?? []).sort((a, b) => a.position - b.position || a.stepId.localeCompare(b.stepId));
    return {
      playbookId: row.playbook_id,
      title: row.title,
      runs: row.runs,
      open: row.open,
      finished: row.finished,
      health: health.get(row.playbook_id) ?? { 'on track': 0, behind: 0, stuck: 0 },
      steps,
      stall: stallOf(steps),
    };
  });
  return {
    today: query.today,
    stuckDays: query.stuckDays,
    filters: { playbook: query.playbookId ?? null, owner: query.owner ?? null, since: query.since ?? null },
    playbooks,
    runs,
  };
}
