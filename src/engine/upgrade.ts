/**
 * Moving an open run to a newer version of its playbook (`cs resume --upgrade`): what was given is
 * kept wherever the new version still has the same step and field ids, and everything that cannot
 * be kept is listed, so nothing disappears without the user being told.
 */
import { inputError } from '../errors.js';
import type { Playbook } from '../playbook/types.js';
import { answerProblem } from './answers.js';
import { derive, firstOpenIndex, flattenSteps, startRun } from './run.js';
import type { RunState } from './run.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

export interface Dropped {
  stepId: string;
  /** Absent when the whole step is gone from the new version. */
  fieldId?: string;
  why: string | Said;
}

export interface Upgrade {
  state: RunState;
  dropped: Dropped[];
}

export function upgradeRun(current: RunState, next: Playbook): Upgrade {
  if (current.status !== 'open') throw inputError(said('upgrade.notOpen'));
  if (next.id !== current.playbook.id) throw inputError(said('upgrade.otherPlaybook', { from: current.playbook.id, to: next.id }));
  const fresh = startRun(next, current.startDate, current.context);
  const newDefs = new Map(flattenSteps(next).map(({ def }) => [def.id, def]));
  const oldDefs = new Map(flattenSteps(current.playbook).map(({ def }) => [def.id, def]));
  const dropped: Dropped[] = [];
  for (const old of current.steps) {
    const given = Object.keys(old.answers).length > 0 || old.status !== 'open' || old.note !== undefined;
    if (!newDefs.has(old.id) && given) dropped.push({ stepId: old.id, why: said('upgrade.stepGone') });
  }
  const steps = fresh.steps.map((step) => {
    const old = current.steps.find((candidate) => candidate.id === step.id);
    if (!old) return step;
    const def = newDefs.get(step.id)!;
    const answers: RunState['steps'][number]['answers'] = {};
    for (const [fieldId, value] of Object.entries(old.answers)) {
      const field = def.fields?.find((candidate) => candidate.id === fieldId);
      const problem = field ? answerProblem(field, value) : said('upgrade.fieldGone');
      if (problem) dropped.push({ stepId: step.id, fieldId, why: problem });
      else answers[fieldId] = value;
    }
    // checklist ticks follow the item's text, since items may be reordered
    const oldItems = oldDefs.get(step.id)?.checklist ?? [];
    const newItems = def.checklist ?? [];
    const checked = old.checked.map((index) => newItems.indexOf(oldItems[index] ?? '')).filter((index) => index >= 0).sort((a, b) => a - b);
    // a done step that now lacks a required answer is open again
    const missing = (def.fields ?? []).some((field) => field.required && answers[field.id] === undefined);
    const status = old.status === 'done' && missing ? 'open' : old.status;
    return { ...step, status, skipReason: status === 'skipped' ? old.skipReason : undefined, ...(status !== 'open' && old.doneOn ? { doneOn: old.doneOn } : {}), note: old.note, answers, checked };
  });
  // which steps apply, anchored due dates and computed values follow from what was kept
  const state = derive({ ...fresh, steps, cursor: 0 });
  return { state: { ...state, cursor: firstOpenIndex(state.steps) }, dropped };
}
