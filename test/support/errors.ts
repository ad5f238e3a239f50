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
