/** What a person must see when cs refuses or fails: the documented exit code, a message that says what is wrong and what to do, never a trace. */
import { expect } from 'vitest';
import { STACK_LINE } from './cli.js';
import type { CliResult } from './cli.js';

/** Signs of an error that escaped the one place (src/cli/main.ts) that explains errors to people. */
export const LEAKS = [STACK_LINE, /node:internal/, /unexpected error|This is a bug in cs/, /^\s*(?:[A-Z]\w*)?Error: /m, /\bERR_[A-Z_]+\b/];

export function expectNoLeak(result: CliResult): void {
  const output = `${result.stdout}\n${result.stderr}`;
  for (const leak of LEAKS) expect(output, `the output leaks an internal error (${leak})`).not.toMatch(leak);
}

/** Exit `code` (2 by default), every pattern in stderr, and nothing internal anywhere. */
export function expectRefusal(result: CliResult, messages: RegExp[], code = 2): void {
  const shown = `exit ${result.code ?? result.signal} after ${Math.round(result.ms)} ms\nstderr:\n${result.stderr}\nstdout:\n${result.stdout.slice(0, 2000)}`;
  expect(result.code, shown).toBe(code);
  for (const message of messages) expect(result.stderr, shown).toMatch(message);
  expectNoLeak(result);
}
