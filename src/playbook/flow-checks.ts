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
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

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

  private report(path: PathSegment[], message: Said): void {
    this.problems.push(this.sources.problem(path, said('pb.at', { where: describePath(path), message })));
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
      this.report(path, said('pb.namesStep', { what, step: reference.stepId, steps: [...this.byId.keys()].join(', ') }));
      return undefined;
    }
    const field = target.fields.get(reference.fieldId);
    if (!field) {
      this.report(path, said('pb.namesField', { what, field: reference.fieldId, step: target.id, fields: [...target.fields.keys()].join(', ') || '—' }));
      return undefined;
    }
    const sameStep = target.id === step.id;
    if (target.index > step.index || (sameStep && (beforeField === undefined || field.index >= beforeField))) {
      const where = sameStep ? said(beforeField === undefined ? 'pb.theStepItself' : 'pb.laterField') : said('pb.laterStep', { step: target.id });
      this.report(path, said('pb.refersLater', { what, where }));
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
      this.report(path, said('pb.condition', { got: Object.keys(condition).join(', ') }));
      return;
    }
    if (combined.length > 0) return;
    if (subject.length !== 1) {
      this.report(path, said(subject.length === 0 ? 'pb.testSubject' : 'pb.testBoth'));
      return;
    }
    if (tests.length === 0) this.report(path, said('pb.testNeeds', { keys: TEST_KEYS.join(', ') }));
    if (typeof condition.field !== 'string') return;
    const field = this.earlierField(condition.field, step, beforeField, [...path, 'field'], 'the condition');
    if (!field) return;
    if (field.choices) {
      for (const key of ['is', 'is-not', 'in', 'not-in'] as const) {
        const given = condition[key];
        const values = Array.isArray(given) ? given : given === undefined ? [] : [given];
        values.forEach((item, index) => {
          if (!field.choices!.includes(String(item))) {
            this.report(Array.isArray(given) ? [...path, key, index] : [...path, key], said('pb.neverHolds', { item: String(item), field: String(condition.field), choices: field.choices!.join(', ') }));
          }
        });
      }
    }
    if ((condition.above !== undefined || condition.below !== undefined) && field.type !== 'number' && field.type !== 'computed') {
      this.report(path, said('pb.aboveBelow', { field: String(condition.field), type: String(field.type) }));
    }
  }

  due(value: unknown, step: StepInfo, path: PathSegment[]): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const due = value as Loose;
    if (typeof due.after === 'string' && !this.byId.has(due.after)) {
      this.report([...path, 'after'], said('pb.afterUnknown', { step: String(due.after) }));
    } else if (due.after === step.id) {
      this.report([...path, 'after'], said('pb.afterItself'));
    }
    if (typeof due.from === 'string' && !due.from.startsWith('account.')) {
      if (!due.from.includes('.')) {
        this.report([...path, 'from'], said('pb.fromForm', { got: String(due.from) }));
        return;
      }
      const reference = fieldReference(due.from, step.id);
      if (reference.kind !== 'field') return;
      const target = this.byId.get(reference.stepId);
      const field = target?.fields.get(reference.fieldId);
      if (!target) this.report([...path, 'from'], said('pb.afterUnknown', { step: reference.stepId }));
      else if (!field) this.report([...path, 'from'], said('pb.fromNoField', { field: reference.fieldId, step: target.id, fields: [...target.fields.keys()].join(', ') || '—' }));
      else if (field.type !== 'date') this.report([...path, 'from'], said('pb.fromNotDate', { from: String(due.from), type: String(field.type) }));
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
            this.problems.push(this.sources.problem(startAnchor.path, said('pb.circle', { where: describePath(startAnchor.path), chain: [...chain, start.id].join(' → ') })));
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
        if (field[key] !== undefined && typeof field.type === 'string') this.report([...path, key], said('pb.onlyComputed', { type: String(field.type) }));
      }
      return;
    }
    if (field.from === undefined) this.report(path, said('pb.computedFrom'));
    if (field.cases === undefined) this.report(path, said('pb.computedCases'));
    if (field.required !== undefined) this.report([...path, 'required'], said('pb.computedRequired'));
    let source: FieldInfo | undefined;
    if (typeof field.from === 'string') source = this.earlierField(field.from, step, fieldIndex, [...path, 'from'], 'from');
    if (!Array.isArray(field.cases)) return;
    const cases = field.cases as Loose[];
    const typed = cases.every((item) => item !== null && typeof item === 'object' && typeof item.value === 'string');
    if (!typed) return;
    cases.forEach((_item, index) => {
      const why = unreachableCase(cases as never, index, source ? { min: source.min, max: source.max } : {});
      if (why) this.report([...path, 'cases', index], said('pb.neverMatches', { why }));
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
        checker.problems.push(sources.problem(path, said('pb.missingPrompt', { where: describePath(path) })));
      }
    }
  }
  checker.cycles();
  return checker.problems;
}
