/**
 * Each bundled playbook walked end to end by the built CLI from its fixture answers file
 * (Vietnamese answers), then read back with `status --json`: every step done or skipped as the
 * file says, every answer, note and checklist kept as given.
 */
import { describe, expect, it } from 'vitest';
import { sandbox, STACK_LINE } from '../support/cli.js';
import { bundledPlaybook } from '../support/playbooks.js';
import { FIXTURE_RUNS, fixtureAnswers, walk } from './fixture-runs.js';

interface StepSummary {
  id: string;
  status: string;
  skipReason: string | null;
  note: string | null;
  checklist: { item: string; checked: boolean }[];
  answers: Record<string, unknown>;
  applicable: boolean;
}

describe('the fixture answers walk every bundled playbook to the end', () => {
  for (const run of FIXTURE_RUNS) {
    it(`${run.playbook} for ${run.account}`, () => {
      const box = sandbox();
      const walked = walk(box, run);
      expect(walked.stderr).toBe('');
      expect(walked.code).toBe(0);
      expect(walked.stdout).toContain(`finished for ${run.account}`);

      const status = box.run(['status', run.account, '--json']);
      expect(status.code).toBe(0);
      const [summary] = JSON.parse(status.stdout) as { status: string; playbook: { id: string }; stepList: StepSummary[] }[];
      expect(summary!.playbook.id).toBe(run.playbook);
      expect(summary!.status).toBe('finished');

      const given = fixtureAnswers(run.playbook);
      // computed values are worked out by cs, never given: they are checked apart
      const computed = new Set(bundledPlaybook(run.playbook).phases.flatMap((phase) => phase.steps.flatMap((step) => (step.fields ?? []).filter((field) => field.type === 'computed').map((field) => `${step.id}.${field.id}`))));
      // the file covers every step of the playbook: none is left to chance
      expect(Object.keys(given).sort()).toEqual(summary!.stepList.map((step) => step.id).sort());
      for (const step of summary!.stepList) {
        const { _skip: skip, _note: note, _checklist: checklist, ...answers } = given[step.id]!;
        if (skip !== undefined) {
          expect(step.status, step.id).toBe('skipped');
          expect(step.skipReason).toBe(skip);
          continue;
        }
        expect(step.applicable, `${step.id} applies`).toBe(true);
        expect(step.status, step.id).toBe('done');
        const kept = Object.fromEntries(Object.entries(step.answers).filter(([field]) => !computed.has(`${step.id}.${field}`)));
        expect(kept, step.id).toEqual(answers);
        expect(step.note ?? undefined).toBe(note);
        if (checklist === true) expect(step.checklist.every((item) => item.checked), step.id).toBe(true);
      }
      expect(status.stderr).not.toMatch(STACK_LINE);
    });
  }
});
