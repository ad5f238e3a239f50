/** The days not worked in Vietnam: weekends and public holidays (the generated table), plus the user's own. */
import { VN_HOLIDAYS } from './holidays-vn.js';
import type { WorkCalendar } from './due.js';

export function vietnamWorkCalendar(extra: readonly string[] = []): WorkCalendar {
  const days = new Set([...VN_HOLIDAYS, ...extra]);
  return { isHoliday: (date) => days.has(date) };
}
