/**
 * Answers given up front (`--answers file.yaml|json`), checked against the playbook before anything
 * is written: keyed by step id, then field id. Reserved keys, which can never be field ids because
 * ids start with a letter or digit: `_skip` (a reason), `_note`, `_checklist` (true, or the numbers
 * of the items ticked, from 1).
 */
import { inputError } from '../errors.js';
import type { AnswerValue, Playbook } from '../playbook/types.js';
import { didYouMean } from '../playbook/problems.js';
import { answerProblem, coerceAnswer, isAnswered } from './answers.js';
import { askedFields, derive, flattenSteps } from './run.js';
import type { RunState } from './run.js';

export interface ScriptedStep {
  answers: Record<string, AnswerValue>;
  skip?: string;
  note?: string;
  checklist: number[];
}

export type Script = Map<string, ScriptedStep>;

const RESERVED = ['_skip', '_note', '_checklist'];

/** `today` is the day relative dates in the file (tomorrow, +2w) count from. */
export function scriptFromData(data: unknown, playbook: Playbook, file: string, today?: string): Script {
  if (data === null || data === undefined) return new Map();
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw inputError(`${file}: answers must be a mapping of step ids to their answers`);
  }
  const steps = new Map(flattenSteps(playbook).map(({ def }) => [def.id, def]));
  const problems: string[] = [];
  const script: Script = new Map();
  for (const [stepId, given] of Object.entries(data as Record<string, unknown>)) {
    const step = steps.get(stepId);
    if (!step) {
      const guess = didYouMean(stepId, steps.keys());
      problems.push(`unknown step "${stepId}"${guess ? ` (did you mean "${guess}"?)` : ''} in playbook ${playbook.id}`);
      continue;
    }
    if (given === null) continue;
    if (typeof given !== 'object' || Array.isArray(given)) {
      problems.push(`${stepId}: expected a mapping of field ids to answers`);
      continue;
    }
    const scripted: ScriptedStep = { answers: {}, checklist: [] };
    const fields = new Map((step.fields ?? []).map((field) => [field.id, field]));
    for (const [key, raw] of Object.entries(given as Record<string, unknown>)) {
      if (key === '_skip') {
        if (typeof raw !== 'string' || raw.trim() === '') problems.push(`${stepId}._skip: give the reason for skipping as text`);
        else scripted.skip = raw;
      } else if (key === '_note') {
        if (typeof raw !== 'string') problems.push(`${stepId}._note: expected text`);
        else scripted.note = raw;
      } else if (key === '_checklist') {
        const count = step.checklist?.length ?? 0;
        if (raw === true) scripted.checklist = Array.from({ length: count }, (_, index) => index);
        else if (Array.isArray(raw) && raw.every((item) => Number.isInteger(item) && item >= 1 && item <= count)) {
          scripted.checklist = [...new Set(raw as number[])].map((item) => item - 1);
        } else if (raw !== false) problems.push(`${stepId}._checklist: expected true, or item numbers from 1 to ${count}`);
      } else {
        const field = fields.get(key);
        if (!field) {
          const guess = didYouMean(key, [...fields.keys(), ...RESERVED]);
          problems.push(`${stepId}: unknown field "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
          continue;
        }
        if (field.type === 'computed') {
          problems.push(`${stepId}.${key} is computed from ${field.from ?? 'other answers'}; leave it out of the answers`);
          continue;
        }
        const value = coerceAnswer(field, raw, today);
        const problem = answerProblem(field, value);
        if (problem) problems.push(`${stepId}.${key} (${field.type}): ${problem}`);
        else scripted.answers[key] = value as AnswerValue;
      }
    }
    script.set(stepId, scripted);
  }
  if (problems.length > 0) {
    throw inputError(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the answers`, { details: problems });
  }
  return script;
}

/**
 * The required answers a walk without prompts would still lack: for each open step not skipped by
 * the script, every required field answered neither before nor in the script. Checked before a
 * run starts, so an incomplete answers file writes nothing.
 */
export function scriptGaps(state: RunState, script: Script | undefined): { stepId: string; fieldId: string; prompt: string }[] {
  const gaps: { stepId: string; fieldId: string; prompt: string }[] = [];
  // conditions are judged on the answers the run will have once the file is applied
  const planned = derive({ ...state, steps: state.steps.map((step) => ({ ...step, answers: { ...step.answers, ...script?.get(step.id)?.answers } })) }, state);
  flattenSteps(state.playbook).forEach(({ def }, index) => {
    const saved = planned.steps[index]!;
    const scripted = script?.get(def.id);
    if (saved.status !== 'open' || saved.applicable === false || scripted?.skip !== undefined) return;
    for (const field of askedFields(planned, def.id)) {
      if (field.required && !isAnswered(saved.answers[field.id])) {
        gaps.push({ stepId: def.id, fieldId: field.id, prompt: field.prompt });
      }
    }
  });
  return gaps;
}
