/**
 * Moving a run's open due dates (`cs shift`): the offset a user types, the arithmetic on days,
 * weeks and business days, and which steps move. Pure: the store applies a plan in one transaction.
 */
import { inputError } from '../errors.js';
import { said } from '../i18n/messages.js';
import { addOffset } from './dates.js';
import { isBusinessDay } from './due.js';
import type { WorkCalendar } from './due.js';
import type { RunState } from './run.js';
import { flattenSteps, isPending } from './run.js';

export type ShiftUnit = 'd' | 'w' | 'bd';

export interface ShiftOffset {
  /** Signed: -2 moves dates two units earlier. */
  amount: number;
  unit: ShiftUnit;
  /** As the user wrote it, normalised: "+5bd", "-2d". */
  text: string;
}

const OFFSET = /^([+-]?)(\d{1,4})(bd|d|w)$/;

/** `+5d`, `-2d`, `+1w`, `+5bd` (business days); a bare `5d` means later. */
export function parseShiftOffset(value: string): ShiftOffset {
  const match = OFFSET.exec(value.trim().toLowerCase());
  if (!match || Number(match[2]) === 0) {
    throw inputError(said('shift.badOffset', { value: JSON.stringify(value) }));
  }
  const amount = (match[1] === '-' ? -1 : 1) * Number(match[2]);
  const unit = match[3] as ShiftUnit;
  return { amount, unit, text: `${amount > 0 ? '+' : '-'}${Math.abs(amount)}${unit}` };
}

// one calendar for business days, the due dates' and the shift's
export { isBusinessDay } from './due.js';
export type { WorkCalendar } from './due.js';

function addDays(date: string, days: number): string {
  return days >= 0 ? addOffset(date, `${days}d`) : new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The date `offset` away. Business days count only days that are worked: +1bd from a Friday is the
 * Monday (or the next worked day after a holiday), and from a Saturday too.
 */
export function shiftDate(date: string, offset: ShiftOffset, calendar?: WorkCalendar): string {
  if (offset.unit === 'd') return addDays(date, offset.amount);
  if (offset.unit === 'w') return addDays(date, offset.amount * 7);
  if (!calendar) throw new Error('shiftDate: business days need a work calendar');
  const step = offset.amount > 0 ? 1 : -1;
  let current = date;
  for (let left = Math.abs(offset.amount); left > 0; ) {
    current = addDays(current, step);
    if (isBusinessDay(current, calendar)) left -= 1;
  }
  return current;
}

export interface DueMove {
  stepId: string;
  title: string;
  from: string;
  to: string;
}

/**
 * Every open step of the run that applies and has a due date (from `fromStepId` on, in the playbook's order, when given) with its
 * due date before and after the shift.
 */
export function planShift(state: RunState, offset: ShiftOffset, fromStepId: string | undefined, calendar?: WorkCalendar): DueMove[] {
  const flat = flattenSteps(state.playbook);
  let first = 0;
  if (fromStepId !== undefined) {
    first = state.steps.findIndex((step) => step.id === fromStepId);
    if (first === -1) {
      throw inputError(said('shift.noFromStep', { playbook: state.playbook.id, step: fromStepId }), {
        hint: said('shift.itsSteps', { steps: state.steps.map((step) => step.id).join(', ') }),
      });
    }
  }
  return state.steps
    // a step that does not apply has nothing to move, and one waiting on its anchor ('') gets its date
    // from the anchor once that is done or answered: it follows whatever the anchor's date becomes
    .filter((step) => step.index >= first && isPending(step) && step.due !== '')
    .map((step) => ({ stepId: step.id, title: flat[step.index]?.def.title ?? step.id, from: step.due, to: shiftDate(step.due, offset, calendar) }));
}

