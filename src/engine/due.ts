/**
 * Due dates of the v2 format: offsets `Nd | Nw | Nm | Nbd` (signed where anchored), from day 0, from
 * the day a step was done or skipped (`{ after, in }`) or from a date answer or an account column
 * (`{ from, in }`). Business days skip weekends and the holidays of the calendar the run is given.
 * Pure: the calendar is data handed in by the CLI.
 */
import type { AnswerValue, DueDef } from '../playbook/types.js';
import { addOffset, isIsoDate } from './dates.js';
import { fieldReference } from './conditions.js';
import type { Reference } from './conditions.js';

/** Which days are not worked: weekends always, and the holidays it names (YYYY-MM-DD). */
export interface WorkCalendar {
  isHoliday(date: string): boolean;
}

/** Weekends only: what business days mean when no holiday list is configured. */
export const WEEKENDS_ONLY: WorkCalendar = { isHoliday: () => false };

export const OFFSET = /^(-?)(\d{1,4})(bd|d|w|m)$/;

export interface Offset {
  amount: number;
  unit: 'd' | 'w' | 'm' | 'bd';
}

export function parseOffset(text: string): Offset | undefined {
  const match = OFFSET.exec(text);
  if (!match) return undefined;
  return { amount: (match[1] === '-' ? -1 : 1) * Number(match[2]), unit: match[3] as Offset['unit'] };
}

function plusDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function isBusinessDay(date: string, calendar: WorkCalendar): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.isHoliday(date);
}

/**
 * `date` moved by `offset`. Business days count only worked days: +1bd from a Friday is the Monday
 * (or the next worked day after a holiday); 0bd is the date itself, or the next worked day.
 */
export function applyOffset(date: string, offset: Offset, calendar: WorkCalendar = WEEKENDS_ONLY): string {
  switch (offset.unit) {
    case 'd':
      return plusDays(date, offset.amount);
    case 'w':
      return plusDays(date, offset.amount * 7);
    case 'm':
      if (offset.amount >= 0) return addOffset(date, `${offset.amount}m`);
      return monthsBack(date, -offset.amount);
    case 'bd': {
      const step = offset.amount < 0 ? -1 : 1;
      let current = date;
      let left = Math.abs(offset.amount);
      if (left === 0) {
        while (!isBusinessDay(current, calendar)) current = plusDays(current, 1);
        return current;
      }
      // a bounded walk: no calendar has a year without a worked day
      for (let guard = 0; left > 0 && guard < 4000; guard += 1) {
        current = plusDays(current, step);
        if (isBusinessDay(current, calendar)) left -= 1;
      }
      return current;
    }
  }
}

function monthsBack(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) - months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const last = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return new Date(Date.UTC(targetYear, targetMonth - 1, Math.min(day, last))).toISOString().slice(0, 10);
}

/** What a due date is counted from. */
export type Anchor = { kind: 'start' } | { kind: 'after'; stepId: string } | { kind: 'from'; reference: Reference };

export function anchorOf(due: DueDef, ownStep: string): Anchor {
  if (typeof due === 'string') return { kind: 'start' };
  if ('after' in due) return { kind: 'after', stepId: due.after };
  const text = due.from;
  const reference: Reference = text.startsWith('account.') ? { kind: 'account', name: text.slice('account.'.length) } : fieldReference(text, ownStep);
  return { kind: 'from', reference };
}

export function offsetOf(due: DueDef): string {
  return typeof due === 'string' ? due : due.in;
}

/** What an anchored date is looked up from: when a step was done, a date answer, an account column. */
export interface AnchorDates {
  doneOn(stepId: string): string | undefined;
  value(reference: Reference): AnswerValue | undefined;
}

/** The due date, or undefined while its anchor has no date yet (the step waits on it). */
export function resolveDue(due: DueDef | undefined, ownStep: string, startDate: string, dates: AnchorDates, calendar?: WorkCalendar): string | undefined {
  if (due === undefined) return startDate;
  const offset = parseOffset(offsetOf(due));
  if (!offset) return startDate;
  const anchor = anchorOf(due, ownStep);
  let base: string | undefined;
  if (anchor.kind === 'start') base = startDate;
  else if (anchor.kind === 'after') base = dates.doneOn(anchor.stepId);
  else {
    const value = dates.value(anchor.reference);
    base = typeof value === 'string' && isIsoDate(value) ? value : undefined;
  }
  return base === undefined ? undefined : applyOffset(base, offset, calendar);
}
