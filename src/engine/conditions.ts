/**
 * `when:` conditions as plain data, with the three things done to them side by side — evaluate
 * against a run's answers, list what they refer to (for validate and for re-evaluation), and say
 * themselves in words — so what is checked, run and shown cannot disagree.
 */
import type { AnswerValue, Condition, ConditionTest } from '../playbook/types.js';
import { isAnswered } from './answers.js';

/** What a condition or an anchor refers to: a field of a step, or a column of the account. */
export type Reference = { kind: 'field'; stepId: string; fieldId: string } | { kind: 'account'; name: string };

/** Looks up the value a test names: the answer (computed ones included) or the account's column. */
export type Lookup = (reference: Reference) => AnswerValue | undefined;

export const TEST_KEYS = ['is', 'is-not', 'in', 'not-in', 'above', 'below', 'answered'] as const;

/** `STEP.FIELD`, or `FIELD` of the step the condition sits in. */
export function fieldReference(text: string, ownStep: string): Reference {
  const dot = text.indexOf('.');
  return dot === -1 ? { kind: 'field', stepId: ownStep, fieldId: text } : { kind: 'field', stepId: text.slice(0, dot), fieldId: text.slice(dot + 1) };
}

export function testReference(test: ConditionTest, ownStep: string): Reference | undefined {
  if (typeof test.field === 'string') return fieldReference(test.field, ownStep);
  if (typeof test.account === 'string') return { kind: 'account', name: test.account };
  return undefined;
}

/** Every reference in a condition, in the order written. */
export function conditionReferences(condition: Condition, ownStep: string): Reference[] {
  if ('all' in condition && Array.isArray(condition.all)) return condition.all.flatMap((part) => conditionReferences(part, ownStep));
  if ('any' in condition && Array.isArray(condition.any)) return condition.any.flatMap((part) => conditionReferences(part, ownStep));
  if ('not' in condition && condition.not) return conditionReferences(condition.not, ownStep);
  const reference = testReference(condition as ConditionTest, ownStep);
  return reference ? [reference] : [];
}

function same(value: AnswerValue | undefined, expected: string | number | boolean): boolean {
  if (Array.isArray(value)) return (value as unknown[]).includes(expected);
  if (typeof value === 'number' && typeof expected === 'string') return String(value) === expected;
  return value === expected;
}

function numberOf(value: AnswerValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/**
 * True when the condition holds. A test on a field with no answer is false (except `answered:
 * false` and `is-not`/`not-in`, which hold for nothing given), so a step waiting on an unanswered
 * question is not asked before it.
 */
export function evaluate(condition: Condition, lookup: Lookup, ownStep: string): boolean {
  if ('all' in condition && Array.isArray(condition.all)) return condition.all.every((part) => evaluate(part, lookup, ownStep));
  if ('any' in condition && Array.isArray(condition.any)) return condition.any.some((part) => evaluate(part, lookup, ownStep));
  if ('not' in condition && condition.not) return !evaluate(condition.not, lookup, ownStep);
  const test = condition as ConditionTest;
  const reference = testReference(test, ownStep);
  const value = reference ? lookup(reference) : undefined;
  const given = isAnswered(value);
  if (test.answered !== undefined && given !== test.answered) return false;
  if (test.is !== undefined && !(given && same(value, test.is))) return false;
  if (test['is-not'] !== undefined && given && same(value, test['is-not'])) return false;
  if (test.in !== undefined && !(given && test.in.some((item) => same(value, item)))) return false;
  if (test['not-in'] !== undefined && given && test['not-in'].some((item) => same(value, item))) return false;
  const number = numberOf(value);
  if (test.above !== undefined && !(number !== undefined && number > test.above)) return false;
  if (test.below !== undefined && !(number !== undefined && number < test.below)) return false;
  return true;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** The condition in words: `response.remote-fix is "failed"`, `all of (…, …)`. */
export function describeCondition(condition: Condition, ownStep: string): string {
  if ('all' in condition && Array.isArray(condition.all)) return `all of (${condition.all.map((part) => describeCondition(part, ownStep)).join('; ')})`;
  if ('any' in condition && Array.isArray(condition.any)) return `any of (${condition.any.map((part) => describeCondition(part, ownStep)).join('; ')})`;
  if ('not' in condition && condition.not) return `not (${describeCondition(condition.not, ownStep)})`;
  const test = condition as ConditionTest;
  const reference = testReference(test, ownStep);
  const subject = !reference ? '?' : reference.kind === 'account' ? `account.${reference.name}` : `${reference.stepId}.${reference.fieldId}`;
  const parts: string[] = [];
  if (test.answered !== undefined) parts.push(test.answered ? 'is answered' : 'is not answered');
  if (test.is !== undefined) parts.push(`is ${show(test.is)}`);
  if (test['is-not'] !== undefined) parts.push(`is not ${show(test['is-not'])}`);
  if (test.in !== undefined) parts.push(`is one of ${test.in.map(show).join(', ')}`);
  if (test['not-in'] !== undefined) parts.push(`is none of ${test['not-in'].map(show).join(', ')}`);
  if (test.above !== undefined) parts.push(`is above ${test.above}`);
  if (test.below !== undefined) parts.push(`is below ${test.below}`);
  return `${subject} ${parts.join(' and ') || 'holds'}`;
}
