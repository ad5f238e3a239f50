/**
 * A run as `cs status --json` prints it: runSummary (the data, stable keys), and runJson, its text.
 * runJson is exactly JSON.stringify(runSummary(…)), made faster: over a book of business most of
 * what is written is the playbook's own text (each step's title, condition and checklist items, the
 * same for thousands of runs), so it is turned into JSON once per step of a playbook, not once per
 * run, and no object is built for each checklist item.
 */
import { describeCondition } from '../../engine/conditions.js';
import { sayIn } from '../../i18n/messages.js';
import { daysSince, DEFAULT_STUCK_DAYS, runHealth } from '../../engine/report.js';
import { flattenSteps, progress, viewStep, waitingIn, waitingOn } from '../../engine/run.js';
import type { RunState, StepState } from '../../engine/run.js';
import type { Lang } from '../../i18n/lang.js';
import type { Playbook, StepDef } from '../../playbook/types.js';
import type { LoadedRun } from '../../store/index.js';
import type { CommitRecord, Run, RunStanding } from '../../store/store.js';

/** The data of one run, as --json prints it (stable keys); with its commits, who did what. */
export function runSummary(loaded: LoadedRun, now: string, stuckDays: number = DEFAULT_STUCK_DAYS, lang: Lang = 'en', history?: readonly CommitRecord[]) {
  return { ...runHeading(loaded, now, stuckDays, lang), ...runSteps(loaded.state, now, lang, history && doneBy(history)), ...(history ? runCommits(history) : {}) };
}

/** Who did or skipped each step: the latest such commit of it. */
function doneBy(history: readonly CommitRecord[]): Map<string, string | null> {
  const by = new Map<string, string | null>();
  for (const record of history) if (record.stepId !== null && (record.event === 'complete' || record.event === 'skip')) by.set(record.stepId, record.by);
  return by;
}

/** runSummary's last keys, given the run's commits: who started it, and every commit. */
function runCommits(history: readonly CommitRecord[]) {
  return { startedBy: history.find((record) => record.event === 'start')?.by ?? null, commits: history };
}

/** Who did a step, as --json says it: no one for an open step. */
function doerOf(step: StepState, doers: Map<string, string | null>): string | null {
  return step.status === 'open' ? null : (doers.get(step.id) ?? null);
}

/** A run's figures, worked out by the engine from its steps (runHeading) or kept by the store (runStanding). */
interface RunFigures {
  done: number;
  skipped: number;
  open: number;
  overdue: number;
  notApplicable: number;
  /** The first open step that applies: its index in the playbook's steps, and its due date ('' while it waits). */
  next: { index: number; due: string } | undefined;
}

/** runSummary but its steps: where the run stands, from its steps. */
function runHeading(loaded: LoadedRun, now: string, stuckDays: number, lang: Lang) {
  const counts = progress(loaded.state, now);
  const next = counts.next && { index: counts.next.state.index, due: counts.next.state.due };
  return headingOf(loaded.run, loaded.state.playbook, { ...counts, next }, now, stuckDays, lang);
}

/**
 * Where a run stands as book-level `cs status --json` prints it: runSummary's keys but its steps,
 * answers and commits, from the figures the store keeps per run (no step read).
 */
export function runStanding(standing: RunStanding, now: string, stuckDays: number = DEFAULT_STUCK_DAYS, lang: Lang = 'en') {
  const next = standing.nextIndex === null ? undefined : { index: standing.nextIndex, due: standing.nextDue ?? '' };
  return headingOf(standing.run, standing.playbook, { ...standing, next }, now, stuckDays, lang);
}

function headingOf(run: Run, playbook: Playbook, counts: RunFigures, now: string, stuckDays: number, lang: Lang) {
  // the run's last commit is its updated_at (see README, "How the report counts")
  const daysSinceCommit = daysSince(run.updatedAt, now);
  const flat = flattenSteps(playbook);
  const next = counts.next && flat[counts.next.index];
  const current = next ?? flat[flat.length - 1];
  const total = counts.done + counts.skipped + counts.open;
  return {
    id: run.id,
    account: run.accountName,
    // the title of the playbook as the run is shown (translated for the interface, as its phases and steps are)
    playbook: { id: run.playbookId, title: playbook.title, version: run.playbookVersion, kind: run.kind },
    owner: run.owner,
    status: run.status,
    startDate: run.startDate,
    finishedAt: run.finishedAt,
    phase: current ? { id: current.phase.id, title: current.phase.title } : null,
    steps: { total, done: counts.done, skipped: counts.skipped, open: counts.open, overdue: counts.overdue, ...(counts.notApplicable > 0 ? { notApplicable: counts.notApplicable } : {}) },
    /** on track / behind / stuck, as cs report judges it; null for a finished run. */
    health: run.status === 'open' ? runHealth(counts.overdue, daysSinceCommit, stuckDays) : null,
    daysSinceCommit,
    next: next && counts.next ? { id: next.def.id, title: next.def.title, due: counts.next.due, waiting: waitingIn(playbook, counts.next.index, lang) ?? null } : null,
  };
}

/** A step not due yet because it waits for another one (its due date is ''): what it waits on. */
function waitingOf(state: RunState, step: StepState, lang: Lang): string | null {
  return step.due === '' ? (waitingOn(state, step.index, lang) ?? null) : null;
}

function isOverdue(step: StepState, now: string): boolean {
  return step.status === 'open' && step.applicable !== false && step.due !== '' && step.due < now;
}

/** runSummary's steps: every step, and the answers by step. */
function runSteps(state: RunState, now: string, lang: Lang, doers: Map<string, string | null> | undefined) {
  return {
    stepList: state.steps.map((step) => {
      const view = viewStep(state, step.index)!;
      return {
        id: step.id,
        title: view.def.title,
        phase: step.phaseId,
        status: step.status,
        /** false when its `when:` does not hold: not asked, not due, in no count. */
        applicable: step.applicable !== false,
        condition: view.def.when ? sayIn(lang, describeCondition(view.def.when, step.id)) : null,
        due: step.due === '' ? null : step.due,
        waiting: waitingOf(state, step, lang),
        doneOn: step.doneOn ?? null,
        overdue: isOverdue(step, now),
        skipReason: step.skipReason ?? null,
        note: step.note ?? null,
        checklist: (view.def.checklist ?? []).map((item, index) => ({ item, checked: step.checked.includes(index) })),
        answers: step.answers,
        /** The role the step names (owner: csm), resolved through the account's team. */
        role: view.def.owner ?? null,
        ...(doers ? { by: doerOf(step, doers) } : {}),
      };
    }),
    answers: Object.fromEntries(state.steps.filter((step) => Object.keys(step.answers).length > 0).map((step) => [step.id, step.answers])),
  };
}

const text = JSON.stringify;

interface StepFragments {
  title: string;
  condition: string;
  role: string;
  /** Each checklist item's JSON up to its `checked` value. */
  items: string[];
}

/** A step's title, condition and checklist items as JSON, by step definition (a playbook is never changed once loaded). */
const fragments = new WeakMap<StepDef, StepFragments>();

function fragmentsOf(def: StepDef): StepFragments {
  let found = fragments.get(def);
  if (!found) {
    found = {
      title: text(def.title),
      condition: text(def.when ? sayIn('en', describeCondition(def.when, def.id)) : null),
      role: text(def.owner ?? null),
      items: (def.checklist ?? []).map((item) => `{"item":${text(item)},"checked":`),
    };
    fragments.set(def, found);
  }
  return found;
}

/** JSON.stringify(runSummary(loaded, now, stuckDays, lang, history)), made from the steps' fragments. */
export function runJson(loaded: LoadedRun, now: string, stuckDays: number = DEFAULT_STUCK_DAYS, lang: Lang = 'en', history?: readonly CommitRecord[]): string {
  const { state } = loaded;
  const doers = history && doneBy(history);
  const flat = flattenSteps(state.playbook);
  const steps: string[] = [];
  const answered: string[] = [];
  for (const step of state.steps) {
    const def = flat[step.index]!.def;
    const { title, items, role } = fragmentsOf(def);
    // a step's condition names the step (describeCondition's second argument): the step's own id
    // the fragments are English's (what --json prints); another language says the condition afresh
    const condition = step.id === def.id && lang === 'en' ? fragmentsOf(def).condition : text(def.when ? sayIn(lang, describeCondition(def.when, step.id)) : null);
    const checklist = items.map((item, index) => `${item}${step.checked.includes(index)}}`).join(',');
    const answers = text(step.answers);
    if (Object.keys(step.answers).length > 0) answered.push(`${text(step.id)}:${answers}`);
    steps.push(
      `{"id":${text(step.id)},"title":${title},"phase":${text(step.phaseId)},"status":${text(step.status)},"applicable":${step.applicable !== false},` +
        `"condition":${condition},"due":${text(step.due === '' ? null : step.due)},"waiting":${text(waitingOf(state, step, lang))},"doneOn":${text(step.doneOn ?? null)},` +
        `"overdue":${isOverdue(step, now)},"skipReason":${text(step.skipReason ?? null)},"note":${text(step.note ?? null)},` +
        `"checklist":[${checklist}],"answers":${answers},"role":${role}${doers ? `,"by":${text(doerOf(step, doers))}` : ''}}`,
    );
  }
  const commits = history ? `,${text(runCommits(history)).slice(1, -1)}` : '';
  return `${text(runHeading(loaded, now, stuckDays, lang)).slice(0, -1)},"stepList":[${steps.join(',')}],"answers":{${answered.join(',')}}${commits}}`;
}
