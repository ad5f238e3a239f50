/** Exit codes of the contract (PRODUCT.md): one table, used everywhere. */
import { t } from './i18n/messages.js';
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  interrupted: 130,
  /** Stopped by SIGHUP (the terminal closed) or SIGTERM: 128 + the signal's number, as shells report it. */
  hangup: 129,
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CsErrorOptions {
  exitCode?: ExitCode;
  /** Extra lines printed under the message (one problem each). */
  details?: string[];
  /** What the user can do next, printed last. */
  hint?: string;
  cause?: unknown;
}

/**
 * The one error type of cs. Domain code throws it; src/cli/main.ts is the one place that turns it
 * into a message on stderr and an exit code. Anything else reaching that place is a bug.
 */
export class CsError extends Error {
  readonly exitCode: ExitCode;
  readonly details: string[];
  readonly hint?: string;

  constructor(message: string, options: CsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CsError';
    this.exitCode = options.exitCode ?? EXIT.failure;
    this.details = options.details ?? [];
    this.hint = options.hint;
  }
}

/** Bad usage or bad input: exit 2. */
export function inputError(message: string, options: Omit<CsErrorOptions, 'exitCode'> = {}): CsError {
  return new CsError(message, { ...options, exitCode: EXIT.usage });
}

/** A failure at run time (disk, database, environment): exit 1. */
export function runtimeError(message: string, options: Omit<CsErrorOptions, 'exitCode'> = {}): CsError {
  return new CsError(message, { ...options, exitCode: EXIT.failure });
}

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

const STOP_CODES = { SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated, SIGHUP: EXIT.hangup } as const;

/**
 * Ctrl-C, SIGTERM or SIGHUP: everything already given is saved; exit 130 (SIGINT), 143 (SIGTERM)
 * or 129 (SIGHUP) with a hint to resume.
 */
export function interrupted(hint?: string, signal: StopSignal = 'SIGINT'): CsError {
  return new CsError(t('walk.stopped'), { exitCode: STOP_CODES[signal], hint });
}

/** The error of a stop (interrupted()), whichever signal caused it. */
export function isStop(error: unknown): boolean {
  return error instanceof CsError && Object.values(STOP_CODES).includes(error.exitCode as 130);
}

/** The same stop, with the hint that says how to go on. */
export function withStopHint(error: CsError, hint: string): CsError {
  return new CsError(error.message, { exitCode: error.exitCode, hint });
}
