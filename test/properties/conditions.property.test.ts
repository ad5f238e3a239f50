/**
 * Properties of the v2 run: conditions, after:/from: anchors, computed fields and action items. Any
 * sequence of events keeps a run consistent; a step that does not apply is never pending (so never
 * on the agenda); changing an answer re-evaluates exactly the steps that depend on it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsError } from '../../src/errors.js';
import { conditionReferences } from '../../src/engine/conditions.js';
import { apply, firstOpenIndex, isPending, progress, restoreRun, startRun } from '../../src/engine/run.js';
import type { RunEvent, RunState } from '../../src/engine/run.js';
import type { Playbook } from '../../src/playbook/types.js';

const playbook: Playbook = {
  id: 'prop-v2',
  title: 'Property playbook v2',
  kind: 'churn',
  version: 2,
  phases: [
    {
      id: 'p1',
      title: 'Closeout',
      steps: [
        {
          id: 'notice',
          title: 'Notice',
          fields: [
            { id: 'date', prompt: 'When?', type: 'date' },
            { id: 'fix', prompt: 'Remote fix?', type: 'select', choices: [{ value: 'worked', label: 'Worked' }, { value: 'failed', label: 'Failed' }] },
          ],
        },
        { id: 'visit', title: 'On-site visit', when: { field: 'notice.fix', is: 'failed' }, due: { after: 'notice', in: '2bd' } },
        { id: 'last', title: 'Last support', due: { from: 'notice.date', in: '1w' } },
        {
          id: 'nps',
          title: 'NPS',
          fields: [
            { id: 'score', prompt: 'Score', type: 'number', min: 0, max: 10 },
            { id: 'band', prompt: 'Band', type: 'computed', from: 'score', cases: [{ below: 7, value: 'detractor' }, { below: 9, value: 'passive' }, { value: 'promoter' }] },
          ],
        },
        { id: 'follow', title: 'Detractor follow-up', when: { field: 'nps.band', is: 'detractor' }, due: { after: 'nps', in: '2bd' } },
        { id: 'pm', title: 'Post-mortem', when: { any: [{ field: 'notice.fix', is: 'failed' }, { not: { field: 'nps.score', above: 8 } }] }, fields: [{ id: 'actions', prompt: 'Actions', type: 'actions' }] },
      ],
    },
  ],
};

type Operation = RunEvent | { type: 'quit-and-resume' };
const stepIds = fc.constantFrom('notice', 'visit', 'last', 'nps', 'follow', 'pm');
const day = fc.integer({ min: 0, max: 60 }).map((offset) => new Date(Date.UTC(2027, 0, 1 + offset)).toISOString().slice(0, 10));
const item = fc.record({ what: fc.constantFrom('Xuất danh bạ', 'Chuyển IP số', ' '), who: fc.option(fc.constantFrom('Lan', 'Minh'), { nil: undefined }), due: fc.option(day, { nil: undefined }) }, { requiredKeys: ['what'] });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('notice'), fieldId: fc.constant('date'), value: day }),
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('notice'), fieldId: fc.constant('fix'), value: fc.constantFrom('worked', 'failed', 'Failed') }),
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('nps'), fieldId: fc.constant('score'), value: fc.integer({ min: -1, max: 11 }) }),
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('nps'), fieldId: fc.constant('band'), value: fc.constant('promoter') }),
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('pm'), fieldId: fc.constant('actions'), value: fc.array(item, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('action' as const), stepId: fc.constant('pm'), fieldId: fc.constant('actions'), n: fc.integer({ min: 0, max: 3 }), done: fc.boolean() }),
  fc.record({ type: fc.constant('clear' as const), stepId: fc.constant('notice'), fieldId: fc.constantFrom('date', 'fix') }),
  fc.record({ type: fc.constant('complete' as const), stepId: stepIds, on: fc.option(day, { nil: undefined }) }),
  fc.record({ type: fc.constant('skip' as const), stepId: stepIds, reason: fc.constantFrom('', 'khách nghỉ Tết'), on: fc.option(day, { nil: undefined }) }),
  fc.record({ type: fc.constant('back' as const), stepId: stepIds }),
  fc.constant({ type: 'finish' as const }),
  fc.constant({ type: 'quit-and-resume' as const }),
);

function quitAndResume(state: RunState): RunState {
  const saved = new Map(state.steps.map(({ id, phaseId: _phase, index: _index, ...rest }) => [id, structuredClone(rest)]));
  return restoreRun(state.playbook, state.startDate, state.status, saved);
}

function play(operations: Operation[], check?: (before: RunState, event: RunEvent, after: RunState) => void): RunState {
  let state = startRun(playbook, '2027-01-04');
  for (const op of operations) {
    if (op.type === 'quit-and-resume') {
      state = quitAndResume(state);
      continue;
    }
    try {
      const before = JSON.stringify(state);
      const next = apply(state, op);
      expect(JSON.stringify(state)).toBe(before);
      check?.(state, op, next);
      state = next;
    } catch (error) {
      expect(error).toBeInstanceOf(CsError);
      expect((error as CsError).exitCode).toBe(2);
    }
  }
  return state;
}

const step = (state: RunState, id: string) => state.steps.find((each) => each.id === id)!;

describe('v2 run properties', () => {
  it('any sequence of events keeps a run consistent', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        const state = play(operations);
        const counts = progress(state, '2027-02-01');
        expect(counts.done + counts.skipped + counts.open + counts.notApplicable).toBe(state.steps.length);
        // applicability is exactly what the conditions say of the answers
        const fix = step(state, 'notice').answers.fix;
        expect(step(state, 'visit').applicable).toBe(fix === 'failed');
        const score = step(state, 'nps').answers.score as number | undefined;
        // the computed band always follows the score, and is never given by hand
        const band = score === undefined ? undefined : score < 7 ? 'detractor' : score < 9 ? 'passive' : 'promoter';
        expect(step(state, 'nps').answers.band).toBe(band);
        expect(step(state, 'follow').applicable).toBe(band === 'detractor');
        expect(step(state, 'pm').applicable).toBe(fix === 'failed' || !(score !== undefined && score > 8));
        // an anchored date waits until its anchor is known, then follows it
        const notice = step(state, 'notice');
        const date = notice.answers.date as string | undefined;
        expect(step(state, 'last').due).toBe(date === undefined ? '' : new Date(Date.parse(`${date}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10));
        if (notice.status === 'open') expect(step(state, 'visit').due).toBe('');
        // every action item has something to do
        const items = (step(state, 'pm').answers.actions ?? []) as { what: string }[];
        for (const each of items) expect(each.what.trim()).not.toBe('');
        // resuming gives the same run back
        const resumed = quitAndResume(state);
        expect(resumed.steps).toEqual(state.steps);
        expect(resumed.cursor).toBe(firstOpenIndex(state.steps));
        if (state.status === 'finished') expect(counts.open).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it('a step that does not apply is never pending, never next, never overdue', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        const state = play(operations);
        const counts = progress(state, '2099-01-01');
        for (const each of state.steps) if (!each.applicable) expect(isPending(each)).toBe(false);
        if (counts.next) expect(counts.next.state.applicable).toBe(true);
        const overdueApplicable = state.steps.filter((each) => each.applicable && each.status === 'open' && each.due !== '').length;
        expect(counts.overdue).toBe(overdueApplicable);
      }),
      { numRuns: 300 },
    );
  });

  it('changing an answer re-evaluates exactly the steps that depend on it', () => {
    // which steps a field's answer can change: by their condition, their from: anchor, or a computed field in between
    const dependents: Record<string, string[]> = { 'notice.fix': ['visit', 'pm'], 'notice.date': ['last'], 'nps.score': ['nps', 'follow', 'pm'] };
    expect(conditionReferences(playbook.phases[0]!.steps[5]!.when!, 'pm').map((ref) => (ref.kind === 'field' ? `${ref.stepId}.${ref.fieldId}` : ref.name))).toEqual(['notice.fix', 'nps.score']);
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
        play(operations, (before, event, after) => {
          if (event.type !== 'answer' && event.type !== 'clear') return;
          const changed = `${event.stepId}.${event.fieldId}`;
          const mayChange = new Set([event.stepId, ...(dependents[changed] ?? [])]);
          for (const [index, was] of before.steps.entries()) {
            if (mayChange.has(was.id)) continue;
            expect(after.steps[index]).toEqual(was);
          }
        });
      }),
      { numRuns: 400 },
    );
  });
});
