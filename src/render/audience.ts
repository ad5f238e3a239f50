/**
 * What a customer-facing template must never say: a `format: email` template goes to the customer,
 * so it may not use an answer (or a step) marked `audience: internal` in the playbooks that feed
 * it. Found statically, from the Mustache token tree of the template and of its partials, against
 * those playbooks, before anything is rendered:
 *
 * - directly: `{{answers.kickoff-call.why-bought}}`, `{{#chosen.kickoff-call.health.worrying}}`,
 *   `{{produced.health}}`;
 * - through a section: `{{#answers.kickoff-call}}{{why-bought}}{{/answers.kickoff-call}}` (names
 *   are resolved the way mustache.js does, innermost context first);
 * - by iteration: `{{#steps}}{{#answers}}{{value}}{{/answers}}{{/steps}}` lists every answer,
 *   internal ones included, and `{{#steps}}{{title}}{{/steps}}` every step, internal ones included.
 *
 * Each problem is at the template's (or the partial's) file:line:col, naming the field.
 */
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';
import type { Problem } from '../playbook/problems.js';
import type { FieldDef, Playbook, StepDef } from '../playbook/types.js';
import { positionIn } from './syntax.js';
import type { Source, Token } from './syntax.js';
import type { Template } from './template-file.js';

/** A partial's text and the file it is in, or undefined when there is none. */
export type PartialSource = (name: string) => { file: string; text: string; tokens: Token[] } | undefined;

/** A path into the data a template sees; `[]` stands for any element of a list. */
type Path = string[];
const ELEMENT = '[]';

const STEP_KEYS = new Set(['id', 'title', 'phase', 'phaseId', 'status', 'done', 'skipped', 'open', 'applicable', 'doneOn', 'due', 'note', 'skipReason', 'answers']);
const ROOT_KEYS = new Set(['account', 'run', 'answers', 'chosen', 'labels', 'steps', 'timeline', 'phases', 'produced', 'producedStep', 'today', 'owner']);
const DATE_KEYS = new Set(['iso', 'weekday', 'long']);

interface Scope {
  templateId: string;
  /** Every step of the playbooks, with the playbook it is in. */
  steps: { step: StepDef; playbook: Playbook }[];
  /** The steps that produce the template (what `produced` and `producedStep` are). */
  producers: { step: StepDef; playbook: Playbook }[];
}

const internal = (thing: { audience?: string } | undefined) => thing?.audience === 'internal';

function stepsNamed(scope: Scope, id: string) {
  return scope.steps.filter(({ step }) => step.id === id);
}

function fieldsOf(steps: Scope['steps'], id?: string): { field: FieldDef; step: StepDef; playbook: Playbook }[] {
  return steps.flatMap(({ step, playbook }) => (step.fields ?? []).filter((field) => id === undefined || field.id === id).map((field) => ({ field, step, playbook })));
}

/** Whether a context at `path` has the key `key`: mustache.js looks no further out when it does. */
function has(scope: Scope, path: Path, key: string): 'yes' | 'no' | 'maybe' {
  const [root, a, b] = path;
  if (path.length === 0) return ROOT_KEYS.has(key) ? 'yes' : 'no';
  if (root === 'answers' || root === 'chosen' || root === 'labels') {
    if (path.length === 1) return stepsNamed(scope, key).length > 0 ? 'yes' : 'no';
    if (path.length === 2) return fieldsOf(stepsNamed(scope, a!), key).length > 0 ? 'yes' : 'no';
    if (root === 'chosen') return path.length === 3 ? 'maybe' : 'no';
    const dated = path.length === 3 && fieldsOf(stepsNamed(scope, a!), b).some(({ field }) => field.type === 'date');
    return dated && DATE_KEYS.has(key) ? 'yes' : key === 'length' ? 'maybe' : 'no';
  }
  if (root === 'produced') return path.length === 1 ? (fieldsOf(scope.producers, key).length > 0 ? 'yes' : 'no') : 'no';
  const step = stepPath(path);
  if (step) {
    if (step.rest.length === 0) return STEP_KEYS.has(key) || (step.produced && key === 'final') ? 'yes' : 'no';
    if (step.rest[0] === 'answers' && step.rest[1] === ELEMENT && step.rest.length === 2) return ['id', 'prompt', 'value'].includes(key) ? 'yes' : 'no';
    return 'maybe';
  }
  if (root === 'phases' && a === ELEMENT && path.length === 2) return ['id', 'title', 'steps'].includes(key) ? 'yes' : 'no';
  if (root === 'owner') return path.length === 1 && ['name', 'email', 'handle'].includes(key) ? 'yes' : 'no';
  if (root === 'today') return 'no';
  return 'maybe'; // account fields, run: what else they hold is not ours to know
}

/** A path inside one step of `steps`, `phases[].steps` or `producedStep`, and what follows. */
function stepPath(path: Path): { produced: boolean; rest: Path } | undefined {
  if (path[0] === 'steps' && path[1] === ELEMENT) return { produced: false, rest: path.slice(2) };
  if (path[0] === 'phases' && path[1] === ELEMENT && path[2] === 'steps' && path[3] === ELEMENT) return { produced: false, rest: path.slice(4) };
  if (path[0] === 'producedStep') return { produced: true, rest: path.slice(1) };
  return undefined;
}

/** A section over one of these paths repeats over a list: its context is one element. */
function isList(scope: Scope, path: Path): boolean {
  if (path.length === 1 && (path[0] === 'steps' || path[0] === 'phases' || path[0] === 'timeline')) return true;
  if (path.length === 3 && path[0] === 'phases' && path[1] === ELEMENT && path[2] === 'steps') return true;
  const step = stepPath(path);
  if (step && step.rest.length === 1 && step.rest[0] === 'answers') return true;
  return path.length === 3 && path[0] === 'answers' && fieldsOf(stepsNamed(scope, path[1]!), path[2]).some(({ field }) => field.type === 'multiselect' || field.type === 'actions');
}

/** Every place `name` may resolve to, given the contexts it is rendered in (innermost last). */
function resolve(scope: Scope, name: string, contexts: Path[][]): Path[] {
  if (name === '.') return contexts[contexts.length - 1]!;
  const parts = name.split('.');
  const found: Path[] = [];
  for (let level = contexts.length - 1; level >= 0; level -= 1) {
    let settled = true;
    for (const context of contexts[level]!) {
      const answer = has(scope, context, parts[0]!);
      if (answer !== 'no') found.push([...context, ...parts]);
      if (answer !== 'yes') settled = false;
    }
    if (settled && found.length > 0) break;
  }
  return found;
}

function listed(items: string[]): string | Said {
  const unique = [...new Set(items)];
  return unique.length > 4 ? said('tpl.listedMore', { items: unique.slice(0, 4).join(', '), count: unique.length - 4 }) : unique.join(', ');
}

/** What internal thing reading `path` shows, if any, in words. */
function exposure(scope: Scope, path: Path): Said | undefined {
  const [root, a, b] = path;
  if ((root === 'answers' || root === 'chosen' || root === 'labels') && a !== undefined) {
    const named = stepsNamed(scope, a);
    const whole = named.filter(({ step }) => internal(step));
    if (whole.length > 0) return said('tpl.stepInternal', { step: a, playbooks: listed(whole.map(({ playbook }) => playbook.id)) });
    if (b === undefined) return undefined;
    const fields = fieldsOf(named, b).filter(({ field }) => internal(field));
    if (fields.length > 0) return said('tpl.fieldInternal', { step: a, field: b, playbooks: listed(fields.map(({ playbook }) => playbook.id)) });
    return undefined;
  }
  if (root === 'produced') {
    const whole = scope.producers.filter(({ step }) => internal(step));
    if (whole.length > 0) return said('tpl.producerInternal', { template: scope.templateId, steps: listed(whole.map(({ step }) => step.id)) });
    if (a === undefined) return undefined;
    const fields = fieldsOf(scope.producers, a).filter(({ field }) => internal(field));
    return fields.length > 0 ? said('tpl.producedFieldInternal', { fields: listed(fields.map(({ step }) => `${step.id}.${a}`)) }) : undefined;
  }
  const step = stepPath(path);
  if (!step || step.rest.length === 0 || !STEP_KEYS.has(step.rest[0]!)) return undefined;
  const steps = step.produced ? scope.producers : scope.steps;
  const wholeSteps = steps.filter(({ step: each }) => internal(each));
  if (wholeSteps.length > 0) return said(step.produced ? 'tpl.producedStepInternalSteps' : 'tpl.eachStepInternalSteps', { steps: listed(wholeSteps.map(({ step: each }) => each.id)) });
  if (step.rest[0] !== 'answers') return undefined;
  const fields = fieldsOf(steps).filter(({ field }) => internal(field));
  const named = listed(fields.map(({ step: each, field }) => `${each.id}.${field.id}`));
  return fields.length > 0 ? said(step.produced ? 'tpl.producedStepInternalAnswers' : 'tpl.eachStepInternalAnswers', { fields: named }) : undefined;
}

const DESCRIBE: Record<string, (name: string) => string> = {
  name: (name) => `{{${name}}}`,
  '&': (name) => `{{{${name}}}}`,
  '#': (name) => `{{#${name}}}`,
  '^': (name) => `{{^${name}}}`,
};

interface Walker {
  scope: Scope;
  partials: PartialSource;
  problems: Problem[];
  seen: Set<string>;
}

function walk(walker: Walker, tokens: Token[], source: Pick<Source, 'file' | 'text' | 'firstLine' | 'firstCol'>, contexts: Path[][], depth: number): void {
  for (const token of tokens) {
    const [type, name] = token;
    if (type === '>') {
      const partial = walker.partials(name);
      // a partial that includes itself: its names are the same at every depth
      if (partial && depth < 8) walk(walker, partial.tokens, { file: partial.file, text: partial.text, firstLine: 1 }, contexts, depth + 1);
      continue;
    }
    const describe = DESCRIBE[type];
    if (!describe) continue;
    const paths = resolve(walker.scope, name, contexts);
    const exposures = new Map<string, Said>();
    for (const path of paths) {
      const found = exposure(walker.scope, path);
      if (found) exposures.set(JSON.stringify(found), found);
    }
    if (exposures.size > 0) {
      const { line, col } = positionIn(source, token[2]);
      const message = said('tpl.internalUse', { use: describe(name), exposed: [...exposures.values()] });
      const key = `${source.file}:${line}:${col}:${JSON.stringify(message)}`;
      if (!walker.seen.has(key)) {
        walker.seen.add(key);
        walker.problems.push({ file: source.file, line, col, message });
      }
      continue; // what is inside says the same again
    }
    const children = token[4];
    if ((type === '#' || type === '^') && Array.isArray(children)) {
      const inner = type === '#' ? [...contexts, paths.flatMap((path) => (isList(walker.scope, path) ? [[...path, ELEMENT]] : [path]))] : contexts;
      walk(walker, children as Token[], source, inner.filter((level) => level.length > 0), depth);
    }
  }
}

/**
 * Every use of an internal answer or step by an email template, against `playbooks` (those that
 * produce it, or those a run uses). A document (minutes, handover notes) may use anything.
 */
export function internalUses(template: Template, playbooks: readonly Playbook[], partials: PartialSource): Problem[] {
  if (template.format !== 'email') return [];
  const steps = playbooks.flatMap((playbook) => playbook.phases.flatMap((phase) => phase.steps.map((step) => ({ step, playbook }))));
  const scope: Scope = { templateId: template.id, steps, producers: steps.filter(({ step }) => step.produces === template.id) };
  const walker: Walker = { scope, partials, problems: [], seen: new Set() };
  for (const part of [template.subject, template.to, template.body]) if (part) walk(walker, part.tokens, part, [[[]]], 0);
  return walker.problems;
}
