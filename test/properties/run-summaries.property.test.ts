/**
 * The figures the store keeps per run (run_summaries, read by book-level `cs status` and `cs accounts
 * list`) are what the engine works out from the whole run: after any sequence of commits, imports,
 * shifts (and their undo), handovers and upgrades, on the backend under test, each run's standing
 * (runStanding) equals runSummary's heading of the same run loaded in full, every account's figures
 * equal those counted from its loaded runs, and `db check` finds nothing drifted.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { runStanding, runSummary } from '../../src/cli/commands/status-json.js';
import { accountKey } from '../../src/engine/names.js';
import { apply, progress } from '../../src/engine/run.js';
import type { RunEvent } from '../../src/engine/run.js';
import { parseShiftOffset, planShift } from '../../src/engine/shift.js';
import { upgradeRun } from '../../src/engine/upgrade.js';
import type { Playbook } from '../../src/playbook/types.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { backend, testDatabase } from '../support/backend.js';

function playbook(version: number): Playbook {
  return {
    id: 'prop-summary',
    title: 'Kịch bản thử',
    kind: 'onboarding',
    version,
    phases: [
      {
        id: 'p1',
        title: 'Tuần 1',
        due: '7d',
        steps: [
          { id: 'a', title: 'Bước A', fields: [{ id: 'f', prompt: 'F?', type: 'text' }] },
          { id: 'b', title: 'Bước B', owner: 'csm', handover: 'csm', fields: [{ id: 'n', prompt: 'N?', type: 'number', min: 0, max: 10 }] },
        ],
      },
      {
        id: 'p2',
        title: 'Tháng 2',
        due: '1m',
        steps: [
          { id: 'c', title: 'Bước C', when: { field: 'b.n', above: 3 } },
          { id: 'd', title: 'Bước D', due: { after: 'a', in: '3d' } },
          // version 2 has one step more
          ...(version > 1 ? [{ id: 'e', title: 'Bước E', due: '20d' }] : []),
        ],
      },
    ],
  } as Playbook;
}

const stepIds = fc.constantFrom('a', 'b', 'c', 'd');
const event: fc.Arbitrary<RunEvent> = fc.oneof(
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('a'), fieldId: fc.constant('f'), value: fc.constantFrom('x', 'Ánh') }),
  fc.record({ type: fc.constant('answer' as const), stepId: fc.constant('b'), fieldId: fc.constant('n'), value: fc.integer({ min: 0, max: 10 }) }),
  fc.record({ type: fc.constant('complete' as const), stepId: stepIds }),
  fc.record({ type: fc.constant('skip' as const), stepId: stepIds, reason: fc.constant('không cần') }),
  fc.record({ type: fc.constant('note' as const), stepId: stepIds, text: fc.constant('ghi chú') }),
  fc.constant({ type: 'finish' as const, on: '2026-03-01' }),
);

type Action =
  | { kind: 'event'; run: number; event: RunEvent }
  | { kind: 'import'; starts: string[] }
  | { kind: 'shift'; run: number; offset: string }
  | { kind: 'undo'; run: number }
  | { kind: 'handover'; run: number }
  | { kind: 'upgrade'; run: number };

const run = fc.nat({ max: 5 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('event' as const), run, event }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('import' as const), starts: fc.array(fc.constantFrom('2026-01-01', '2026-01-20', '2026-02-10'), { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('shift' as const), run, offset: fc.constantFrom('+3d', '-1w', '+10d') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undo' as const), run }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('handover' as const), run }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('upgrade' as const), run }) },
);

const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

let imported = 0;

async function perform(store: Store, each: Action): Promise<void> {
  const runs = await store.listRuns();
  const target = runs[('run' in each ? each.run : 0) % Math.max(1, runs.length)];
  if (each.kind === 'import') {
    const rows = each.starts.map((startDate, index) => {
      const name = `Khách nhập ${(imported += 1)}`;
      return { line: index + 2, name, key: accountKey(name), owner: 'lan', playbook: playbook(1), startDate, startGiven: true, fields: { csm: 'minh' }, record: null };
    });
    await store.importBook(rows);
    return;
  }
  if (!target) return;
  const loaded = (await store.loadRun(target.id))!;
  switch (each.kind) {
    case 'event':
      try {
        apply(loaded.state, each.event); // an event the engine refuses is not committed
      } catch {
        return;
      }
      await store.commit(target.id, each.event);
      return;
    case 'shift': {
      if (loaded.run.status !== 'open') return;
      const moves = planShift(loaded.state, parseShiftOffset(each.offset), undefined);
      if (moves.length > 0) await store.shiftDueDates(target.id, { offset: each.offset, moves });
      return;
    }
    case 'undo':
      await store.undoShift([target.id]);
      return;
    case 'handover':
      await store.handOver(target.id, 'hùng');
      return;
    case 'upgrade':
      if (loaded.run.status !== 'open' || loaded.run.playbookVersion > 1) return;
      await store.upgradeRun(target.id, upgradeRun(loaded.state, playbook(2)).state);
      return;
  }
}

/** runSummary's heading: what book-level status prints of a run. */
function heading(summary: ReturnType<typeof runSummary>) {
  const { stepList: _steps, answers: _answers, ...rest } = summary;
  return rest;
}

describe(`run summaries (${backend})`, () => {
  it('equal what the engine works out from each whole run, after any writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: backend === 'postgres' ? 20 : 25 }), async (actions) => {
        const store = openStore(testDatabase());
        open.push(store);
        const account = await store.ensureAccount('Công ty Ánh Dương', 'lan');
        await store.setAccountField(account.id, 'csm', 'minh');
        await store.createRun(account, playbook(1), { startDate: '2026-01-05' });
        for (const each of actions) await perform(store, each);
        for (const today of ['2026-01-01', '2026-01-15', '2026-03-20']) {
          const standings = await store.runStandings(today);
          const runs = await store.listRuns();
          expect(standings.map((each) => each.run)).toEqual(runs);
          const loaded = await store.loadRuns(runs.map((each) => each.id));
          for (const [index, standing] of standings.entries()) {
            expect(runStanding(standing, today, 14)).toEqual(heading(runSummary(loaded[index]!, today, 14)));
            expect(runStanding(standing, today, 14, 'vi')).toEqual(heading(runSummary(loaded[index]!, today, 14, 'vi')));
          }
          // each account: its open runs, the earliest due date of their open steps, and how many are overdue
          for (const summary of await store.accountSummaries(today)) {
            const mine = loaded.filter((each) => each.run.accountId === summary.id && each.run.status === 'open');
            const dues = mine.flatMap((each) => each.state.steps.filter((step) => step.status === 'open' && step.applicable !== false && step.due !== '').map((step) => step.due)).sort();
            expect({ openRuns: summary.openRuns, nextDue: summary.nextDue, overdue: summary.overdue }).toEqual({
              openRuns: mine.length,
              nextDue: dues[0] ?? null,
              overdue: mine.reduce((sum, each) => sum + progress(each.state, today).overdue, 0),
            });
          }
        }
        expect((await store.check()).problems).toEqual([]);
      }),
      { numRuns: backend === 'postgres' ? 20 : 60 },
    );
  }, 240_000);
});
