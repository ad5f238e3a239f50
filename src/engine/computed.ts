/** `type: computed`: a value derived from another answer by the first case that holds. */
import type { AnswerValue, ComputedCase, FieldDef } from '../playbook/types.js';
import { isAnswered } from './answers.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

function holds(item: ComputedCase, value: AnswerValue): boolean {
  const number = typeof value === 'number' ? value : undefined;
  if (item.below !== undefined && !(number !== undefined && number < item.below)) return false;
  if (item.above !== undefined && !(number !== undefined && number > item.above)) return false;
  if (item.is !== undefined && !(Array.isArray(value) ? (value as unknown[]).includes(item.is) : value === item.is)) return false;
  return true;
}

/** The derived value, or undefined while the field it comes from has no answer (or no case holds). */
export function computeValue(field: FieldDef, source: AnswerValue | undefined): string | undefined {
  if (!isAnswered(source)) return undefined;
  return (field.cases ?? []).find((item) => holds(item, source!))?.value;
}

/**
 * Why a case can never be the one chosen, or undefined: it comes after a case that always holds, or
 * its bound is already covered by an earlier one (`below: 5` after `below: 7`), or outside the
 * source's range.
 */
export function unreachableCase(cases: readonly ComputedCase[], index: number, range: { min?: number; max?: number } = {}): Said | undefined {
  const item = cases[index]!;
  for (let earlier = 0; earlier < index; earlier += 1) {
    const before = cases[earlier]!;
    const catchAll = before.below === undefined && before.above === undefined && before.is === undefined;
    if (catchAll) return said('cases.catchAll', { case: earlier + 1 });
    const onlyBelow = before.above === undefined && before.is === undefined;
    if (onlyBelow && item.below !== undefined && item.above === undefined && item.is === undefined && before.below !== undefined && item.below <= before.below) {
      return said('cases.belowCovered', { value: item.below, earlier: before.below, case: earlier + 1 });
    }
    const onlyAbove = before.below === undefined && before.is === undefined;
    if (onlyAbove && item.above !== undefined && item.below === undefined && item.is === undefined && before.above !== undefined && item.above >= before.above) {
      return said('cases.aboveCovered', { value: item.above, earlier: before.above, case: earlier + 1 });
    }
    if (before.is !== undefined && before.below === undefined && before.above === undefined && item.is === before.is && item.below === undefined && item.above === undefined) {
      return said('cases.isCovered', { case: earlier + 1, value: JSON.stringify(item.is) });
    }
  }
  if (item.below !== undefined && item.above !== undefined && item.below <= item.above + 0) {
    if (item.below <= item.above) return said('cases.empty', { below: item.below, above: item.above });
  }
  if (item.below !== undefined && range.min !== undefined && item.below <= range.min) return said('cases.belowMin', { min: range.min, below: item.below });
  if (item.above !== undefined && range.max !== undefined && item.above >= range.max) return said('cases.aboveMax', { max: range.max, above: item.above });
  return undefined;
}
