/**
 * What of the playbook format v2 a playbook uses, worked out once per playbook: whether any step's
 * applicability, due date or computed answers follow from answers, and its actions and computed
 * fields. Both backends' v2 writes (sqlite/v2.ts, postgres/v2.ts) read it.
 */
import { flattenSteps } from '../engine/run.js';
import type { Playbook } from '../playbook/types.js';

export interface Shape {
  /** Any step whose applicability, due date or computed answers follow from answers. */
  derived: boolean;
  /** `stepId fieldId` of every actions field. */
  actions: Set<string>;
  computed: { stepId: string; fieldId: string }[];
}

const shapes = new WeakMap<Playbook, Shape>();

/** What of v2 a playbook uses (worked out once per playbook): a v1 playbook costs nothing more. */
export function shapeOf(playbook: Playbook): Shape {
  let shape = shapes.get(playbook);
  if (!shape) {
    const actions = new Set<string>();
    const computed: Shape['computed'] = [];
    let derived = false;
    for (const { def, phase } of flattenSteps(playbook)) {
      if (def.when || typeof (def.due ?? phase.due) === 'object') derived = true;
      for (const field of def.fields ?? []) {
        if (field.type === 'actions') actions.add(`${def.id} ${field.id}`);
        if (field.type === 'computed') {
          computed.push({ stepId: def.id, fieldId: field.id });
          derived = true;
        }
      }
    }
    shapes.set(playbook, (shape = { derived, actions, computed }));
  }
  return shape;
}

export function isActionsField(playbook: Playbook, stepId: string, fieldId: string): boolean {
  return shapeOf(playbook).actions.has(`${stepId} ${fieldId}`);
}
