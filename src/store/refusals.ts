/** What either backend refuses in the same words (so both print the same message for the same case). */
import type { CsError } from '../errors.js';
import { inputError, runtimeError } from '../errors.js';

export function nameTaken(holder: string): CsError {
  return inputError(`another account is already named ${JSON.stringify(holder)}`, {
    hint: 'Names are compared ignoring case, spacing, Unicode normalisation (NFC/NFD), zero-width characters and where the tone mark of oa, oe, uy sits (Hoà = Hòa); pick one no other account has.',
  });
}

export function noSuchAccount(accountId: number): CsError {
  return inputError(`account #${accountId} does not exist`);
}

export function noSuchRun(runId: number): CsError {
  return inputError(`run #${runId} does not exist`);
}

/** A due date `cs shift` worked from was changed by someone else before the shift was written. */
export function shiftRaced(runId: number, stepId: string): CsError {
  return runtimeError(`step ${stepId} of run #${runId} changed while the shift was worked out; nothing was moved`, { hint: 'Run the shift again.' });
}
