/**
 * The work calendar business-day due dates (Nbd) count with: weekends, plus public holidays. One
 * place decides it for every command, so a due date is the same in the walk, status and preview.
 */
import { WEEKENDS_ONLY } from '../engine/due.js';
import type { WorkCalendar } from '../engine/due.js';

export function workCalendar(_env: NodeJS.ProcessEnv): WorkCalendar {
  return WEEKENDS_ONLY;
}
