/** `cs status --json`'s text of a run (runJson) is exactly JSON.stringify of its data (runSummary), whatever the run holds and whoever made its commits. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runJson, runSummary } from '../../src/cli/commands/status-json.js';
import { apply, startRun } from '../../src/engine/run.js';
import type { RunEvent, RunState } from '../../src/engine/run.js';
import type { Playbook } from '../../src/playbook/types.js';
import type { CommitRecord, LoadedRun } from '../../src/store/store.js';

const playbook: Playbook = {
  id: 'prop',
  title: 'Kịch bản "thử"',
  kind: 'onboarding',
  version: 2,
  phases: [
    {
      id: 'p1',
      title: 'Tuần 1',
      due: '7d',
      steps: [
        { id: 'a', title: 'Bước A — "gọi"', checklist: ['x', 'Đã gửi \\ email\n', '\u2028lạ'], fields: [{ id: 'f', prompt: 'F?', type: 'text' }] },
        { id: 'b', title: 'Bước B', owner: 'csm', fields: [{ id: 'n', prompt: 'N?', type: 'number', min: 0, max: 10 }] },
      ],
    },
    {
      id: 'p2',
      title: 'Tháng 2',
      due: '1m',
      steps: [
        { id: 'c', title: 'Bước C', checklist: ['một'], when: { field: 'b.n', above: 3 } },
        { id: 'd', title: 'Bước D', due: { after: 'a', in: '3d' } },
      ],
    },
  ],
};

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('Công ty Ánh Dương', '\u001b[31m', '"\\', ''));
const stepIds = fc.constantFrom('a', 'b', 'c', 'd');
const event: fc.Arbitrary<RunEvent> = fc.oneof(
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('a'), fieldId: fc.constant('f'), value: text }),
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('b'), fieldId: fc.constant('n'), value: fc.integer({ min: 0, max: 10 }) }),
  fc.record({ type: fc.constant('tick' as const), stepId: fc.constantFrom('a', 'c'), item: fc.integer({ min: 0, max: 2 }), checked: fc.boolean() }),
  fc.record({ type: fc.constant('complete' as const), stepId: stepIds }),
  fc.record({ type: fc.constant('skip' as const), stepId: stepIds, reason: text }),
  fc.record({ type: fc.constant('note' as const), stepId: stepIds, text }),
  fc.constant({ type: 'finish' as const, on: '2026-03-01' }),
);

const doer = fc.option(fc.constantFrom('lan', 'Nguyễn Thị "Minh"', 'hùng@example.vn'), { nil: null });

function loadedFrom(state: RunState, owner: string | null, updatedAt: string): LoadedRun {
  const finished = state.status === 'finished';
  return {
    run: { id: 7, accountId: 3, accountName: 'Khách "Ánh"', playbookId: playbook.id, playbookVersion: playbook.version, playbookTitle: playbook.title, kind: playbook.kind, owner, startDate: state.startDate, status: state.status, createdAt: '2026-01-01T00:00:00.000Z', updatedAt, finishedAt: finished ? '2026-03-01T00:00:00+07:00' : null },
    state,
    versions: {},
  };
}

describe('runJson', () => {
  it('is JSON.stringify(runSummary(…)) for any run', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(event, doer), { maxLength: 30 }), fc.option(text, { nil: null }), fc.constantFrom('2026-01-05T09:00:00.000Z', '2026-02-20T09:00:00.000Z'), doer, (events, owner, updatedAt, starter) => {
        let state = startRun(playbook, '2026-01-01');
        // the commits as the store records them: a start line, then each event the engine took, with who made it
        const history: CommitRecord[] = [{ at: '2026-01-01T09:00:00.000Z', by: starter, event: 'start', stepId: null, detail: null }];
        for (const [each, by] of events) {
          try {
            state = apply(state, each);
            history.push({ at: '2026-01-02T09:00:00.000Z', by, event: each.type, stepId: 'stepId' in each ? each.stepId : null, detail: each.type === 'answer' ? each.fieldId : null });
          } catch {
            // an event the engine refuses (e.g. completing a finished run) changes nothing
          }
        }
        const loaded = loadedFrom(state, owner, updatedAt);
        for (const now of ['2026-01-01', '2026-01-09', '2026-03-15']) {
          expect(runJson(loaded, now, 14)).toBe(JSON.stringify(runSummary(loaded, now, 14)));
          expect(runJson(loaded, now, 14, 'vi')).toBe(JSON.stringify(runSummary(loaded, now, 14, 'vi')));
          expect(runJson(loaded, now, 14, 'en', history)).toBe(JSON.stringify(runSummary(loaded, now, 14, 'en', history)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
