/**
 * A run as `cs status --json` prints it: runSummary (the data, stable keys), and runJson, its text.
 * runJson is exactly JSON.stringify(runSummary(…)), made faster: over a book of business most of
 * what is written is the playbook's own text (each step's title and checklist items, the same for
 * thousands of runs), so it is turned into JSON once per step of a playbook, not once per run, and
 * no object is built for each checklist item.
 */
import { daysSince, DEFAULT_STUCK_DAYS, runHealth } from '../../engine/report.js';
import { flattenSteps, progress, viewStep } from '../../engine/run.js';
import type { StepDef } from '../../playbook/types.js';
import type { LoadedRun } from '../../store/index.js';

/** The data of one run, as --json prints it (stable keys). */
export function runSummary(loaded: LoadedRun, now: string, stuckDays: number = DEFAULT_STUCK_DAYS) {
  return { ...runHeading(loaded, now, stuckDays), ...runSteps(loaded.state, now) };
}

/** runSummary but its steps: where the run stands. */
export function runHeading(loaded: LoadedRun, now: string, stuckDays: number) {
  const { run, state } = loaded;
  const counts = progress(state, now);
  // the run's last commit is its updated_at (see README, "How the report counts")
  const daysSinceCommit = daysSince(run.updatedAt, now);
  const current = counts.next ?? viewStep(state, state.steps.length - 1);
  return {
    id: run.id,
    account: run.accountName,
    playbook: { id: run.playbookId, title: run.playbookTitle, version: run.playbookVersion, kind: run.kind },
    owner: run.owner,
    status: run.status,
    startDate: run.startDate,
    finishedAt: run.finishedAt,
    phase: current ? { id: current.phase.id, title: current.phase.title } : null,
    steps: { total: counts.total, done: counts.done, skipped: counts.skipped, open: counts.open, overdue: counts.overdue },
    /** on track / behind / stuck, as cs report judges it; null for a finished run. */
    health: run.status === 'open' ? runHealth(counts.overdue, daysSinceCommit, stuckDays) : null,
    daysSinceCommit,
    next: counts.next ? { id: counts.next.def.id, title: counts.next.def.title, due: counts.next.state.due } : null,
  };
}

/** runSummary's last two keys: every step, and the answers by step. */
function runSteps(state: LoadedRun['state'], now: string) {
  return {
    stepList: state.steps.map((step) => {
      const view = viewStep(state, step.index)!;
      return {
        id: step.id,
        title: view.def.title,
        phase: step.phaseId,
        status: step.status,
        due: step.due,
        overdue: step.status === 'open' && step.due < now,
        skipReason: step.skipReason ?? null,
        note: step.note ?? null,
        checklist: (view.def.checklist ?? []).map((item, index) => ({ item, checked: step.checked.includes(index) })),
        answers: step.answers,
      };
    }),
    answers: Object.fromEntries(state.steps.filter((step) => Object.keys(step.answers).length > 0).map((step) => [step.id, step.answers])),
  };
}

const text = JSON.stringify;

/** A step's title and checklist items as JSON, by step definition (a playbook is never changed once loaded). */
const fragments = new WeakMap<StepDef, { title: string; items: string[] }>();

function fragmentsOf(def: StepDef): { title: string; items: string[] } {
  let found = fragments.get(def);
  if (!found) {
    found = { title: text(def.title), items: (def.checklist ?? []).map((item) => `{"item":${text(item)},"checked":`) };
    fragments.set(def, found);
  }
  return found;
}

export function runJson(loaded: LoadedRun, now: string, stuckDays: number): string {
  const { state } = loaded;
  const flat = flattenSteps(state.playbook);
  const steps: string[] = [];
  const answered: string[] = [];
  for (const step of state.steps) {
    const { title, items } = fragmentsOf(flat[step.index]!.def);
    const checklist = items.map((item, index) => `${item}${step.checked.includes(index)}}`).join(',');
    const answers = text(step.answers);
    if (Object.keys(step.answers).length > 0) answered.push(`${text(step.id)}:${answers}`);
    steps.push(
      `{"id":${text(step.id)},"title":${title},"phase":${text(step.phaseId)},"status":${text(step.status)},"due":${text(step.due)},` +
        `"overdue":${step.status === 'open' && step.due < now},"skipReason":${text(step.skipReason ?? null)},"note":${text(step.note ?? null)},` +
        `"checklist":[${checklist}],"answers":${answers}}`,
    );
  }
  return `${text(runHeading(loaded, now, stuckDays)).slice(0, -1)},"stepList":[${steps.join(',')}],"answers":{${answered.join(',')}}}`;
}
