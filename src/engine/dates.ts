/**
 * Calendar dates as ISO strings (YYYY-MM-DD). A due date is a day, not an instant, so all arithmetic
 * is done on UTC midnights and never touches the local time zone except to learn what "today" is.
 */
import { inputError } from '../errors.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DUE_OFFSET = /^(\d{1,4})([dwm])$/;

function parts(date: string): [number, number, number] | undefined {
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return [year, month, day];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toIso(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  return parts(value) !== undefined;
}

/** Parses a user-given date or throws an exit-2 error naming what was given. */
export function parseIsoDate(value: string, what = 'date'): string {
  if (!isIsoDate(value)) {
    throw inputError(`${what} must be a real date written YYYY-MM-DD; got "${value}"`);
  }
  return value;
}

/** Today's date where the user is. CS_TODAY pins it (tests, or reviewing "as of" a day). */
export function today(env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): string {
  const pinned = env.CS_TODAY;
  if (pinned && isIsoDate(pinned)) return pinned;
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/**
 * day 0 + an offset of the playbook format: `Nd` days, `Nw` weeks, `Nm` calendar months. A month
 * step that lands past the end of the month stays on its last day (Jan 31 + 1m = Feb 28 or 29).
 */
export function addOffset(date: string, offset: string): string {
  const day0 = parts(date);
  const match = DUE_OFFSET.exec(offset);
  if (!day0 || !match) throw new Error(`addOffset(${date}, ${offset}): invalid arguments`);
  const [year, month, day] = day0;
  const amount = Number(match[1]);
  switch (match[2]) {
    case 'd':
      return toIso(Date.UTC(year, month - 1, day + amount));
    case 'w':
      return toIso(Date.UTC(year, month - 1, day + amount * 7));
    default: {
      const monthIndex = month - 1 + amount;
      const targetYear = year + Math.floor(monthIndex / 12);
      const targetMonth = (monthIndex % 12) + 1;
      return toIso(Date.UTC(targetYear, targetMonth - 1, Math.min(day, daysInMonth(targetYear, targetMonth))));
    }
  }
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  const a = parts(from);
  const b = parts(to);
  if (!a || !b) throw new Error(`daysBetween(${from}, ${to}): invalid dates`);
  return Math.round((Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / 86_400_000);
}
