/**
 * Properties of the run state machine: whatever sequence of operations a person performs —
 * answer, skip, back, note, quit and resume — the run stays consistent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsError } from '../../src/errors.js';
import { applyToStored, sameValue, targetOf, valueAt } from '../../src/engine/merge.js';
import { apply, firstOpenIndex, progress, restoreRun, startRun } from '../../src/engine/run.js';
import type { RunEvent, RunState } from '../../src/engine/run.js';
import type { Playbook } from '../../src/playbook/types.js';

const playbook: Playbook = {
  id: 'prop',
  title: 'Property playbook',
  kind: 'other',
  version: 1,
  phases: [
    {
      id: 'p1',
      title: 'Tuần 1',
      due: '7d',
      steps: [
        { id: 'a', title: 'Bước A', checklist: ['x', 'y'], fields: [{ id: 'f', prompt: 'F?', type: 'text', required: true }] },
        { id: 'b', title: 'Bước B', fields: [{ id: 'n', prompt: 'N?', type: 'number', min: 0, max: 10 }] },
      ],
    },
    {
      id: 'p2',
      title: 'Tháng 2',
      due: '1m',
      steps: [
        { id: 'c', title: 'Bước C', fields: [{ id: 's', prompt: 'S?', type: 'select', choices: ['tốt', 'xấu'], required: true }] },
        { id: 'd', title: 'Bước D' },
      ],
    },
  ],
};

type Operation = RunEvent | { type: 'quit-and-resume' };

const stepIds = fc.constantFrom('a', 'b', 'c', 'd');
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('a'), fieldId: fc.constant('f'), value: fc.oneof(fc.string(), fc.constant('Công ty Ánh Dương')) }),
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('b'), fieldId: fc.constant('n'), value: fc.integer({ min: -3, max: 13 }) }),
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('c'), fieldId: fc.constant('s'), value: fc.constantFrom('tốt', 'xấu', 'khác') }),
  fc.record({ type: fc.constant('tick' as const), stepId: fc.constant('a'), item: fc.integer({ min: -1, max: 2 }), checked: fc.boolean() }),
  fc.record({ type: fc.constant('complete' as const), stepId: stepIds }),
  fc.record({ type: fc.constant('skip' as const), stepId: stepIds, reason: fc.constantFrom('', 'khách nghỉ Tết', '  ') }),
  fc.record({ type: fc.constant('back' as const), stepId: stepIds }),
  fc.record({ type: fc.constant('note' as const), stepId: stepIds, text: fc.string() }),
  fc.constant({ type: 'finish' as const }),
  fc.constant({ type: 'quit-and-resume' as const }),
);

/** What a store would keep of a state, and what resuming from it gives back. */
function quitAndResume(state: RunState): RunState {
  const saved = new Map(state.steps.map(({ id: _id, phaseId: _phase, index: _index, ...rest }) => [_id, structuredClone(rest)]));
  return restoreRun(state.playbook, state.startDate, state.status, saved);
}

function run(operations: Operation[]): { state: RunState; accepted: number } {
  let state = startRun(playbook, '2026-01-31');
  let accepted = 0;
  for (const op of operations) {
    if (op.type === 'quit-and-resume') {
      state = quitAndResume(state);
      continue;
    }
    try {
      const before = JSON.stringify(state);
      const next = apply(state, op);
      expect(JSON.stringify(state)).toBe(before); // the previous state is never mutated
      state = next;
      accepted += 1;
    } catch (error) {
      expect(error).toBeInstanceOf(CsError); // refusals are user errors, never crashes
      expect((error as CsError).exitCode).toBe(2);
    }
  }
  return { state, accepted };
}

describe('run state machine properties', () => {
  it('stays consistent under any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        const { state } = run(operations);
        const counts = progress(state, '2026-02-15');
        // every step has exactly one status, and the counts add up
        expect(counts.done + counts.skipped + counts.open).toBe(state.steps.length);
        expect(new Set(state.steps.map((step) => step.id)).size).toBe(state.steps.length);
        for (const step of state.steps) {
          expect(['open', 'done', 'skipped']).toContain(step.status);
          if (step.status === 'skipped') expect(step.skipReason?.trim()).toBeTruthy();
          if (step.status !== 'skipped') expect(step.skipReason).toBeUndefined();
        }
        // a done step has its required answers
        const a = state.steps.find((step) => step.id === 'a')!;
        if (a.status === 'done') expect(String(a.answers.f ?? '').trim()).not.toBe('');
        // answers are always valid for their field
        const n = state.steps.find((step) => step.id === 'b')!.answers.n;
        if (n !== undefined) expect(n).toSatisfy((value: number) => value >= 0 && value <= 10);
        expect(['tốt', 'xấu', undefined]).toContain(state.steps.find((step) => step.id === 'c')!.answers.s);
        // a finished run has no open step
        if (state.status === 'finished') expect(counts.open).toBe(0);
        // resume position: the first open step
        const resumed = quitAndResume(state);
        expect(resumed.cursor).toBe(firstOpenIndex(state.steps));
        expect(resumed.steps).toEqual(state.steps);
        expect(counts.next?.state.id).toBe(state.steps.find((step) => step.status === 'open')?.id);
      }),
      { numRuns: 500 },
    );
  });

  it('due dates never depend on the order of operations', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 20 }), (operations) => {
        const { state } = run(operations);
        expect(state.steps.map((step) => step.due)).toEqual(['2026-02-07', '2026-02-07', '2026-02-28', '2026-02-28']);
      }),
      { numRuns: 200 },
    );
  });

  // Two walks of one run, each committing its own events against what it last read (and reading the
  // stored run again after each of its commits), in any interleaving: what is stored is exactly the
  // accepted events applied in commit order (nothing another walk committed vanishes), and a conflict
  // is reported only when the very thing an event changes was changed by the other walk meanwhile.
  it('two walks interleaved: no lost update, and a conflict only on a real concurrent change', () => {
    const walkEvent = fc.tuple(fc.constantFrom(0, 1), operation.filter((op): op is RunEvent => op.type !== 'quit-and-resume' && op.type !== 'back'));
    fc.assert(
      fc.property(fc.array(walkEvent, { maxLength: 40 }), (events) => {
        let stored = startRun(playbook, '2026-01-31');
        let replay = stored;
        const views = [stored, stored];
        for (const [walk, event] of events) {
          const seen = 'stepId' in event ? views[walk]!.steps.find((step) => step.id === event.stepId) : undefined;
          let outcome;
          try {
            outcome = applyToStored(stored, event, seen);
          } catch (error) {
            expect(error).toBeInstanceOf(CsError);
            continue;
          }
          if (outcome.conflict) {
            const target = targetOf(event)!;
            const now = stored.steps.find((step) => step.id === outcome.conflict!.stepId)!;
            expect(sameValue(valueAt(seen!, target), valueAt(now, target)), 'a conflict needs a change made meanwhile').toBe(false);
            expect(outcome.next).toBe(stored);
          } else {
            replay = apply(replay, event);
            stored = outcome.next;
          }
          expect(stored.steps).toEqual(replay.steps);
          views[walk] = stored;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('ticks of different items by two walks never conflict, and all of them are kept', () => {
    // walk 0 ticks (or unticks) item 0, walk 1 item 1, from views that are stale in between
    const tick = fc.record({ walk: fc.constantFrom(0, 1), checked: fc.boolean() });
    fc.assert(
      fc.property(fc.array(tick, { maxLength: 20 }), (ticks) => {
        let stored = startRun(playbook, '2026-01-31');
        const views = [stored, stored];
        const last = new Map<number, boolean>();
        for (const { walk, checked } of ticks) {
          const outcome = applyToStored(stored, { type: 'tick', stepId: 'a', item: walk, checked }, views[walk]!.steps[0]);
          expect(outcome.conflict).toBeUndefined();
          stored = outcome.next;
          views[walk] = stored;
          last.set(walk, checked);
        }
        expect(stored.steps[0]!.checked).toEqual([0, 1].filter((item) => last.get(item)));
      }),
      { numRuns: 300 },
    );
  });
});
