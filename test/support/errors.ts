/** Catching the CsError a piece of code must throw, to assert on its exit code, message and hint. */
import { expect } from 'vitest';
import { CsError } from '../../src/errors.js';

/** The CsError `run` throws; fails when it throws nothing, or anything but a CsError. */
export function thrownCsError(run: () => unknown): CsError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error('expected a CsError; nothing was thrown');
  expect(caught).toBeInstanceOf(CsError);
  return caught as CsError;
}

/** The same, for a bad-input refusal: exit code 2. */
export function inputRefusal(run: () => unknown): CsError {
  const error = thrownCsError(run);
  expect(error.exitCode, error.message).toBe(2);
  return error;
}

/** The CsError a promise (a store call) rejects with; fails when it resolves, or rejects with anything but a CsError. */
export async function rejectedCsError(run: () => Promise<unknown>): Promise<CsError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error('expected a CsError; the promise resolved');
  expect(caught).toBeInstanceOf(CsError);
  return caught as CsError;
}

/** The same, for a bad-input refusal: exit code 2. */
export async function inputRejection(run: () => Promise<unknown>): Promise<CsError> {
  const error = await rejectedCsError(run);
  expect(error.exitCode, error.message).toBe(2);
  return error;
}
