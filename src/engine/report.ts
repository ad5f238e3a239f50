/**
 * The journey report's figures: what each one is (README, "How the report counts" defines them
 * for users; the SQL in src/store/sqlite/report.ts computes them), and how an open run's health is
 * judged. Pure.
 */
import { inputError } from '../errors.js';
import { said } from '../i18n/messages.js';
import { dayOf, daysBetween } from './dates.js';

/** Days without a commit, while something is overdue, after which an open run is stuck. */
export const DEFAULT_STUCK_DAYS = 14;

export type RunHealth = 'on track' | 'behind' | 'stuck';

/**
 * on track: nothing overdue; behind: a step is overdue; stuck: a step is overdue and nothing has
 * been committed to the run for `stuckDays` days or more.
 */
export function runHealth(overdue: number, daysSinceCommit: number, stuckDays: number): RunHealth {
  if (overdue === 0) return 'on track';
  return daysSinceCommit >= stuckDays ? 'stuck' : 'behind';
}

/** Whole days from the run's last commit (a stored timestamp) to today; 0 for a commit "after" today. */
export function daysSince(lastCommit: string, today: string): number {
  return Math.max(0, daysBetween(dayOf(lastCommit), today));
}

/** --stuck-days, else CS_STUCK_DAYS, else 14. */
export function stuckDaysSetting(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  const [value, what] = flag !== undefined ? [flag, '--stuck-days'] : env.CS_STUCK_DAYS !== undefined && env.CS_STUCK_DAYS !== '' ? [env.CS_STUCK_DAYS, 'CS_STUCK_DAYS'] : [undefined, ''];
  if (value === undefined) return DEFAULT_STUCK_DAYS;
  if (!/^\d{1,4}$/.test(value.trim()) || Number(value) < 1) throw inputError(said('report.badStuckDays', { what, value: JSON.stringify(value) }));
  return Number(value.trim());
}

export interface ReportQuery {
  today: string;
  stuckDays: number;
  playbookId?: string;
  /** The run's owner, else the account's, as typed (shown in the report). */
  owner?: string;
  /** The keys `owner` is matched by (src/people's ownerQueryKeys); else `owner` alone. */
  ownerKeys?: readonly string[];
  /** Only runs that started on or after this day. */
  since?: string;
}

/** Median and 90th percentile of a list of whole days; null when the list is empty. */
export interface Spread {
  count: number;
  median: number;
  p90: number;
}

export interface StepFigures {
  stepId: string;
  title: string;
  position: number;
  /** Runs that got to this step: done or skipped it, or are waiting on it now. */
  reached: number;
  done: number;
  skipped: number;
  /** The most given reasons, most first (at most three). */
  skipReasons: { reason: string; count: number }[];
  /** Days from the previous step to this one, over the runs that did it. */
  days: Spread | null;
  /** Done on or before the due date. */
  onTime: number;
  /** onTime / done, 0..1; null when nothing was done. */
  onTimeRate: number | null;
  /** Over the steps done late: how many days after the due date. */
  daysLate: Spread | null;
  /** Open runs waiting on this step now, and for how long. */
  waiting: Spread | null;
}

export interface OpenRunFigures {
  runId: number;
  account: string;
  playbookId: string;
  owner: string | null;
  health: RunHealth;
  /** Open steps due before today. */
  overdue: number;
  /** The earliest due date among them. */
  oldestDue: string | null;
  lastCommit: string;
  daysSinceCommit: number;
  /** The first open step: where the run waits. */
  waitingAt: { stepId: string; title: string } | null;
}

export interface PlaybookFigures {
  playbookId: string;
  title: string;
  runs: number;
  open: number;
  finished: number;
  health: Record<RunHealth, number>;
  steps: StepFigures[];
  /** The step most open runs wait on now (ties: the earlier step). */
  stall: { stepId: string; title: string; runs: number; medianDays: number } | null;
}

export interface BookReport {
  today: string;
  stuckDays: number;
  filters: { playbook: string | null; owner: string | null; since: string | null };
  playbooks: PlaybookFigures[];
  /** Every open run, stuck ones first (longest without a commit first), then behind, then on track. */
  runs: OpenRunFigures[];
}

const HEALTH_ORDER: Record<RunHealth, number> = { stuck: 0, behind: 1, 'on track': 2 };

/** Stuck first, then behind, then on track; longest without a commit first; then by run number. */
export function byHealth(a: OpenRunFigures, b: OpenRunFigures): number {
  return HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health] || b.daysSinceCommit - a.daysSinceCommit || a.runId - b.runId;
}

/** The step holding most of the open runs now (the earlier one on a tie). */
export function stallOf(steps: readonly StepFigures[]): PlaybookFigures['stall'] {
  let best: StepFigures | undefined;
  for (const step of steps) if (step.waiting && (!best || step.waiting.count > best.waiting!.count)) best = step;
  return best ? { stepId: best.stepId, title: best.title, runs: best.waiting!.count, medianDays: best.waiting!.median } : null;
}
