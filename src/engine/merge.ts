/**
 * One event applied to the run as it is stored now, not to the walk's copy of it: two walks of the
 * same run (two terminals, two people on one team database) each commit only their own change, so
 * nothing the other committed vanishes. A change is refused as a conflict only when the very thing
 * it changes (this field's answer, this checklist item, the step's status, its note) was changed by
 * someone else since this walk read the step. Pure: every store backend runs it inside its write
 * transaction, on the rows it has just read.
 */
import { runtimeError } from '../errors.js';
import type { AnswerValue } from '../playbook/types.js';
import { apply } from './run.js';
import type { RunEvent, RunState, StepState } from './run.js';

/** The one part of a step an event changes. */
export type ChangeTarget =
  | { kind: 'answer'; fieldId: string }
  | { kind: 'tick'; item: number }
  | { kind: 'status' }
  | { kind: 'note' };

/** What a step's target holds: an answer, whether an item is ticked, a status (with its reason), a note. */
export type TargetValue = AnswerValue | boolean | { status: StepState['status']; skipReason?: string } | undefined;

export interface Conflict {
  stepId: string;
  target: ChangeTarget;
  /** As this walk last read it. */
  seen: TargetValue;
  /** As it is stored now (someone else changed it since). */
  stored: TargetValue;
  /** As this event would make it. */
  mine: TargetValue;
}

export interface MergeOutcome {
  /** The stored state with the event applied; the stored state itself when the event conflicted. */
  next: RunState;
  conflict?: Conflict;
}

export function targetOf(event: RunEvent): ChangeTarget | undefined {
  switch (event.type) {
    case 'answer':
    case 'clear':
      return { kind: 'answer', fieldId: event.fieldId };
    case 'tick':
      return { kind: 'tick', item: event.item };
    case 'complete':
    case 'skip':
      return { kind: 'status' };
    case 'note':
      return { kind: 'note' };
    default:
      return undefined;
  }
}

export function valueAt(step: StepState, target: ChangeTarget): TargetValue {
  switch (target.kind) {
    case 'answer':
      return step.answers[target.fieldId];
    case 'tick':
      return step.checked.includes(target.item);
    case 'status':
      return step.status === 'skipped' ? { status: step.status, skipReason: step.skipReason } : { status: step.status };
    case 'note':
      return step.note;
  }
}

export function sameValue(a: TargetValue, b: TargetValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function stepOf(state: RunState, stepId: string): StepState | undefined {
  return state.steps.find((step) => step.id === stepId);
}

/**
 * Applies `event` to `stored`. `seen` is the step as the walk last read it; when omitted (or when
 * the step is unchanged since) the event is applied without question. Engine errors (an answer out
 * of range, a step that still needs answers) are thrown as `apply` throws them.
 */
export function applyToStored(stored: RunState, event: RunEvent, seen?: StepState): MergeOutcome {
  if (event.type === 'back') return { next: stored }; // the cursor is the walk's own, never stored
  if (stored.status === 'finished' && event.type !== 'action') {
    if (event.type === 'finish') return { next: stored }; // another walk finished it first: same result
    throw runtimeError('this run was finished meanwhile (by another walk of it)');
  }
  const next = apply(stored, event);
  const target = targetOf(event);
  if (!seen || !target || !('stepId' in event)) return { next };
  const before = stepOf(stored, event.stepId)!;
  const conflict: Conflict = {
    stepId: event.stepId,
    target,
    seen: valueAt(seen, target),
    stored: valueAt(before, target),
    mine: valueAt(stepOf(next, event.stepId)!, target),
  };
  // changed by someone else since it was read, and this event would change it again to something else
  if (!sameValue(conflict.seen, conflict.stored) && !sameValue(conflict.stored, conflict.mine)) return { next: stored, conflict };
  return { next };
}
