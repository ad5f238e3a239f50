/**
 * Playbooks and templates checked against each other, for `cs playbooks validate`: every
 * `produces:` must name a template that exists and parses (a problem, exit 2), and every
 * `answers.<step>.<field>` a template reads should exist in a playbook that produces it (a
 * warning: `answers.kickof-call.goals` would otherwise render as a blank, every time).
 */
import { choiceValues } from '../playbook/choices.js';
import { LineCounter, parseDocument } from 'yaml';
import { readText } from '../files/input.js';
import { MAX_PLAYBOOK_BYTES, SourceMap } from '../playbook/parse.js';
import { didYouMean, problemSaid } from '../playbook/problems.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';
import type { Problem } from '../playbook/problems.js';
import type { LoadedPlaybook, StepDef } from '../playbook/types.js';
import { internalUses } from './audience.js';
import { partialSource, readTemplate } from './catalog.js';
import type { TemplateCatalog } from './catalog.js';
import { slug } from './slug.js';
import type { Template } from './template-file.js';
import { variablesOf } from './variables.js';

// validate loads this module lazily; one import gives it both halves of the check
export { findTemplates } from './catalog.js';

export interface ReferenceReport {
  problems: Problem[];
  warnings: Problem[];
}

/** Where `produces:` of a step is written; line 1 when the file cannot be read again. */
function producesAt(loaded: LoadedPlaybook, path: (string | number)[]): { line: number; col: number } {
  try {
    const lines = new LineCounter();
    const doc = parseDocument(readText(loaded.file, { what: said('playbook.theFile'), limit: MAX_PLAYBOOK_BYTES }), { lineCounter: lines });
    return new SourceMap(loaded.file, doc, lines).at(path);
  } catch {
    return { line: 1, col: 1 };
  }
}

export function producingSteps(playbooks: LoadedPlaybook[]) {
  return playbooks.flatMap((loaded) =>
    loaded.playbook.phases.flatMap((phase, p) =>
      phase.steps.flatMap((step, s) => (step.produces ? [{ loaded, step, id: step.produces, path: ['phases', p, 'steps', s, 'produces'] }] : [])),
    ),
  );
}

/** A problem with a name, and the name probably meant. */
type Finding = { problem: Said; guess?: string } | undefined;

function guessed(problem: Said, word: string, candidates: Iterable<string>): Finding {
  return { problem, guess: didYouMean(word, new Set(candidates)) };
}

/** What is wrong with `answers.<step>.<field>` / `chosen.<step>.<field>.<choice>` against these playbooks, if anything. */
function answerFinding(parts: string[], playbooks: LoadedPlaybook[], withChoice: boolean): Finding {
  const [stepId, fieldId, choice] = parts;
  if (!stepId) return undefined;
  const steps = playbooks.flatMap((loaded) => loaded.playbook.phases.flatMap((phase) => phase.steps));
  const named = steps.filter((step) => step.id === stepId);
  if (named.length === 0) return guessed(said('tpl.noStep', { step: stepId }), stepId, steps.map((step) => step.id));
  if (!fieldId) return undefined;
  const fields = named.flatMap((step) => step.fields ?? []);
  if (!fields.some((each) => each.id === fieldId)) return guessed(said('tpl.noField', { step: stepId, field: fieldId }), fieldId, fields.map((each) => each.id));
  if (!withChoice || choice === undefined) return undefined;
  const choices = [...new Set(fields.filter((each) => each.id === fieldId).flatMap((each) => (each.type === 'computed' ? (each.cases ?? []).map((item) => item.value) : choiceValues(each)).map(slug)))];
  if (choices.includes(choice)) return undefined;
  const problem = choices.length > 0 ? said('tpl.noChoice', { step: stepId, field: fieldId, choice, choices: choices.join(', ') }) : said('tpl.noChoices', { step: stepId, field: fieldId, choice });
  return guessed(problem, choice, choices);
}

function producedFinding(fieldId: string | undefined, producers: StepDef[], templateId: string): Finding {
  if (producers.length === 0) return { problem: said('tpl.noProducer', { template: templateId }) };
  if (!fieldId) return undefined;
  const fields = producers.flatMap((step) => (step.fields ?? []).map((field) => field.id));
  if (fields.includes(fieldId)) return undefined;
  return guessed(said('tpl.noProducedField', { template: templateId, field: fieldId }), fieldId, fields);
}

export function templateWarnings(template: Template, playbooks: LoadedPlaybook[], producers: ReturnType<typeof producingSteps>): Problem[] {
  const own = producers.filter((each) => each.id === template.id);
  // A template no playbook produces is checked against every playbook.
  const candidates = own.length > 0 ? [...new Set(own.map((each) => each.loaded))] : playbooks;
  const scope = own.length > 0 ? said('tpl.scopeProducers', { playbooks: candidates.map((each) => each.playbook.id).join(', '), template: template.id }) : said('tpl.scopeAny');
  const warnings: Problem[] = [];
  const seen = new Set<string>();
  for (const use of variablesOf(template)) {
    const [root, ...parts] = use.name.split('.');
    let finding: Finding;
    // an answer is looked for in the scope's playbooks, and the warning says which
    const inScope = root === 'answers' || root === 'chosen';
    if (inScope) {
      finding = answerFinding(parts, candidates, root === 'chosen');
    } else if (root === 'produced') {
      finding = producedFinding(parts[0], own.map((each) => each.step), template.id);
    }
    const key = `${use.line}:${use.name}`;
    if (!finding || seen.has(key)) continue;
    seen.add(key);
    const params = { use: `{{${use.name}}}`, problem: finding.problem, scope, guess: finding.guess ?? '' };
    const message = inScope ? said(finding.guess ? 'tpl.useInGuess' : 'tpl.useIn', params) : said(finding.guess ? 'tpl.useGuess' : 'tpl.use', params);
    warnings.push({ file: template.file, line: use.line, col: use.col, message });
  }
  return warnings;
}

/** The playbooks a template is filled from: those that produce it, else all of them. */
export function feedingPlaybooks(templateId: string, playbooks: LoadedPlaybook[]): LoadedPlaybook[] {
  const producing = playbooks.filter((loaded) => loaded.playbook.phases.some((phase) => phase.steps.some((step) => step.produces === templateId)));
  return producing.length > 0 ? producing : playbooks;
}

/**
 * `playbooks`: the ones being validated. With `everyTemplate` (validating everything), templates
 * that none of them produces are checked too, against all of them; otherwise only the templates
 * these playbooks produce are.
 */
export function checkTemplateReferences(playbooks: LoadedPlaybook[], catalog: TemplateCatalog, options: { everyTemplate?: boolean } = {}): ReferenceReport {
  const problems: Problem[] = [];
  const producers = producingSteps(playbooks);
  const templates = new Map<string, Template | Problem[]>();
  for (const entry of catalog.entries) {
    const { template, problems: found } = readTemplate(entry);
    templates.set(entry.id, template ?? found);
  }
  for (const { loaded, step, id, path } of producers) {
    const found = templates.get(id);
    if (found && !Array.isArray(found)) continue;
    const { line, col } = producesAt(loaded, path);
    const guess = didYouMean(id, templates.keys());
    const ids = [...templates.keys()].join(', ');
    const message = found
      ? said('tpl.producesBroken', { step: step.id, template: id, problems: found.map(problemSaid) })
      : said(ids === '' ? 'tpl.producesUnknownNone' : guess ? 'tpl.producesUnknownGuess' : 'tpl.producesUnknown', { step: step.id, template: id, guess: guess ?? '', ids });
    problems.push({ file: loaded.file, line, col, message });
  }
  const produced = new Set(producers.map((each) => each.id));
  const partials = partialSource(catalog);
  const warnings = [...templates.values()].flatMap((found) => {
    if (Array.isArray(found) || !(options.everyTemplate || produced.has(found.id))) return [];
    // an answer these playbooks mark internal that an email uses: an error for templates validate and render
    const leaks = internalUses(found, feedingPlaybooks(found.id, playbooks).map((loaded) => loaded.playbook), partials).map((leak) => ({
      ...leak,
      message: said('tpl.leakWarning', { message: leak.message }),
    }));
    return [...templateWarnings(found, playbooks, producers), ...leaks];
  });
  return { problems, warnings };
}
