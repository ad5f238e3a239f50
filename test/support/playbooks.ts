/** Playbooks for tests: the fixtures in test/fixtures/playbooks and the bundled ones, loaded for real. */
import { choiceValue } from '../../src/playbook/choices.js';
import { join } from 'node:path';
import { loadPlaybookFile } from '../../src/playbook/catalog.js';
import { formatProblem } from '../../src/playbook/problems.js';
import { flattenSteps } from '../../src/engine/run.js';
import type { AnswerValue, FieldDef, Playbook } from '../../src/playbook/types.js';
import { ROOT } from './cli.js';

export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const BUNDLED = join(ROOT, 'playbooks');

function load(path: string): Playbook {
  const { loaded, problems } = loadPlaybookFile(path);
  if (!loaded) throw new Error(`cannot load ${path}:\n${problems.map(formatProblem).join('\n')}`);
  return loaded.playbook;
}

/** test/fixtures/playbooks/<name>.yaml */
export function fixturePlaybook(name: string): Playbook {
  return load(join(FIXTURES, 'playbooks', `${name}.yaml`));
}

/** playbooks/<id>.yaml, as shipped. */
export function bundledPlaybook(id: string): Playbook {
  return load(join(BUNDLED, `${id}.yaml`));
}

/** A valid answer of the field's type (the first choice, the lowest number…). */
export function sampleAnswer(field: FieldDef): AnswerValue {
  switch (field.type) {
    case 'text':
    case 'longtext':
      return `Trả lời cho ${field.id}`;
    case 'date':
      return '2026-12-01';
    case 'number':
      return field.min ?? 1;
    case 'confirm':
      return true;
    case 'select':
      return choiceValue(field.choices![0]!);
    case 'multiselect':
      return [choiceValue(field.choices![0]!)];
    case 'actions':
      return [{ what: `Việc cho ${field.id}`, who: 'Lan', due: '2026-12-15' }];
    case 'computed':
      return field.cases?.[0]?.value ?? '';
  }
}

/** An answers file's data that answers every required field of every step. */
export function requiredAnswers(playbook: Playbook): Record<string, Record<string, AnswerValue>> {
  return Object.fromEntries(
    flattenSteps(playbook).map(({ def }) => [
      def.id,
      Object.fromEntries((def.fields ?? []).filter((field) => field.required && field.type !== 'computed').map((field) => [field.id, sampleAnswer(field)])),
    ]),
  );
}

/** Deep-freezes a value so any mutation by code under test throws (in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
