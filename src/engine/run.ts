/**
 * A run of a playbook as a pure state machine. Every transition takes a state and an event and
 * returns the next state (or throws a CsError for an event that makes no sense); nothing here does
 * I/O. The store commits each accepted event in a transaction; the walk decides which event comes
 * next. Resume needs no saved cursor: it is always the first open step.
 */
import { inputError } from '../errors.js';
import type { AnswerValue, FieldDef, Playbook, StepDef } from '../playbook/types.js';
import { answerProblem, isAnswered } from './answers.js';
import { addOffset } from './dates.js';

export type StepStatus = 'open' | 'done' | 'skipped';
export type RunStatus = 'open' | 'finished';

export interface StepState {
  id: string;
  phaseId: string;
  /** 0-based position in the playbook's order. */
  index: number;
  due: string;
  status: StepStatus;
  skipReason?: string;
  note?: string;
  answers: Record<string, AnswerValue>;
  /** Indexes of the checklist items ticked. */
  checked: number[];
}

export interface RunState {
  playbook: Playbook;
  startDate: string;
  status: RunStatus;
  steps: StepState[];
  /** The step being walked: the first open one, unless the user went back. */
  cursor: number;
}

export type RunEvent =
  | { type: 'answer'; stepId: string; fieldId: string; value: AnswerValue }
  | { type: 'clear'; stepId: string; fieldId: string }
  | { type: 'tick'; stepId: string; item: number; checked: boolean }
  | { type: 'complete'; stepId: string }
  | { type: 'skip'; stepId: string; reason: string }
  | { type: 'back'; stepId: string }
  | { type: 'note'; stepId: string; text: string }
  /** `on`: the local day it finished (today(), so CS_TODAY pins it); the store's clock when absent. */
  | { type: 'finish'; on?: string };

export interface StepView {
  def: StepDef;
  phase: { id: string; title: string };
  state: StepState;
}

/** The steps of a playbook in walking order, with the phase each belongs to. */
export type FlatStep = Readonly<{ def: StepDef; phase: Playbook['phases'][number] }>;

// Worked out once per playbook: `cs status` over a book of business restores thousands of runs that
// share a handful of playbooks. Safe because a playbook is never changed once loaded.
const flattened = new WeakMap<Playbook, readonly FlatStep[]>();

export function flattenSteps(playbook: Playbook): readonly FlatStep[] {
  let steps = flattened.get(playbook);
  if (!steps) {
    steps = Object.freeze(playbook.phases.flatMap((phase) => phase.steps.map((def) => Object.freeze({ def, phase }))));
    flattened.set(playbook, steps);
  }
  return steps;
}

/** A step's due date: day 0 + the step's own `due`, else its phase's, else day 0. */
export function dueDate(startDate: string, step: StepDef, phaseDue: string | undefined): string {
  const offset = step.due ?? phaseDue;
  return offset ? addOffset(startDate, offset) : startDate;
}

function openStep({ def, phase }: FlatStep, index: number, startDate: string): StepState {
  return { id: def.id, phaseId: phase.id, index, due: dueDate(startDate, def, phase.due), status: 'open', answers: {}, checked: [] };
}

export function startRun(playbook: Playbook, startDate: string): RunState {
  const steps = flattenSteps(playbook).map((flat, index) => openStep(flat, index, startDate));
  return { playbook, startDate, status: 'open', steps, cursor: firstOpenIndex(steps) };
}

/** Where a walk resumes: the first open step, or past the end when none is left. */
export function firstOpenIndex(steps: readonly StepState[]): number {
  const index = steps.findIndex((step) => step.status === 'open');
  return index === -1 ? steps.length : index;
}

export function stepDef(state: RunState, stepId: string): StepDef {
  const def = flattenSteps(state.playbook).find(({ def }) => def.id === stepId)?.def;
  if (!def) throw inputError(`unknown step "${stepId}" in playbook ${state.playbook.id}`);
  return def;
}

export function viewStep(state: RunState, index: number): StepView | undefined {
  const flat = flattenSteps(state.playbook)[index];
  const stepState = state.steps[index];
  if (!flat || !stepState) return undefined;
  return { def: flat.def, phase: { id: flat.phase.id, title: flat.phase.title }, state: stepState };
}

export function fieldDef(step: StepDef, fieldId: string): FieldDef {
  const field = step.fields?.find((candidate) => candidate.id === fieldId);
  if (!field) throw inputError(`unknown field "${fieldId}" in step ${step.id}`);
  return field;
}

/** Required fields of a step that have no answer yet. */
export function missingRequired(state: RunState, stepId: string): FieldDef[] {
  const step = stepDef(state, stepId);
  const answers = stepState(state, stepId).answers;
  return (step.fields ?? []).filter((field) => field.required && !isAnswered(answers[field.id]));
}

function stepState(state: RunState, stepId: string): StepState {
  const found = state.steps.find((step) => step.id === stepId);
  if (!found) throw inputError(`unknown step "${stepId}" in playbook ${state.playbook.id}`);
  return found;
}

function withStep(state: RunState, stepId: string, change: (step: StepState) => StepState): RunState {
  stepState(state, stepId);
  const steps = state.steps.map((step) => (step.id === stepId ? change(step) : step));
  return { ...state, steps };
}

function assertOpenRun(state: RunState): void {
  if (state.status !== 'open') throw inputError(`this run of ${state.playbook.id} is finished`);
}

/** The one transition function. Pure: same state and event, same result. */
export function apply(state: RunState, event: RunEvent): RunState {
  assertOpenRun(state);
  switch (event.type) {
    case 'answer': {
      const field = fieldDef(stepDef(state, event.stepId), event.fieldId);
      const problem = answerProblem(field, event.value);
      if (problem) throw inputError(`${event.stepId}.${event.fieldId}: ${problem}`);
      return withStep(state, event.stepId, (step) => ({
        ...step,
        answers: { ...step.answers, [event.fieldId]: event.value },
      }));
    }
    case 'clear': {
      const field = fieldDef(stepDef(state, event.stepId), event.fieldId);
      if (field.required) throw inputError(`${event.stepId}.${event.fieldId} is required: its answer can be changed, not removed`);
      return withStep(state, event.stepId, (step) => {
        const { [event.fieldId]: _removed, ...answers } = step.answers;
        return { ...step, answers };
      });
    }
    case 'tick': {
      const items = stepDef(state, event.stepId).checklist ?? [];
      if (!Number.isInteger(event.item) || event.item < 0 || event.item >= items.length) {
        throw inputError(`step ${event.stepId} has no checklist item ${event.item + 1}`);
      }
      return withStep(state, event.stepId, (step) => {
        const others = step.checked.filter((item) => item !== event.item);
        const checked = event.checked ? [...others, event.item].sort((a, b) => a - b) : others;
        return { ...step, checked };
      });
    }
    case 'complete': {
      const missing = missingRequired(state, event.stepId);
      if (missing.length > 0) {
        throw inputError(`step ${event.stepId} needs an answer for ${missing.map((field) => field.id).join(', ')}`);
      }
      const next = withStep(state, event.stepId, (step) => ({ ...step, status: 'done', skipReason: undefined }));
      return { ...next, cursor: firstOpenIndex(next.steps) };
    }
    case 'skip': {
      const reason = event.reason.trim();
      if (reason === '') throw inputError(`skipping step ${event.stepId} needs a reason`);
      const next = withStep(state, event.stepId, (step) => ({ ...step, status: 'skipped', skipReason: reason }));
      return { ...next, cursor: firstOpenIndex(next.steps) };
    }
    case 'back': {
      const target = stepState(state, event.stepId);
      return { ...state, cursor: target.index };
    }
    case 'note': {
      const text = event.text.trim();
      return withStep(state, event.stepId, (step) => ({ ...step, note: text === '' ? undefined : text }));
    }
    case 'finish': {
      const open = state.steps.filter((step) => step.status === 'open');
      if (open.length > 0) {
        throw inputError(`cannot finish: ${open.length} step(s) still open (${open.map((step) => step.id).join(', ')})`);
      }
      return { ...state, status: 'finished', cursor: state.steps.length };
    }
  }
}

/** Rebuilds a run's state from what the store kept (its snapshot and its steps' rows). */
export function restoreRun(
  playbook: Playbook,
  startDate: string,
  status: RunStatus,
  saved: ReadonlyMap<string, Omit<StepState, 'id' | 'phaseId' | 'index'>>,
): RunState {
  const steps = flattenSteps(playbook).map((flat, index): StepState => {
    const kept = saved.get(flat.def.id);
    if (!kept) return openStep(flat, index, startDate);
    // answers in the order the playbook asks them, whatever order they were kept in
    const order = (flat.def.fields ?? []).map((field) => field.id);
    const answers = Object.fromEntries(order.filter((id) => id in kept.answers).map((id) => [id, kept.answers[id]!]));
    return { id: flat.def.id, phaseId: flat.phase.id, index, ...kept, answers };
  });
  return { playbook, startDate, status, steps, cursor: firstOpenIndex(steps) };
}

export interface Progress {
  total: number;
  done: number;
  skipped: number;
  open: number;
  overdue: number;
  /** The first open step, if any. */
  next?: StepView;
}

export function progress(state: RunState, today: string): Progress {
  let done = 0;
  let skipped = 0;
  let overdue = 0;
  for (const step of state.steps) {
    if (step.status === 'done') done += 1;
    else if (step.status === 'skipped') skipped += 1;
    else if (step.due < today) overdue += 1;
  }
  const total = state.steps.length;
  return { total, done, skipped, open: total - done - skipped, overdue, next: viewStep(state, firstOpenIndex(state.steps)) };
}
