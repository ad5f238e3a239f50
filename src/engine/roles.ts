/**
 * Roles on a run: a step may name one (`owner: csm`), resolved through the account's team (the
 * account's fields cos, csm, lead, sales hold a handle each); a step may hand the account over to
 * one (`handover: csm`). Pure, shared by both store backends and by what shows a step's owner.
 */
import type { Role } from '../playbook/types.js';
import { ROLES } from '../playbook/types.js';
import { flattenSteps } from './run.js';
import type { RunEvent, RunState } from './run.js';

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

/** The role a `complete` event hands the account over to, when its step says `handover:`. */
export function handoverOf(state: RunState, event: RunEvent): Role | undefined {
  if (event.type !== 'complete') return undefined;
  return flattenSteps(state.playbook).find(({ def }) => def.id === event.stepId)?.def.handover;
}

/** Whose a step is: the account's person of the role it names, else the run's owner, else the account's. */
export function stepOwner(role: Role | undefined, accountFields: Readonly<Record<string, string>>, runOwner: string | null, accountOwner: string | null): string | null {
  return (role && accountFields[role]) || runOwner || accountOwner;
}

/** What a commit record says it changed besides its step: the field, or the checklist item (from 1). */
export function commitDetail(event: RunEvent): string | null {
  if (event.type === 'answer' || event.type === 'clear') return event.fieldId;
  if (event.type === 'tick') return String(event.item + 1);
  return null;
}
