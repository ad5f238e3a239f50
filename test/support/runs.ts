/**
 * What a run should hold, and what it does hold:
 * - `cs status --json`, typed;
 * - what an answers file (test/fixtures/answers/*.yaml) says each step must end up with;
 * - the `saved {json}` lines CS_TRACE=commits prints after each committed transition, and a check
 *   that every one of them is in the database.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { expect } from 'vitest';
import { STACK_LINE } from './cli.js';
import type { CliResult, Sandbox } from './cli.js';
import { answerKey } from './db.js';
import type { StoredRun } from './db.js';
import { FIXTURES } from './playbooks.js';

export interface StepJson {
  id: string;
  status: 'open' | 'done' | 'skipped';
  skipReason: string | null;
  note: string | null;
  checklist: { item: string; checked: boolean }[];
  answers: Record<string, unknown>;
}

export interface RunJson {
  id: number;
  account: string;
  playbook: { id: string; title: string; version: number; kind: string };
  owner: string | null;
  status: 'open' | 'finished';
  steps: { total: number; done: number; skipped: number; open: number; overdue: number };
  stepList: StepJson[];
  answers: Record<string, Record<string, unknown>>;
}

/** Fails with the output in the message unless `result` is a clean success. */
export function expectSuccess(result: CliResult, what = 'cs'): void {
  expect(result.code, `${what} exited ${result.code ?? result.signal}\nstderr:\n${result.stderr}\nstdout:\n${result.stdout.slice(-2000)}`).toBe(0);
  expect(result.stderr).not.toMatch(STACK_LINE);
}

/** The runs `cs status [account] --json` prints. */
export function parseStatus(result: CliResult): RunJson[] {
  expectSuccess(result, 'cs status --json');
  return JSON.parse(result.stdout) as RunJson[];
}

export function statusJson(box: Sandbox, account?: string): RunJson[] {
  // the whole book with every step (--full), as one account's status has it
  return parseStatus(box.run(['status', ...(account === undefined ? ['--full'] : [account]), '--json']));
}

/** The answers file of a bundled playbook: test/fixtures/answers/<id>.yaml. */
export function answersFile(playbookId: string): string {
  return join(FIXTURES, 'answers', `${playbookId}.yaml`);
}

/** The bundled playbooks that have an answers file, the default of its kind first. */
export const BUNDLED_WITH_ANSWERS = ['onboarding-30d', 'onboarding-90d', 'proserv-onboarding', 'churn-response', 'winback-followup', 'customer-advocacy'] as const;

/** What an answers file says a finished run holds, step by step. */
export interface Expected {
  answers: Record<string, Record<string, unknown>>;
  notes: Record<string, string>;
  skips: Record<string, string>;
  /** Steps whose checklist the file ticks: every item (`true`) or these 1-based item numbers. */
  checklists: Record<string, true | number[]>;
}

export function expectedFrom(path: string): Expected {
  const data = parseYaml(readFileSync(path, 'utf8')) as Record<string, Record<string, unknown> | null>;
  const expected: Expected = { answers: {}, notes: {}, skips: {}, checklists: {} };
  for (const [stepId, given] of Object.entries(data)) {
    for (const [key, value] of Object.entries(given ?? {})) {
      if (key === '_note') expected.notes[stepId] = value as string;
      else if (key === '_skip') expected.skips[stepId] = value as string;
      else if (key === '_checklist') {
        if (value !== false) expected.checklists[stepId] = value as true | number[];
      } else (expected.answers[stepId] ??= {})[key] = value;
    }
  }
  return expected;
}

/** A finished run holds exactly what the answers file gave: answers, notes, skips, ticks. */
export function expectRunMatches(run: RunJson, expected: Expected, label = `run #${run.id} of ${run.account}`): void {
  expect(run.status, `${label}: status`).toBe('finished');
  expect(run.answers, `${label}: answers`).toStrictEqual(expected.answers);
  for (const step of run.stepList) {
    expect(step.note, `${label}: note of ${step.id}`).toBe(expected.notes[step.id] ?? null);
    const skip = expected.skips[step.id];
    expect(step.status, `${label}: status of ${step.id}`).toBe(skip === undefined ? 'done' : 'skipped');
    if (skip !== undefined) expect(step.skipReason).toBe(skip);
    const ticks = expected.checklists[step.id];
    if (skip === undefined) {
      const wanted = step.checklist.map((_, index) => ticks === true || (Array.isArray(ticks) && ticks.includes(index + 1)));
      expect(step.checklist.map((item) => item.checked), `${label}: checklist of ${step.id}`).toStrictEqual(wanted);
    }
  }
}

/** One transition, as `saved {json}` reports it. */
export type SavedEvent =
  | { type: 'answer'; stepId: string; fieldId: string; value: unknown }
  | { type: 'clear'; stepId: string; fieldId: string }
  | { type: 'tick'; stepId: string; item: number; checked: boolean }
  | { type: 'note'; stepId: string; text: string }
  | { type: 'skip'; stepId: string; reason: string }
  | { type: 'complete'; stepId: string }
  | { type: 'finish' };

/** The events acknowledged in `stderr`: only whole lines (a line cut by a kill was never acknowledged). */
export function savedEvents(stderr: string): SavedEvent[] {
  const whole = stderr.slice(0, stderr.lastIndexOf('\n') + 1);
  return whole
    .split('\n')
    .filter((line) => line.startsWith('saved '))
    .map((line) => JSON.parse(line.slice('saved '.length)) as SavedEvent);
}

/**
 * Each acknowledged event that the stored run does not reflect, described (empty: all kept). Later
 * events win over earlier ones on the same answer, item or note.
 */
export function eventsNotKept(events: SavedEvent[], run: StoredRun | undefined): string[] {
  if (events.length === 0) return [];
  if (!run) return [`no run in the database, but ${events.length} event(s) were acknowledged, the first ${JSON.stringify(events[0])}`];
  const last = new Map<string, SavedEvent>();
  for (const event of events) {
    const key =
      event.type === 'answer' || event.type === 'clear'
        ? `answer:${event.stepId}:${event.fieldId}`
        : event.type === 'tick'
          ? `tick:${event.stepId}:${event.item}`
          : event.type === 'finish'
            ? 'finish'
            : event.type === 'note'
              ? `note:${event.stepId}`
              : `status:${event.stepId}`;
    last.set(key, event);
  }
  const missing: string[] = [];
  for (const event of last.values()) {
    const step = 'stepId' in event ? run.steps.get(event.stepId) : undefined;
    const kept = (() => {
      switch (event.type) {
        case 'answer':
          return JSON.stringify(run.answers.get(answerKey(event.stepId, event.fieldId))) === JSON.stringify(event.value);
        case 'clear':
          return !run.answers.has(answerKey(event.stepId, event.fieldId));
        case 'tick':
          return step !== undefined && step.checked.includes(event.item) === event.checked;
        case 'note':
          return step?.note === event.text;
        case 'skip':
          return step?.status === 'skipped' && step.skipReason === event.reason;
        case 'complete':
          return step?.status === 'done';
        case 'finish':
          return run.status === 'finished';
      }
    })();
    if (!kept) missing.push(`${JSON.stringify(event)} is not in run #${run.id}`);
  }
  return missing;
}
