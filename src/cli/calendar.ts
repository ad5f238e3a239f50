/**
 * The work calendar business-day offsets (Nbd) count with, for every command: due dates in the walk,
 * status and preview, and `cs shift`. Weekends, Vietnam's public holidays (the generated table) and
 * the user's own days off from the file CS_HOLIDAYS names.
 */
import { readFileSync, statSync } from 'node:fs';
import { isIsoDate } from '../engine/dates.js';
import type { WorkCalendar } from '../engine/due.js';
import { vietnamWorkCalendar } from '../engine/work-calendar.js';
import { inputError } from '../errors.js';

const MAX_HOLIDAY_FILE_BYTES = 1024 * 1024;

/**
 * The user's own days off, from the file CS_HOLIDAYS names: one YYYY-MM-DD a line, anything after
 * it on the line (a name) and lines starting with # ignored.
 */
export function userHolidays(env: NodeJS.ProcessEnv): string[] {
  const file = env.CS_HOLIDAYS;
  if (file === undefined || file === '') return [];
  let text: string;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw inputError(`CS_HOLIDAYS: ${file} is not a file`);
    if (stats.size > MAX_HOLIDAY_FILE_BYTES) throw inputError(`CS_HOLIDAYS: ${file} is larger than 1 MiB; a list of days off is far smaller`);
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    if ((error as { exitCode?: number }).exitCode !== undefined) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError(`CS_HOLIDAYS: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const days: string[] = [];
  text.split(/\r\n?|\n/).forEach((line, index) => {
    const first = line.trim().split(/\s+/)[0] ?? '';
    if (first === '' || first.startsWith('#')) return;
    if (!isIsoDate(first)) throw inputError(`${file}:${index + 1}: a day off must be a date written YYYY-MM-DD; got ${JSON.stringify(first)}`);
    days.push(first);
  });
  return days;
}

/** The calendar; CS_HOLIDAYS is read the first time a business day is counted, not by every command. */
export function workCalendar(env: NodeJS.ProcessEnv): WorkCalendar {
  let calendar: WorkCalendar | undefined;
  return { isHoliday: (date) => (calendar ??= vietnamWorkCalendar(userHolidays(env))).isHoliday(date) };
}
