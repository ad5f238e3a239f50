/** What makes an answer valid for a field: one rule set for prompts, answers files and the engine. */
import { choiceValues } from '../playbook/choices.js';
import type { ActionItem, AnswerValue, FieldDef } from '../playbook/types.js';
import { isIsoDate, readDate } from './dates.js';

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
      const choices = choiceValues(field);
      if (typeof value !== 'string' || !choices.includes(value)) {
        return `expected one of ${choices.join(', ')}; got ${describe(value)}`;
      }
      return undefined;
    }
    case 'multiselect': {
      const choices = choiceValues(field);
      if (!Array.isArray(value)) return `expected a list of ${choices.join(', ')}; got ${describe(value)}`;
      const unknown = value.filter((item) => typeof item !== 'string' || !choices.includes(item));
      if (unknown.length > 0) return `expected only ${choices.join(', ')}; got ${unknown.map(describe).join(', ')}`;
      if (field.required && value.length === 0) return 'choose at least one';
      return exclusiveConflict(field.exclusive, value as string[]);
    }
    case 'computed':
      return typeof value === 'string' ? undefined : `expected a computed value; got ${describe(value)}`;
    case 'actions':
      return actionItemsProblem(value, field.required);
  }
}

/** Why a list of action items is not one: each item needs `what`; `who` is a name; `due` a date. */
export function actionItemsProblem(value: unknown, required = false): string | undefined {
  if (!Array.isArray(value)) return `expected a list of action items (what, who, due); got ${describe(value)}`;
  if (required && value.length === 0) return 'at least one action item is required';
  for (const [index, item] of value.entries()) {
    const where = `item ${index + 1}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return `${where}: expected what, who, due and done; got ${describe(item)}`;
    const { what, who, due, done, ...rest } = item as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) return `${where}: unknown key "${unknown[0]}"; an action item has what, who, due and done`;
    if (typeof what !== 'string' || what.trim() === '') return `${where}: "what" is required (what is to be done)`;
    if (who !== undefined && typeof who !== 'string') return `${where}: "who" must be a name; got ${describe(who)}`;
    if (due !== undefined && (typeof due !== 'string' || !isIsoDate(due))) return `${where}: "due" must be a real date written YYYY-MM-DD; got ${describe(due)}`;
    if (done !== undefined && typeof done !== 'boolean') return `${where}: "done" must be true or false; got ${describe(done)}`;
  }
  return undefined;
}

/** Action items as kept: who and due only when given, done only when true. */
export function normalActionItems(items: readonly ActionItem[]): ActionItem[] {
  return items.map((item) => ({
    what: item.what.trim(),
    ...(item.who !== undefined && item.who.trim() !== '' ? { who: item.who.trim() } : {}),
    ...(item.due ? { due: item.due } : {}),
    ...(item.done ? { done: true } : {}),
  }));
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
  if (field.type === 'actions' && Array.isArray(value)) {
    return value.map((item) => {
      if (item === null || typeof item !== 'object') return typeof item === 'string' ? { what: item } : item;
      const copy = { ...(item as Record<string, unknown>) };
      if (copy.due instanceof Date) copy.due = copy.due.toISOString().slice(0, 10);
      return copy;
    });
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return `a list`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
