/** Choices as stable values and the labels people see (a plain string is both). */
import type { ChoiceDef, FieldDef } from './types.js';

export function choiceValue(choice: ChoiceDef): string {
  return typeof choice === 'string' ? choice : choice.value;
}

export function choiceValues(field: Pick<FieldDef, 'choices'>): string[] {
  return (field.choices ?? []).map(choiceValue);
}

/** The label of a stored value; the value itself when the field has no such choice (an older answer). */
export function choiceLabel(field: Pick<FieldDef, 'choices'>, value: string): string {
  const found = (field.choices ?? []).find((choice) => choiceValue(choice) === value);
  return found === undefined ? value : typeof found === 'string' ? found : found.label;
}
