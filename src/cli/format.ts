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

/**
 * An argument as a person would type it in a POSIX shell: in double quotes, unless the text holds
 * a character a shell expands inside them; then in single quotes.
 */
export function shellArgument(text: string): string {
  return /^[^"$`\\!]*$/.test(text) ? `"${text}"` : `'${text.replace(/'/g, "'\\''")}'`;
}

export function resumeCommand(accountName: string): string {
  return `cs resume ${shellArgument(accountName)}`;
}
