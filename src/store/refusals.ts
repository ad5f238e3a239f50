/** What either backend refuses in the same words (so both print the same message for the same case). */
import type { CsError } from '../errors.js';
import { inputError, runtimeError } from '../errors.js';
import { said } from '../i18n/messages.js';

export function nameTaken(holder: string): CsError {
  return inputError(said('accounts.nameTaken', { name: JSON.stringify(holder) }), { hint: said('accounts.nameTakenHint') });
}

export function noSuchAccount(accountId: number): CsError {
  return inputError(said('store.noSuchAccount', { account: accountId }));
}

export function noSuchRun(runId: number): CsError {
  return inputError(said('store.noSuchRun', { run: runId }));
}

/** A due date `cs shift` worked from was changed by someone else before the shift was written. */
export function shiftRaced(runId: number, stepId: string): CsError {
  return runtimeError(said('shift.changedMeanwhile', { step: stepId, run: runId }), { hint: said('shift.again') });
}
