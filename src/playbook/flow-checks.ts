/**
 * The v2 keys' checks, at line:col: what a condition, an anchor or a computed field refers to must
 * exist and come before it; `after:` anchors must not go round in a circle; every case of a
 * computed field must be reachable. Written over the loose parsed data, like checks.ts, so they run
 * even when the schema found other problems.
 */
import { unreachableCase } from '../engine/computed.js';
import { TEST_KEYS, fieldReference } from '../engine/conditions.js';
import type { Problem } from './problems.js';
import type { PathSegment, SourceMap } from './parse.js';
import { describePath } from './parse.js';

type Loose = Record<string, unknown>;

interface FieldInfo {
  id: string;
  type: unknown;
  index: number;
  choices: string[] | undefined;
  min?: number;
  max?: number;
}

interface StepInfo {
  id: string;
  index: number;
  path: PathSegment[];
  data: Loose;
  phase: Loose;
  phasePath: PathSegment[];
  fields: Map<string, FieldInfo>;
}

function objects(value: unknown): [Loose, number][] {
  return Array.isArray(value)
    ? value.flatMap((item, index): [Loose, number][] => (item !== null && typeof item === 'object' && !Array.isArray(item) ? [[item as Loose, index]] : []))
    : [];
}

function choiceValues(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((choice) => (choice !== null && typeof choice === 'object' ? String((choice as Loose).value) : String(choice)));
}

function collectSteps(data: Loose): StepInfo[] {
  const steps: StepInfo[] = [];
  for (const [phase, p] of objects(data.phases)) {
    for (const [step, s] of objects(phase.steps)) {
      if (typeof step.id !== 'string') continue;
      const fields = new Map<string, FieldInfo>();
      for (const [field, f] of objects(step.fields)) {
        if (typeof field.id !== 'string' || fields.has(field.id)) continue;
        fields.set(field.id, {
          id: field.id,
          type: field.type,
          index: f,
          choices: choiceValues(field.choices),
          ...(typeof field.min === 'number' ? { min: field.min } : {}),
          ...(typeof field.max === 'number' ? { max: field.max } : {}),
        });
      }
      steps.push({ id: step.id, index: steps.length, path: ['phases', p, 'steps', s], data: step, phase, phasePath: ['phases', p], fields });
    }
  }
  return steps;
}

class Checker {
  readonly problems: Problem[] = [];
  private readonly byId = new Map<string, StepInfo>();

  constructor(
    private readonly steps: StepInfo[],
    private readonly sources: SourceMap,
  ) {
    for (const step of steps) if (!this.byId.has(step.id)) this.byId.set(step.id, step);
  }

  private report(path: PathSegment[], message: string): void {
    this.problems.push(this.sources.problem(path, `${describePath(path)}: ${message}`));
  }

  /**
   * A field named from `step` (before field `beforeField` of it, when given): unknown step or field,
   * or one that is not asked before it, is a problem. Returns the field when it is fine.
   */
  private earlierField(text: string, step: StepInfo, beforeField: number | undefined, path: PathSegment[], what: string): FieldInfo | undefined {
    const reference = fieldReference(text, step.id);
    if (reference.kind !== 'field') return undefined;
    const target = this.byId.get(reference.stepId);
    if (!target) {
      this.report(path, `${what} names step "${reference.stepId}", which is not in this playbook (steps: ${[...this.byId.keys()].join(', ')})`);
      return undefined;
    }
    const field = target.fields.get(reference.fieldId);
    if (!field) {
      this.report(path, `${what} names field "${reference.fieldId}" of step ${target.id}, which has no such field (its fields: ${[...target.fields.keys()].join(', ') || 'none'})`);
      return undefined;
    }
    const sameStep = target.id === step.id;
    if (target.index > step.index || (sameStep && (beforeField === undefined || field.index >= beforeField))) {
      const where = sameStep ? (beforeField === undefined ? 'the step itself' : 'a later field of the same step') : `a later step (${target.id})`;
      this.report(path, `${what} refers to ${where}; it may refer only to answers given before it`);
      return undefined;
    }
    return field;
  }

  condition(value: unknown, step: StepInfo, beforeField: number | undefined, path: PathSegment[]): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const condition = value as Loose;
    for (const key of ['all', 'any'] as const) {
      for (const [part, index] of objects(condition[key])) this.condition(part, step, beforeField, [...path, key, index]);
    }
    if (condition.not !== undefined) this.condition(condition.not, step, beforeField, [...path, 'not']);
    const combined = ['all', 'any', 'not'].filter((key) => key in condition);
    const tests = TEST_KEYS.filter((key) => key in condition);
    const subject = ['field', 'account'].filter((key) => key in condition);
    if (combined.length > 0 && (tests.length > 0 || subject.length > 0 || combined.length > 1)) {
      this.report(path, `a condition is either all, any, not, or one test (field/account with is, is-not, in, not-in, above, below, answered); got ${Object.keys(condition).join(', ')}`);
      return;
    }
    if (combined.length > 0) return;
    if (subject.length !== 1) {
      this.report(path, subject.length === 0 ? 'a test needs "field: STEP.FIELD" or "account: NAME"' : 'a test names either a field or an account column, not both');
      return;
    }
    if (tests.length === 0) this.report(path, `a test needs one of ${TEST_KEYS.join(', ')}`);
    if (typeof condition.field !== 'string') return;
    const field = this.earlierField(condition.field, step, beforeField, [...path, 'field'], 'the condition');
    if (!field) return;
    if (field.choices) {
      for (const key of ['is', 'is-not', 'in', 'not-in'] as const) {
        const given = condition[key];
        const values = Array.isArray(given) ? given : given === undefined ? [] : [given];
        values.forEach((item, index) => {
          if (!field.choices!.includes(String(item))) {
            this.report(Array.isArray(given) ? [...path, key, index] : [...path, key], `"${String(item)}" is not a choice of ${condition.field} (${field.choices!.join(', ')}), so this never holds`);
          }
        });
      }
    }
    if ((condition.above !== undefined || condition.below !== undefined) && field.type !== 'number' && field.type !== 'computed') {
      this.report(path, `above/below compare numbers; ${condition.field} is a ${String(field.type)} field`);
    }
  }

  due(value: unknown, step: StepInfo, path: PathSegment[]): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const due = value as Loose;
    if (typeof due.after === 'string' && !this.byId.has(due.after)) {
      this.report([...path, 'after'], `names step "${due.after}", which is not in this playbook`);
    } else if (due.after === step.id) {
      this.report([...path, 'after'], 'a step cannot fall due after itself');
    }
    if (typeof due.from === 'string' && !due.from.startsWith('account.')) {
      if (!due.from.includes('.')) {
        this.report([...path, 'from'], `must be STEP.FIELD (a date answer) or account.NAME; got "${due.from}"`);
        return;
      }
      const reference = fieldReference(due.from, step.id);
      if (reference.kind !== 'field') return;
      const target = this.byId.get(reference.stepId);
      const field = target?.fields.get(reference.fieldId);
      if (!target) this.report([...path, 'from'], `names step "${reference.stepId}", which is not in this playbook`);
      else if (!field) this.report([...path, 'from'], `names field "${reference.fieldId}" of step ${target.id}, which has no such field (its fields: ${[...target.fields.keys()].join(', ') || 'none'})`);
      else if (field.type !== 'date') this.report([...path, 'from'], `${due.from} is a ${String(field.type)} field; a due date counts from a date field`);
    }
  }

  /** `after:` anchors that lead back to where they started, each cycle reported once at its first step. */
  cycles(): void {
    const anchorOf = (step: StepInfo): { target: string; path: PathSegment[] } | undefined => {
      const own = step.data.due;
      const phaseDue = step.phase.due;
      if (own !== undefined) return own !== null && typeof own === 'object' && typeof (own as Loose).after === 'string' ? { target: (own as Loose).after as string, path: [...step.path, 'due', 'after'] } : undefined;
      return phaseDue !== null && typeof phaseDue === 'object' && typeof (phaseDue as Loose).after === 'string' ? { target: (phaseDue as Loose).after as string, path: [...step.phasePath, 'due', 'after'] } : undefined;
    };
    const reported = new Set<string>();
    for (const start of this.steps) {
      const chain: string[] = [start.id];
      let current = start;
      for (;;) {
        const anchor = anchorOf(current);
        if (!anchor) break;
        const next = this.byId.get(anchor.target);
        if (!next || next === current) break;
        if (next.id === start.id) {
          const key = [...chain].sort().join(' ');
          if (!reported.has(key)) {
            reported.add(key);
            const startAnchor = anchorOf(start)!;
            this.problems.push(this.sources.problem(startAnchor.path, `${describePath(startAnchor.path)}: the after: anchors go round in a circle (${[...chain, start.id].join(' → ')}); none of them can ever fall due`));
          }
          break;
        }
        if (chain.includes(next.id)) break;
        chain.push(next.id);
        current = next;
      }
    }
  }

  computed(field: Loose, fieldIndex: number, step: StepInfo, path: PathSegment[]): void {
    if (field.type !== 'computed') {
      for (const key of ['from', 'cases'] as const) {
        if (field[key] !== undefined && typeof field.type === 'string') this.report([...path, key], `only applies to computed fields; this field's type is "${field.type}"`);
      }
      return;
    }
    if (field.from === undefined) this.report(path, 'a computed field needs "from" (the answer it is derived from)');
    if (field.cases === undefined) this.report(path, 'a computed field needs "cases" (each with a value, and below, above or is)');
    if (field.required !== undefined) this.report([...path, 'required'], 'a computed field is never asked, so it cannot be required');
    let source: FieldInfo | undefined;
    if (typeof field.from === 'string') source = this.earlierField(field.from, step, fieldIndex, [...path, 'from'], 'from');
    if (!Array.isArray(field.cases)) return;
    const cases = field.cases as Loose[];
    const typed = cases.every((item) => item !== null && typeof item === 'object' && typeof item.value === 'string');
    if (!typed) return;
    cases.forEach((_item, index) => {
      const why = unreachableCase(cases as never, index, source ? { min: source.min, max: source.max } : {});
      if (why) this.report([...path, 'cases', index], `this case can never match: ${why}`);
    });
  }
}

export function flowProblems(data: Loose, sources: SourceMap): Problem[] {
  const steps = collectSteps(data);
  const checker = new Checker(steps, sources);
  for (const [phase, p] of objects(data.phases)) {
    const first = steps.find((step) => step.phasePath[1] === p);
    if (first && phase.due !== undefined) checker.due(phase.due, first, ['phases', p, 'due']);
  }
  for (const step of steps) {
    if (step.data.when !== undefined) checker.condition(step.data.when, step, undefined, [...step.path, 'when']);
    if (step.data.due !== undefined) checker.due(step.data.due, step, [...step.path, 'due']);
    for (const [field, f] of objects(step.data.fields)) {
      const path: PathSegment[] = [...step.path, 'fields', f];
      if (field.when !== undefined) checker.condition(field.when, step, f, [...path, 'when']);
      checker.computed(field, f, step, path);
      if (field.type !== 'computed' && field.prompt === undefined && typeof field.type === 'string') {
        checker.problems.push(sources.problem(path, `${describePath(path)} is missing "prompt" (only a computed field has none)`));
      }
    }
  }
  checker.cycles();
  return checker.problems;
}
