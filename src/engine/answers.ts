/** What makes an answer valid for a field: one rule set for prompts, answers files and the engine. */
import { choiceValues } from '../playbook/choices.js';
import type { ActionItem, AnswerValue, FieldDef } from '../playbook/types.js';
import { isIsoDate, readDate } from './dates.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

/** Returns why `value` is not a valid answer to `field`, or undefined when it is. */
export function answerProblem(field: FieldDef, value: unknown): string | Said | undefined {
  switch (field.type) {
    case 'text':
    case 'longtext':
      if (typeof value !== 'string') return said('answer.text', { got: describe(value) });
      if (field.required && value.trim() === '') return said('answer.required');
      return undefined;
    case 'date':
      if (typeof value !== 'string') return said('answer.date', { got: describe(value) });
      if (value === '' && !field.required) return undefined;
      if (value === '') return said('answer.required');
      // only a date as stored (YYYY-MM-DD) here: words such as "tomorrow" are read by coerceAnswer
      return readDate(value).problem;
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return said('answer.number', { got: describe(value) });
      if (field.integer && !Number.isInteger(value)) return notWhole(value);
      if (field.min !== undefined && value < field.min) return said('input.atLeast', { min: field.min, value });
      if (field.max !== undefined && value > field.max) return said('input.atMost', { max: field.max, value });
      return undefined;
    }
    case 'confirm':
      return typeof value === 'boolean' ? undefined : said('answer.boolean', { got: describe(value) });
    case 'select': {
      const choices = choiceValues(field);
      if (typeof value !== 'string' || !choices.includes(value)) {
        return said('answer.oneOf', { choices: choices.join(', '), got: describe(value) });
      }
      return undefined;
    }
    case 'multiselect': {
      const choices = choiceValues(field);
      if (!Array.isArray(value)) return said('answer.listOf', { choices: choices.join(', '), got: describe(value) });
      const unknown = value.filter((item) => typeof item !== 'string' || !choices.includes(item));
      if (unknown.length > 0) return said('answer.only', { choices: choices.join(', '), got: unknown.map((each) => JSON.stringify(each)).join(', ') });
      if (field.required && value.length === 0) return said('answer.chooseOne');
      return exclusiveConflict(field.exclusive, value as string[]);
    }
    case 'computed':
      return typeof value === 'string' ? undefined : said('answer.computed', { got: describe(value) });
    case 'actions':
      return actionItemsProblem(value, field.required);
  }
}

/** Why a list of action items is not one: each item needs `what`; `who` is a name; `due` a date. */
export function actionItemsProblem(value: unknown, required = false): Said | undefined {
  if (!Array.isArray(value)) return said('answer.actions', { got: describe(value) });
  if (required && value.length === 0) return said('answer.oneAction');
  for (const [index, item] of value.entries()) {
    const where = index + 1;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return said('answer.item', { n: where, got: describe(item) });
    const { what, who, due, done, ...rest } = item as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) return said('answer.itemKey', { n: where, key: unknown[0]! });
    if (typeof what !== 'string' || what.trim() === '') return said('answer.itemWhat', { n: where });
    if (who !== undefined && typeof who !== 'string') return said('answer.itemWho', { n: where, got: describe(who) });
    if (due !== undefined && (typeof due !== 'string' || !isIsoDate(due))) return said('answer.itemDue', { n: where, got: describe(due) });
    if (done !== undefined && typeof done !== 'boolean') return said('answer.itemDone', { n: where, got: describe(done) });
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
export function notWhole(value: number): Said {
  return said('input.whole', { value });
}

/** Why a choice meant to stand alone ("nothing") was chosen with others, or undefined. */
export function exclusiveConflict(exclusive: readonly string[] | undefined, chosen: readonly string[]): Said | undefined {
  if (chosen.length < 2) return undefined;
  const alone = chosen.find((choice) => exclusive?.includes(choice));
  if (alone === undefined) return undefined;
  const others = chosen.filter((choice) => choice !== alone);
  return said('answer.alone', { alone, others: others.map((choice) => `"${choice}"`).join(', ') });
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

function describe(value: unknown): string | Said {
  if (value === null || value === undefined) return said('answer.nothing');
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return said('pb.aList');
  return `${typeof value} ${JSON.stringify(value)}`;
}
