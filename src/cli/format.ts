/** How dates, answers and commands are written in cs's output. */
import { daysBetween } from '../engine/dates.js';
import type { AnswerValue } from '../playbook/types.js';

/** "due 2026-12-01 (in 5 days)", "(today)", "(3 days overdue)". */
export function describeDue(due: string, now: string): string {
  const days = daysBetween(now, due);
  if (days === 0) return `due ${due} (today)`;
  if (days > 0) return `due ${due} (in ${days} day${days === 1 ? '' : 's'})`;
  return `due ${due} (${-days} day${days === -1 ? '' : 's'} overdue)`;
}

export function formatAnswer(value: AnswerValue | undefined): string {
  if (value === undefined) return '—';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}
