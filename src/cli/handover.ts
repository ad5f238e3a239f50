/**
 * Seed 000: the handover note is written before the meeting that introduces the CSM, and finishing
 * it makes the CSM the account's owner. The step that hands over is the one asking who the CSM is
 * (`csm-name`: csm-handover in both onboardings); once it is done, the CSM named there owns the
 * account, so its later runs are the CSM's. The onboarding run stays with the COS walking it.
 */
import { cleanOwner, ownerProblem } from '../engine/names.js';
import type { RunEvent } from '../engine/run.js';
import type { LoadedRun, Store } from '../store/store.js';

/** The answer naming the CSM who takes the customer over. */
export const CSM_FIELD = 'csm-name';

/** The CSM a just-completed step hands the account to, when it is a handover naming one who is not the owner yet. */
export function handoverOwner(loaded: LoadedRun, event: RunEvent, accountOwner: string | null): string | undefined {
  if (event.type !== 'complete') return undefined;
  const step = loaded.state.steps.find((each) => each.id === event.stepId);
  const named = step?.status === 'done' ? step.answers[CSM_FIELD] : undefined;
  if (typeof named !== 'string' || ownerProblem(named) !== undefined) return undefined;
  if (named.trim() === '') return undefined;
  const csm = cleanOwner(named);
  return csm === '' || csm === accountOwner ? undefined : csm;
}

/** Hands the run's account over to the CSM the completed step names; returns who, or undefined. */
export async function handOverIfDone(store: Store, loaded: LoadedRun, event: RunEvent): Promise<string | undefined> {
  if (event.type !== 'complete') return undefined;
  const csm = handoverOwner(loaded, event, (await store.findAccount(loaded.run.accountName))?.owner ?? null);
  if (csm !== undefined) await store.handOver(loaded.run.id, csm);
  return csm;
}
