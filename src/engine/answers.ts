/** What makes an answer valid for a field: one rule set for prompts, answers files and the engine. */
import type { AnswerValue, FieldDef } from '../playbook/types.js';
import { readDate } from './dates.js';

/** Returns why `value` is not a valid answer to `field`, or undefined when it is. */
export function answerProblem(field: FieldDef, value: unknown): string | undefined {
  switch (field.type) {
    case 'text':
    case 'longtext':
      if (typeof value !== 'string') return `expected text; got ${describe(value)}`;
      if (field.required && value.trim() === '') return 'an answer is required';
      return undefined;
    case 'date':
      if (typeof value !== 'string') return `expected a date YYYY-MM-DD; got ${describe(value)}`;
      if (value === '' && !field.required) return undefined;
      if (value === '') return 'an answer is required';
      // only a date as stored (YYYY-MM-DD) here: words such as "tomorrow" are read by coerceAnswer
      return readDate(value).problem;
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `expected a number; got ${describe(value)}`;
      if (field.integer && !Number.isInteger(value)) return notWhole(value);
      if (field.min !== undefined && value < field.min) return `must be at least ${field.min}; got ${value}`;
      if (field.max !== undefined && value > field.max) return `must be at most ${field.max}; got ${value}`;
      return undefined;
    }
    case 'confirm':
      return typeof value === 'boolean' ? undefined : `expected true or false; got ${describe(value)}`;
    case 'select': {
      const choices = field.choices ?? [];
      if (typeof value !== 'string' || !choices.includes(value)) {
        return `expected one of ${choices.join(', ')}; got ${describe(value)}`;
      }
      return undefined;
    }
    case 'multiselect': {
      const choices = field.choices ?? [];
      if (!Array.isArray(value)) return `expected a list of ${choices.join(', ')}; got ${describe(value)}`;
      const unknown = value.filter((item) => typeof item !== 'string' || !choices.includes(item));
      if (unknown.length > 0) return `expected only ${choices.join(', ')}; got ${unknown.map(describe).join(', ')}`;
      if (field.required && value.length === 0) return 'choose at least one';
      return exclusiveConflict(field.exclusive, value);
    }
  }
}

/** Why a number is refused where a field counts things: the one wording for prompts, files and checks. */
export function notWhole(value: number): string {
  return `expected a whole number; got ${value}`;
}

/** Why a choice meant to stand alone ("nothing") was chosen with others, or undefined. */
export function exclusiveConflict(exclusive: readonly string[] | undefined, chosen: readonly string[]): string | undefined {
  if (chosen.length < 2) return undefined;
  const alone = chosen.find((choice) => exclusive?.includes(choice));
  if (alone === undefined) return undefined;
  const others = chosen.filter((choice) => choice !== alone);
  return `"${alone}" cannot be combined with other choices; got it with ${others.map((choice) => `"${choice}"`).join(', ')}`;
}

/** True when the field holds something a person gave (an empty text or list counts as nothing). */
export function isAnswered(value: AnswerValue | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * Loosens an answer typed in a file into the field's type where the meaning is unambiguous
 * (YAML reads `2026-01-05` as a string already; `"7"` for a number is a typo we accept). A date
 * is read as a prompt reads it (`tomorrow`, `+2w` from `today`), and stored as YYYY-MM-DD.
 */
export function coerceAnswer(field: FieldDef, value: unknown, today?: string): unknown {
  if (field.type === 'date' && typeof value === 'string' && value.trim() !== '') return readDate(value, today).date ?? value;
  if (field.type === 'number' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  if (field.type === 'multiselect' && typeof value === 'string') return [value];
  if ((field.type === 'text' || field.type === 'longtext') && typeof value === 'number') return String(value);
  if (field.type === 'date' && value instanceof Date) return value.toISOString().slice(0, 10);
  return value;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return `a list`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
