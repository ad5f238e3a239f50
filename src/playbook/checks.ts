/**
 * The rules a JSON Schema cannot say: ids unique in their scope, choices exactly where a field
 * offers them, defaults and bounds that fit their field. Written defensively: they run even when
 * the schema found problems, so a file's errors all come out at once.
 */
import { answerProblem } from '../engine/answers.js';
import type { FieldDef } from './types.js';
import type { Problem } from './problems.js';
import type { PathSegment, SourceMap } from './parse.js';
import { describePath } from './parse.js';
import { firstControl } from '../ui/visible.js';
import { flowProblems } from './flow-checks.js';

type Loose = Record<string, unknown>;


function indexed(value: unknown): [Loose, number][] {
  return Array.isArray(value)
    ? value.flatMap((item, index): [Loose, number][] => (item !== null && typeof item === 'object' ? [[item as Loose, index]] : []))
    : [];
}

/** Reports every id that appears a second time in its scope, at the second place. */
class UniqueIds {
  private readonly first = new Map<string, PathSegment[]>();

  constructor(
    private readonly what: string,
    private readonly sources: SourceMap,
    private readonly problems: Problem[],
  ) {}

  add(id: unknown, path: PathSegment[]): void {
    if (typeof id !== 'string') return;
    const earlier = this.first.get(id);
    if (!earlier) {
      this.first.set(id, path);
      return;
    }
    const { line } = this.sources.at([...earlier, 'id']);
    this.problems.push(this.sources.problem([...path, 'id'], `${describePath([...path, 'id'])}: ${this.what} id "${id}" is used twice (first at line ${line})`));
  }
}

/**
 * Every string (titles, guides, prompts, choices, checklist items…) that holds a control
 * character: ESC, BEL, C1, DEL, bidi overrides. cs would print it made visible, never live; the
 * author is told where it is. Tabs and line breaks are text.
 */
function controlProblems(value: unknown, path: PathSegment[], sources: SourceMap, problems: Problem[]): void {
  if (typeof value === 'string') {
    const found = firstControl(value);
    if (!found) return;
    const { line, col } = sources.charAt(path, value[found.index]!);
    problems.push({ file: sources.file, line, col, message: `${describePath(path)}: contains the control character ${found.code}; remove it (terminal escapes, bidi overrides and other control characters are not allowed)` });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => controlProblems(item, [...path, index], sources, problems));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) controlProblems(item, [...path, key], sources, problems);
  }
}

export function semanticProblems(data: Loose, sources: SourceMap): Problem[] {
  const problems: Problem[] = [];
  controlProblems(data, [], sources, problems);
  problems.push(...flowProblems(data, sources));
  const phaseIds = new UniqueIds('phase', sources, problems);
  const stepIds = new UniqueIds('step', sources, problems);
  for (const [phase, p] of indexed(data.phases)) {
    phaseIds.add(phase.id, ['phases', p]);
    for (const [step, s] of indexed(phase.steps)) {
      const stepPath: PathSegment[] = ['phases', p, 'steps', s];
      stepIds.add(step.id, stepPath);
      const fieldIds = new UniqueIds('field', sources, problems);
      for (const [field, f] of indexed(step.fields)) {
        const fieldPath: PathSegment[] = [...stepPath, 'fields', f];
        fieldIds.add(field.id, fieldPath);
        problems.push(...fieldProblems(field, fieldPath, sources));
      }
    }
  }
  return problems;
}

function fieldProblems(field: Loose, path: PathSegment[], sources: SourceMap): Problem[] {
  const problems: Problem[] = [];
  const where = (key: string) => describePath([...path, key]);
  const type = field.type;
  const offersChoices = type === 'select' || type === 'multiselect';
  if (offersChoices && field.choices === undefined) {
    problems.push(sources.problem(path, `${describePath(path)}: a ${type} field needs "choices"; got none`, { key: 'type' }));
  }
  if (!offersChoices && field.choices !== undefined && typeof type === 'string') {
    problems.push(sources.problem(path, `${where('choices')} only applies to select and multiselect fields; this field's type is "${type}"`, { key: 'choices' }));
  }
  if (Array.isArray(field.choices)) {
    const seen = new Set<unknown>();
    field.choices.forEach((choice, index) => {
      const value = choice !== null && typeof choice === 'object' ? (choice as Loose).value : choice;
      if (seen.has(value)) problems.push(sources.problem([...path, 'choices', index], `${describePath([...path, 'choices', index])}: choice "${String(value)}" is listed twice`));
      seen.add(value);
    });
  }
  for (const key of ['min', 'max', 'integer'] as const) {
    if (field[key] !== undefined && type !== 'number' && typeof type === 'string') {
      problems.push(sources.problem(path, `${where(key)} only applies to number fields; this field's type is "${type}"`, { key }));
    }
  }
  if (field.exclusive !== undefined && type !== 'multiselect' && typeof type === 'string') {
    problems.push(sources.problem(path, `${where('exclusive')} only applies to multiselect fields; this field's type is "${type}"`, { key: 'exclusive' }));
  }
  if (Array.isArray(field.exclusive) && Array.isArray(field.choices)) {
    field.exclusive.forEach((choice, index) => {
      const values = (field.choices as unknown[]).map((item) => (item !== null && typeof item === 'object' ? (item as Loose).value : item));
      if (typeof choice === 'string' && !values.includes(choice)) {
        problems.push(sources.problem([...path, 'exclusive', index], `${describePath([...path, 'exclusive', index])}: "${choice}" is not one of the field's choices (${values.join(', ')})`));
      }
    });
  }
  if (typeof field.min === 'number' && typeof field.max === 'number' && field.min > field.max) {
    problems.push(sources.problem(path, `${where('min')} (${field.min}) is greater than max (${field.max})`, { key: 'min' }));
  }
  if (field.default !== undefined && typeof type === 'string' && (!offersChoices || Array.isArray(field.choices))) {
    const problem = answerProblem({ ...(field as unknown as FieldDef), required: false }, field.default);
    if (problem) problems.push(sources.problem([...path, 'default'], `${where('default')} does not fit the field: ${problem}`));
  }
  return problems;
}

