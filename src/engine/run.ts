/**
 * A run of a playbook as a pure state machine. Every transition takes a state and an event and
 * returns the next state (or throws a CsError for an event that makes no sense); nothing here does
 * I/O. The store commits each accepted event in a transaction; the walk decides which event comes
 * next. Resume needs no saved cursor: it is always the first open step.
 */
import type { Lang } from '../i18n/lang.js';
import { tIn } from '../i18n/messages.js';
import { inputError } from '../errors.js';
import type { ActionItem, AnswerValue, FieldDef, Playbook, StepDef } from '../playbook/types.js';
import { answerProblem, isAnswered, normalActionItems } from './answers.js';
import { computeValue } from './computed.js';
import { evaluate, fieldReference } from './conditions.js';
import type { Reference } from './conditions.js';
import { anchorOf, resolveDue } from './due.js';
import type { AnchorDates, WorkCalendar } from './due.js';
import { said } from '../i18n/messages.js';

export type StepStatus = 'open' | 'done' | 'skipped';
export type RunStatus = 'open' | 'finished';

export interface StepState {
  id: string;
  phaseId: string;
  /** 0-based position in the playbook's order. */
  index: number;
  /** YYYY-MM-DD; '' while it waits on an anchor (a step not done yet, a date not given yet). */
  due: string;
  status: StepStatus;
  /** False when the step's `when:` does not hold: not asked, not due, not counted. */
  applicable: boolean;
  /** The day it was done or skipped (what `{ after: STEP }` due dates count from). */
  doneOn?: string;
  skipReason?: string;
  note?: string;
  answers: Record<string, AnswerValue>;
  /** Indexes of the checklist items ticked. */
  checked: number[];
}

/** What a run is evaluated against besides its answers: the account's columns, the work calendar. */
export interface RunContext {
  account?: Readonly<Record<string, string>>;
  calendar?: WorkCalendar;
}

export interface RunState {
  playbook: Playbook;
  context?: RunContext;
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
  | { type: 'complete'; stepId: string; on?: string }
  | { type: 'skip'; stepId: string; reason: string; on?: string }
  | { type: 'back'; stepId: string }
  | { type: 'note'; stepId: string; text: string }
  /** An action item (1-based `n` of an actions field) marked done or not; also on a finished run. */
  | { type: 'action'; stepId: string; fieldId: string; n: number; done: boolean }
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

/** A step's due date when it is an offset from day 0 (the v1 forms): the step's own, else its phase's. */
export function dueDate(startDate: string, step: StepDef, phaseDue: StepDef['due']): string {
  const due = step.due ?? phaseDue;
  return typeof due === 'string' ? (resolveDue(due, step.id, startDate, NO_DATES) ?? startDate) : startDate;
}

/** A step's due date as written: its own, else its phase's. */
export function dueOf(flat: FlatStep): StepDef['due'] {
  return flat.def.due ?? flat.phase.due;
}

function openStep(flat: FlatStep, index: number, startDate: string): StepState {
  const { def, phase } = flat;
  const due = typeof dueOf(flat) === 'object' ? '' : (resolveDue(dueOf(flat), def.id, startDate, NO_DATES) ?? '');
  return { id: def.id, phaseId: phase.id, index, due, status: 'open', applicable: true, answers: {}, checked: [] };
}

const NO_DATES: AnchorDates = { doneOn: () => undefined, value: () => undefined };

/**
 * What a run is evaluated against, kept only when its playbook looks at it (an account column, a
 * business day): a v1 run's state is exactly what it was.
 */
function neededContext(playbook: Playbook, context: RunContext | undefined): RunContext | undefined {
  if (!context) return undefined;
  let account = false;
  let calendar = false;
  const scan = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(scan);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === 'account' && typeof item === 'string') account = true;
        if (key === 'from' && typeof item === 'string' && item.startsWith('account.')) account = true;
        if ((key === 'due' || key === 'in') && typeof item === 'string' && item.endsWith('bd')) calendar = true;
        scan(item);
      }
    }
  };
  let known = contextNeeds.get(playbook);
  if (!known) {
    scan(playbook.phases);
    contextNeeds.set(playbook, (known = { account, calendar }));
  }
  if (!known.account && !known.calendar) return undefined;
  return { ...(known.account && context.account ? { account: context.account } : {}), ...(known.calendar && context.calendar ? { calendar: context.calendar } : {}) };
}

const contextNeeds = new WeakMap<Playbook, { account: boolean; calendar: boolean }>();

export function startRun(playbook: Playbook, startDate: string, context?: RunContext): RunState {
  const steps = flattenSteps(playbook).map((flat, index) => openStep(flat, index, startDate));
  const state: RunState = { playbook, startDate, status: 'open', steps, cursor: 0 };
  const needed = neededContext(playbook, context);
  if (needed) state.context = needed;
  return derive(state);
}

/** Where a walk resumes: the first open applicable step, or past the end when none is left. */
export function firstOpenIndex(steps: readonly StepState[]): number {
  const index = steps.findIndex(isPending);
  return index === -1 ? steps.length : index;
}

/** Open and applicable: what is still to do. */
export function isPending(step: StepState): boolean {
  return step.status === 'open' && step.applicable !== false;
}

/** The value a reference names, as conditions and anchors see it: nothing from a step or field that does not apply. */
export function lookupIn(state: RunState): (reference: Reference) => AnswerValue | undefined {
  return (reference) => {
    if (reference.kind === 'account') return state.context?.account?.[reference.name];
    const step = state.steps.find((candidate) => candidate.id === reference.stepId);
    if (!step || step.applicable === false) return undefined;
    return step.answers[reference.fieldId];
  };
}

/**
 * Works out what follows from the answers, in the playbook's order (conditions and computed fields
 * refer only to what comes before): computed values, which steps apply, and anchored due dates.
 * An anchored due date is kept as it is unless what it is counted from changed since `previous`
 * (so a date moved by hand stays moved); a waiting one ('') is worked out whenever it can be.
 */
export function derive(state: RunState, previous?: RunState): RunState {
  const flat = flattenSteps(state.playbook);
  const steps = state.steps.map((step) => ({ ...step }));
  const working: RunState = { ...state, steps };
  const lookup = lookupIn(working);
  flat.forEach(({ def }, index) => {
    const step = steps[index]!;
    step.applicable = def.when ? evaluate(def.when, lookup, def.id) : true;
    for (const field of def.fields ?? []) {
      if (field.type !== 'computed') continue;
      const source = field.from ? lookup(fieldReference(field.from, def.id)) : undefined;
      const value = computeValue(field, source);
      if (value === undefined) {
        if (field.id in step.answers) {
          const { [field.id]: _gone, ...rest } = step.answers;
          step.answers = rest;
        }
      } else if (step.answers[field.id] !== value) step.answers = { ...step.answers, [field.id]: value };
    }
  });
  const dates: AnchorDates = {
    doneOn: (stepId) => {
      const anchor = steps.find((candidate) => candidate.id === stepId);
      return anchor && anchor.status !== 'open' ? anchor.doneOn : undefined;
    },
    value: lookup,
  };
  const previousDates: AnchorDates | undefined = previous && {
    doneOn: (stepId) => {
      const anchor = previous.steps.find((candidate) => candidate.id === stepId);
      return anchor && anchor.status !== 'open' ? anchor.doneOn : undefined;
    },
    value: lookupIn(previous),
  };
  flat.forEach((entry, index) => {
    const due = dueOf(entry);
    if (typeof due !== 'object') return;
    const step = steps[index]!;
    const anchor = anchorOf(due, entry.def.id);
    const basis = (from: AnchorDates) => (anchor.kind === 'after' ? from.doneOn(anchor.stepId) : anchor.kind === 'from' ? from.value(anchor.reference) : state.startDate);
    const unchanged = previousDates !== undefined && step.due !== '' && JSON.stringify(basis(previousDates)) === JSON.stringify(basis(dates));
    if (!unchanged) step.due = resolveDue(due, entry.def.id, state.startDate, dates, state.context?.calendar) ?? '';
  });
  return { ...working, cursor: state.cursor };
}

export function stepDef(state: RunState, stepId: string): StepDef {
  return stepOfPlaybook(state.playbook, stepId);
}

function stepOfPlaybook(playbook: Playbook, stepId: string): StepDef {
  const def = flattenSteps(playbook).find(({ def }) => def.id === stepId)?.def;
  if (!def) throw inputError(said('run.unknownStep', { step: stepId, playbook: playbook.id }));
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
  if (!field) throw inputError(said('run.unknownField', { field: fieldId, step: step.id }));
  return field;
}

/** Required fields of a step that have no answer yet. */
export function missingRequired(state: RunState, stepId: string): FieldDef[] {
  const answers = stepState(state, stepId).answers;
  return askedFields(state, stepId).filter((field) => field.required && !isAnswered(answers[field.id]));
}

/** The fields of a step a person answers: not computed ones, and only those whose `when:` holds. */
export function askedFields(state: RunState, stepId: string): FieldDef[] {
  const step = stepDef(state, stepId);
  const lookup = lookupIn(state);
  return (step.fields ?? []).filter((field) => field.type !== 'computed' && (!field.when || evaluate(field.when, lookup, step.id)));
}

function stepState(state: RunState, stepId: string): StepState {
  const found = state.steps.find((step) => step.id === stepId);
  if (!found) throw inputError(said('run.unknownStep', { step: stepId, playbook: state.playbook.id }));
  return found;
}

function withStep(state: RunState, stepId: string, change: (step: StepState) => StepState): RunState {
  stepState(state, stepId);
  const steps = state.steps.map((step) => (step.id === stepId ? change(step) : step));
  return { ...state, steps };
}

function assertOpenRun(state: RunState): void {
  if (state.status !== 'open') throw inputError(said('run.finished', { playbook: state.playbook.id }));
}

/** The one transition function. Pure: same state and event, same result. */
export function apply(state: RunState, event: RunEvent): RunState {
  if (event.type === 'action') return markAction(state, event);
  assertOpenRun(state);
  const next = derive(transition(state, event), state);
  return event.type === 'back' ? next : { ...next, cursor: event.type === 'answer' || event.type === 'clear' || event.type === 'tick' || event.type === 'note' ? state.cursor : firstOpenIndex(next.steps) };
}

function markAction(state: RunState, event: Extract<RunEvent, { type: 'action' }>): RunState {
  const field = fieldDef(stepDef(state, event.stepId), event.fieldId);
  if (field.type !== 'actions') throw inputError(said('run.notActions', { field: `${event.stepId}.${event.fieldId}` }));
  const items = (stepState(state, event.stepId).answers[event.fieldId] ?? []) as ActionItem[];
  if (!Number.isInteger(event.n) || event.n < 1 || event.n > items.length) throw inputError(said('run.noActionItem', { field: `${event.stepId}.${event.fieldId}`, n: event.n }));
  const value = items.map((item, index) => (index !== event.n - 1 ? item : event.done ? { ...item, done: true } : (({ done: _done, ...rest }) => rest)(item)));
  return withStep(state, event.stepId, (step) => ({ ...step, answers: { ...step.answers, [event.fieldId]: value } }));
}

function assertApplicable(state: RunState, stepId: string): void {
  const step = stepState(state, stepId);
  if (step.applicable === false) throw inputError(said('run.notApplicable', { step: stepId }));
}

function transition(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'answer': {
      const field = fieldDef(stepDef(state, event.stepId), event.fieldId);
      if (field.type === 'computed') throw inputError(field.from ? said('run.computedFrom', { field: `${event.stepId}.${event.fieldId}`, from: field.from }) : said('run.computed', { field: `${event.stepId}.${event.fieldId}` }));
      const problem = answerProblem(field, event.value);
      if (problem) throw inputError(said('run.badAnswer', { field: `${event.stepId}.${event.fieldId}`, problem }));
      const value = field.type === 'actions' ? normalActionItems(event.value as ActionItem[]) : event.value;
      return withStep(state, event.stepId, (step) => ({
        ...step,
        answers: { ...step.answers, [event.fieldId]: value },
      }));
    }
    case 'clear': {
      const field = fieldDef(stepDef(state, event.stepId), event.fieldId);
      if (field.type === 'computed') throw inputError(field.from ? said('run.computedFrom', { field: `${event.stepId}.${event.fieldId}`, from: field.from }) : said('run.computed', { field: `${event.stepId}.${event.fieldId}` }));
      if (field.required) throw inputError(said('run.requiredClear', { field: `${event.stepId}.${event.fieldId}` }));
      return withStep(state, event.stepId, (step) => {
        const { [event.fieldId]: _removed, ...answers } = step.answers;
        return { ...step, answers };
      });
    }
    case 'tick': {
      const items = stepDef(state, event.stepId).checklist ?? [];
      if (!Number.isInteger(event.item) || event.item < 0 || event.item >= items.length) {
        throw inputError(said('run.noItem', { step: event.stepId, n: event.item + 1 }));
      }
      return withStep(state, event.stepId, (step) => {
        const others = step.checked.filter((item) => item !== event.item);
        const checked = event.checked ? [...others, event.item].sort((a, b) => a - b) : others;
        return { ...step, checked };
      });
    }
    case 'complete': {
      assertApplicable(state, event.stepId);
      const missing = missingRequired(state, event.stepId);
      if (missing.length > 0) {
        throw inputError(said('run.needsAnswer', { step: event.stepId, fields: missing.map((field) => field.id).join(', ') }));
      }
      return withStep(state, event.stepId, (step) => ({ ...step, status: 'done', skipReason: undefined, doneOn: event.on ?? step.doneOn ?? fallbackDay(state, step) }));
    }
    case 'skip': {
      const reason = event.reason.trim();
      if (reason === '') throw inputError(said('run.skipReason', { step: event.stepId }));
      assertApplicable(state, event.stepId);
      return withStep(state, event.stepId, (step) => ({ ...step, status: 'skipped', skipReason: reason, doneOn: event.on ?? step.doneOn ?? fallbackDay(state, step) }));
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
      const open = state.steps.filter(isPending);
      if (open.length > 0) {
        throw inputError(said('run.cannotFinish', { count: open.length, steps: open.map((step) => step.id).join(', ') }));
      }
      return { ...state, status: 'finished', cursor: state.steps.length };
    }
    case 'action':
      return markAction(state, event);
  }
}

/** The day a step counts as done when the event names none: its due date, else day 0. */
function fallbackDay(state: RunState, step: StepState): string {
  return step.due !== '' ? step.due : state.startDate;
}

/** Rebuilds a run's state from what the store kept (its snapshot and its steps' rows). */
export function restoreRun(
  playbook: Playbook,
  startDate: string,
  status: RunStatus,
  saved: ReadonlyMap<string, Omit<StepState, 'id' | 'phaseId' | 'index' | 'applicable'> & { applicable?: boolean }>,
  context?: RunContext,
): RunState {
  const steps = flattenSteps(playbook).map((flat, index): StepState => {
    const kept = saved.get(flat.def.id);
    if (!kept) return openStep(flat, index, startDate);
    // answers in the order the playbook asks them, whatever order they were kept in
    const order = (flat.def.fields ?? []).map((field) => field.id);
    const answers = Object.fromEntries(order.filter((id) => id in kept.answers).map((id) => [id, kept.answers[id]!]));
    return { id: flat.def.id, phaseId: flat.phase.id, index, applicable: true, ...kept, answers };
  });
  const state: RunState = { playbook, startDate, status, steps, cursor: 0 };
  const needed = neededContext(playbook, context);
  if (needed) state.context = needed;
  // conditions and computed values follow from the answers; kept due dates stay as they are
  const derived = derive(state, state);
  return { ...derived, cursor: firstOpenIndex(derived.steps) };
}

export interface Progress {
  /** Steps that apply to this run (not-applicable ones are not counted anywhere else). */
  total: number;
  done: number;
  skipped: number;
  open: number;
  overdue: number;
  notApplicable: number;
  /** The first open step, if any. */
  next?: StepView;
}

export function progress(state: RunState, today: string): Progress {
  let done = 0;
  let skipped = 0;
  let overdue = 0;
  let notApplicable = 0;
  for (const step of state.steps) {
    if (step.applicable === false) notApplicable += 1;
    else if (step.status === 'done') done += 1;
    else if (step.status === 'skipped') skipped += 1;
    else if (step.due !== '' && step.due < today) overdue += 1;
  }
  const total = state.steps.length - notApplicable;
  return { total, done, skipped, open: total - done - skipped, overdue, notApplicable, next: viewStep(state, firstOpenIndex(state.steps)) };
}

/** What a step's due date waits on, in words of `lang` ('2bd after "The customer gives notice"'), or undefined. */
export function waitingOn(state: RunState, index: number, lang: Lang = 'en'): string | undefined {
  return waitingIn(state.playbook, index, lang);
}

/** waitingOn for the step at `index` of `playbook` (no run state needed: book-level status reads only a run's figures). */
export function waitingIn(playbook: Playbook, index: number, lang: Lang = 'en'): string | undefined {
  const flat = flattenSteps(playbook)[index];
  if (!flat) return undefined;
  const due = dueOf(flat);
  if (due === undefined || typeof due === 'string') return undefined;
  if ('after' in due) return tIn(lang, 'due.waitAfter', { offset: due.in, step: stepOfPlaybook(playbook, due.after).title });
  return tIn(lang, 'due.waitFrom', { offset: due.in, anchor: due.from });
}
