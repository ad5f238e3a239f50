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
    if (!isCalendarDay(item.due)) {
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
