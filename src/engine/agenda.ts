/** The agenda's order: soonest day first; within a day, accounts as a Vietnamese reader sorts them. */
import { daysBetween, isCalendarDay } from './dates.js';
import { compareNames } from './names.js';

export interface AgendaItem {
  due: string;
  account: string;
  playbookId: string;
  runId: number;
  position: number;
}

export interface AgendaDay<T> {
  due: string;
  /** Days past due as of `today` (0 when due today or later). */
  daysOverdue: number;
  items: T[];
}

function byAccount(a: AgendaItem, b: AgendaItem): number {
  return compareNames(a.account, b.account) || (a.playbookId < b.playbookId ? -1 : a.playbookId > b.playbookId ? 1 : 0) || a.runId - b.runId || a.position - b.position;
}

/**
 * Groups items already ordered by due date into days, each day's items in name order. A day is
 * complete when the next one starts, so items can stream in from the store. An item whose due
 * date is no date (an older cs stored `+010000-01-02` from --start 9999-12-31) is handed to
 * `unreadable` and left out, so one such run does not take the whole agenda down.
 */
export function* agendaDays<T extends AgendaItem>(items: Iterable<T>, today: string, unreadable: (item: T) => void = () => {}): Generator<AgendaDay<T>> {
  let day: T[] = [];
  const finish = (): AgendaDay<T> => {
    const due = day[0]!.due;
    return { due, daysOverdue: Math.max(0, daysBetween(due, today)), items: day.sort(byAccount) };
  };
  for (const item of items) {
    // the day being gathered was checked with its first item
    if ((day.length === 0 || item.due !== day[0]!.due) && !isCalendarDay(item.due)) {
      unreadable(item);
      continue;
    }
    if (day.length > 0 && item.due !== day[0]!.due) {
      yield finish();
      day = [];
    }
    day.push(item);
  }
  if (day.length > 0) yield finish();
}

/** One line of the agenda's summary: an account's steps overdue (all days), or due on one day. */
export interface AccountLine {
  account: string;
  steps: number;
  /** The first step's title (in agenda order). */
  first: string;
  /** Days the oldest of them is overdue (0 for steps not overdue). */
  oldestDaysOverdue: number;
}

/** The agenda when it is longer than a screen: a line per account for what is overdue, then per day. */
export interface AgendaSummary {
  overdue: AccountLine[];
  days: { due: string; accounts: AccountLine[] }[];
  /** Everything counted (steps and action items), and of it the action items. */
  steps: number;
  actionItems: number;
  overdueSteps: number;
}

/**
 * Sums up the agenda's days: overdue steps per account (oldest first, as the agenda runs), the
 * steps due on each later day per account. Takes the days as they stream in.
 */
export function summariseAgenda<T extends AgendaItem & { step: string }>(days: Iterable<AgendaDay<T>>, isActionItem: (item: T) => boolean = () => false): AgendaSummary {
  const overdue = new Map<string, AccountLine>();
  const later: AgendaSummary['days'] = [];
  let steps = 0;
  let overdueSteps = 0;
  let actionItems = 0;
  for (const day of days) {
    steps += day.items.length;
    actionItems += day.items.filter(isActionItem).length;
    if (day.daysOverdue > 0) overdueSteps += day.items.length;
    const lines = day.daysOverdue > 0 ? overdue : new Map<string, AccountLine>();
    for (const item of day.items) {
      const line = lines.get(item.account);
      if (line) line.steps += 1;
      else lines.set(item.account, { account: item.account, steps: 1, first: item.step, oldestDaysOverdue: day.daysOverdue });
    }
    if (day.daysOverdue === 0) later.push({ due: day.due, accounts: [...lines.values()] });
  }
  return { overdue: [...overdue.values()], days: later, steps, actionItems, overdueSteps };
}
