/** The run state machine (src/engine/run.ts) as pure functions, and the date arithmetic under it. */
import { describe, expect, it } from 'vitest';
import { inputRefusal } from '../support/errors.js';
import { addOffset, daysBetween, isIsoDate, parseDate } from '../../src/engine/dates.js';
import { answerProblem } from '../../src/engine/answers.js';
import { apply, firstOpenIndex, flattenSteps, missingRequired, progress, restoreRun, startRun } from '../../src/engine/run.js';
import type { RunEvent, RunState, StepState } from '../../src/engine/run.js';
import type { Playbook } from '../../src/playbook/types.js';
import { deepFreeze, fixturePlaybook } from '../support/playbooks.js';

const playbook = deepFreeze(fixturePlaybook('walk-test'));
const DAY0 = '2026-11-26';

function fresh(start = DAY0): RunState {
  return deepFreeze(startRun(playbook, start));
}

/** Applies events in order; every intermediate state is frozen, so a mutation anywhere throws. */
function play(state: RunState, ...events: RunEvent[]): RunState {
  return events.reduce((current, event) => deepFreeze(apply(current, event)), state);
}

/** A playbook of one phase with these steps, made in code. */
function onePhase(steps: Playbook['phases'][number]['steps']): Playbook {
  return deepFreeze({ id: 'bare', title: 'Bare', kind: 'other', version: 1, phases: [{ id: 'p', title: 'P', steps }] });
}

function expectRefused(state: RunState, event: RunEvent, message: string | RegExp): void {
  const before = JSON.stringify(state);
  const error = inputRefusal(() => apply(state, event));
  expect(error.message).toMatch(message);
  expect(JSON.stringify(state)).toBe(before);
}

const answerKickoff: RunEvent[] = [
  { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Giảm 30% thời gian xử lý yêu cầu' },
  { type: 'complete', stepId: 'kickoff' },
];
const answerSetup: RunEvent[] = [
  { type: 'answer', stepId: 'setup', fieldId: 'ready', value: true },
  { type: 'complete', stepId: 'setup' },
];

describe('addOffset and calendar dates', () => {
  it.each([
    ['2026-11-26', '0d', '2026-11-26'],
    ['2026-11-26', '5d', '2026-12-01'],
    ['2026-12-30', '5d', '2027-01-04'],
    ['2028-02-28', '1d', '2028-02-29'],
    ['2027-02-28', '1d', '2027-03-01'],
    ['2026-02-23', '1w', '2026-03-02'],
    ['2026-11-26', '2w', '2026-12-10'],
    ['2026-11-26', '1m', '2026-12-26'],
    ['2026-12-15', '1m', '2027-01-15'],
    ['2026-01-31', '1m', '2026-02-28'],
    ['2028-01-31', '1m', '2028-02-29'],
    ['2026-03-31', '1m', '2026-04-30'],
    ['2026-11-30', '3m', '2027-02-28'],
    ['2024-02-29', '12m', '2025-02-28'],
    ['2024-02-29', '48m', '2028-02-29'],
    ['2026-08-31', '18m', '2028-02-29'],
    ['2026-11-26', '365d', '2027-11-26'],
  ])('%s + %s = %s', (date, offset, expected) => {
    expect(addOffset(date, offset)).toBe(expected);
  });

  it('refuses an offset or a date it cannot read', () => {
    expect(() => addOffset('2026-11-26', '7x')).toThrow(/invalid/);
    expect(() => addOffset('2026-02-30', '1d')).toThrow(/invalid/);
  });

  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2026-02-30', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-1-5', false],
    ['26-11-26', false],
    ['2026-11-26T00:00', false],
  ])('isIsoDate(%s) is %s', (date, real) => {
    expect(isIsoDate(date)).toBe(real);
  });

  it('parseDate names what it was given', () => {
    const error = inputRefusal(() => parseDate('2026-02-30', '--start'));
    expect(error.message).toBe('--start: 2026-02-30 is not a real date: February 2026 has 28 days');
  });

  it('daysBetween counts whole days across month and year ends', () => {
    expect(daysBetween('2026-11-26', '2026-12-01')).toBe(5);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2028-03-01', '2028-02-28')).toBe(-2);
  });
});

describe('startRun', () => {
  it('lays out every step, open, with due dates from the step or else its phase', () => {
    const state = fresh();
    expect(state.status).toBe('open');
    expect(state.startDate).toBe(DAY0);
    expect(state.cursor).toBe(0);
    expect(state.steps.map(({ id, phaseId, index, due, status }) => ({ id, phaseId, index, due, status }))).toEqual([
      { id: 'kickoff', phaseId: 'week-1', index: 0, due: '2026-11-28', status: 'open' }, // step due 2d
      { id: 'setup', phaseId: 'week-1', index: 1, due: '2026-12-03', status: 'open' }, // phase due 7d
      { id: 'handover', phaseId: 'month-1', index: 2, due: '2026-12-26', status: 'open' }, // phase due 1m
    ]);
    for (const step of state.steps) {
      expect(step.answers).toEqual({});
      expect(step.checked).toEqual([]);
    }
  });

  it('a month offset from the 31st of January ends on the last day of February', () => {
    expect(fresh('2026-01-31').steps.map((step) => step.due)).toEqual(['2026-02-02', '2026-02-07', '2026-02-28']);
    expect(fresh('2028-01-31').steps.map((step) => step.due)).toEqual(['2028-02-02', '2028-02-07', '2028-02-29']);
  });

  it('a step without a due date in a phase without one is due on day 0', () => {
    const bare = onePhase([{ id: 'a', title: 'A' }, { id: 'b', title: 'B', due: '2w' }]);
    expect(startRun(bare, '2026-11-26').steps.map((step) => step.due)).toEqual(['2026-11-26', '2026-12-10']);
  });

  it('flattenSteps keeps the playbook order across phases', () => {
    expect(flattenSteps(playbook).map(({ def, phase }) => `${phase.id}/${def.id}`)).toEqual(['week-1/kickoff', 'week-1/setup', 'month-1/handover']);
  });
});

describe('answer', () => {
  it('keeps a valid answer of every type', () => {
    const state = play(
      fresh(),
      { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Khách hàng cần báo cáo hằng tuần' },
      { type: 'answer', stepId: 'kickoff', fieldId: 'health', value: 'ok' },
      { type: 'answer', stepId: 'kickoff', fieldId: 'seats', value: 500 },
      { type: 'answer', stepId: 'setup', fieldId: 'ready', value: false },
      { type: 'answer', stepId: 'setup', fieldId: 'go-live', value: '2028-02-29' },
      { type: 'answer', stepId: 'setup', fieldId: 'modules', value: ['crm', 'support'] },
    );
    expect(state.steps[0]!.answers).toEqual({ goals: 'Khách hàng cần báo cáo hằng tuần', health: 'ok', seats: 500 });
    expect(state.steps[1]!.answers).toEqual({ ready: false, 'go-live': '2028-02-29', modules: ['crm', 'support'] });
    expect(state.steps.every((step) => step.status === 'open')).toBe(true);
  });

  it('a later answer replaces the earlier one', () => {
    const state = play(
      fresh(),
      { type: 'answer', stepId: 'kickoff', fieldId: 'health', value: 'great' },
      { type: 'answer', stepId: 'kickoff', fieldId: 'health', value: 'worrying' },
    );
    expect(state.steps[0]!.answers).toEqual({ health: 'worrying' });
  });

  it.each<[string, string, unknown, string | RegExp]>([
    ['kickoff', 'seats', 0, 'kickoff.seats: must be at least 1; got 0'],
    ['kickoff', 'seats', 501, 'kickoff.seats: must be at most 500; got 501'],
    ['kickoff', 'seats', '7', 'kickoff.seats: expected a number; got "7"'],
    ['kickoff', 'seats', Number.NaN, /^kickoff\.seats: expected a number; got /],
    ['kickoff', 'seats', Number.POSITIVE_INFINITY, /^kickoff\.seats: expected a number; got /],
    ['kickoff', 'health', 'bad', 'kickoff.health: expected one of great, ok, worrying; got "bad"'],
    ['kickoff', 'health', 'Great', 'kickoff.health: expected one of great, ok, worrying; got "Great"'],
    ['setup', 'modules', ['crm', 'hr'], 'setup.modules: expected only crm, billing, support; got "hr"'],
    ['setup', 'modules', 'crm', 'setup.modules: expected a list of crm, billing, support; got "crm"'],
    ['setup', 'go-live', '2026-02-30', 'setup.go-live: 2026-02-30 is not a real date: February 2026 has 28 days'],
    ['setup', 'go-live', '30/11/2026', 'setup.go-live: expected a date (YYYY-MM-DD, today, tomorrow, yesterday, +3d, -3d, +2w, +1m); got "30/11/2026"'],
    ['setup', 'ready', 'yes', 'setup.ready: expected true or false; got "yes"'],
    ['kickoff', 'goals', '   ', 'kickoff.goals: an answer is required'],
    ['kickoff', 'goals', 42, 'kickoff.goals: expected text; got number 42'],
    ['handover', 'csm', '', 'handover.csm: an answer is required'],
  ])('%s.%s = %j is refused', (stepId, fieldId, value, message) => {
    expectRefused(fresh(), { type: 'answer', stepId, fieldId, value: value as never }, message);
  });

  it('an unknown step or field is refused by name', () => {
    expectRefused(fresh(), { type: 'answer', stepId: 'kickoff', fieldId: 'goal', value: 'x' }, 'unknown field "goal" in step kickoff');
    expectRefused(fresh(), { type: 'answer', stepId: 'kick-off', fieldId: 'goals', value: 'x' }, 'unknown step "kick-off" in playbook walk-test');
  });

  it('an optional date may be left empty, a required one may not', () => {
    expect(answerProblem({ id: 'd', prompt: 'D', type: 'date' }, '')).toBeUndefined();
    expect(answerProblem({ id: 'd', prompt: 'D', type: 'date', required: true }, '')).toBe('an answer is required');
    expect(answerProblem({ id: 'm', prompt: 'M', type: 'multiselect', choices: ['a'], required: true }, [])).toBe('choose at least one');
  });
});

describe('tick', () => {
  it('ticks and unticks checklist items, kept sorted', () => {
    const ticked = play(
      fresh(),
      { type: 'tick', stepId: 'kickoff', item: 1, checked: true },
      { type: 'tick', stepId: 'kickoff', item: 0, checked: true },
      { type: 'tick', stepId: 'kickoff', item: 1, checked: true },
    );
    expect(ticked.steps[0]!.checked).toEqual([0, 1]);
    expect(play(ticked, { type: 'tick', stepId: 'kickoff', item: 0, checked: false }).steps[0]!.checked).toEqual([1]);
  });

  it('refuses an item the checklist does not have', () => {
    expectRefused(fresh(), { type: 'tick', stepId: 'kickoff', item: 2, checked: true }, 'step kickoff has no checklist item 3');
    expectRefused(fresh(), { type: 'tick', stepId: 'kickoff', item: -1, checked: true }, /no checklist item/);
    expectRefused(fresh(), { type: 'tick', stepId: 'setup', item: 0, checked: true }, 'step setup has no checklist item 1');
  });
});

describe('complete', () => {
  it('is refused while a required field has no answer, naming it', () => {
    const partly = play(fresh(), { type: 'answer', stepId: 'kickoff', fieldId: 'health', value: 'ok' });
    expectRefused(partly, { type: 'complete', stepId: 'kickoff' }, 'step kickoff needs an answer for goals');
    expect(missingRequired(partly, 'kickoff').map((field) => field.id)).toEqual(['goals']);
  });

  it('marks the step done and moves the cursor to the next open step', () => {
    const done = play(fresh(), ...answerKickoff);
    expect(done.steps[0]!.status).toBe('done');
    expect(done.cursor).toBe(1);
  });

  it('counts a "no" to a required yes/no question as an answer', () => {
    const done = play(fresh(), { type: 'answer', stepId: 'setup', fieldId: 'ready', value: false }, { type: 'complete', stepId: 'setup' });
    expect(done.steps[1]!.status).toBe('done');
    expect(done.cursor).toBe(0); // kickoff is still the first open step
  });

  it('a step with only optional fields completes without answers', () => {
    const bare = onePhase([{ id: 'a', title: 'A', fields: [{ id: 'x', prompt: 'X', type: 'text' }] }]);
    const state = apply(deepFreeze(startRun(bare, DAY0)), { type: 'complete', stepId: 'a' });
    expect(state.steps[0]!.status).toBe('done');
    expect(state.cursor).toBe(1);
  });
});

describe('skip', () => {
  it('needs a reason', () => {
    expectRefused(fresh(), { type: 'skip', stepId: 'kickoff', reason: '   ' }, 'skipping step kickoff needs a reason');
  });

  it('keeps the reason, trimmed, and moves on even when required fields are empty', () => {
    const skipped = play(fresh(), { type: 'skip', stepId: 'kickoff', reason: '  Khách hàng đã họp với Sales  ' });
    expect(skipped.steps[0]).toMatchObject({ status: 'skipped', skipReason: 'Khách hàng đã họp với Sales' });
    expect(skipped.cursor).toBe(1);
  });

  it('completing a skipped step later drops its reason', () => {
    const state = play(fresh(), { type: 'skip', stepId: 'kickoff', reason: 'later' }, ...answerKickoff);
    expect(state.steps[0]!.status).toBe('done');
    expect(state.steps[0]!.skipReason).toBeUndefined();
  });
});

describe('back', () => {
  it('moves the cursor to an earlier step and keeps every status and answer', () => {
    const ahead = play(fresh(), ...answerKickoff, ...answerSetup);
    expect(ahead.cursor).toBe(2);
    const back = play(ahead, { type: 'back', stepId: 'kickoff' });
    expect(back.cursor).toBe(0);
    expect(back.steps).toEqual(ahead.steps);
  });

  it('after changing an answer there, completing the step returns to the first open step', () => {
    const changed = play(
      fresh(),
      ...answerKickoff,
      ...answerSetup,
      { type: 'back', stepId: 'kickoff' },
      { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Mục tiêu mới' },
      { type: 'complete', stepId: 'kickoff' },
    );
    expect(changed.cursor).toBe(2);
    expect(changed.steps[0]!.answers.goals).toBe('Mục tiêu mới');
    expect(changed.steps.map((step) => step.status)).toEqual(['done', 'done', 'open']);
  });

  it('refuses a step that does not exist', () => {
    expectRefused(fresh(), { type: 'back', stepId: 'nowhere' }, 'unknown step "nowhere"');
  });
});

describe('note', () => {
  it('keeps a trimmed note, and an empty one removes it', () => {
    const noted = play(fresh(), { type: 'note', stepId: 'setup', text: '  Gọi lại sau Tết  ' });
    expect(noted.steps[1]!.note).toBe('Gọi lại sau Tết');
    expect(noted.steps[1]!.status).toBe('open');
    expect(play(noted, { type: 'note', stepId: 'setup', text: ' ' }).steps[1]!.note).toBeUndefined();
  });
});

describe('finish', () => {
  it('is refused while steps are open, naming them', () => {
    const state = play(fresh(), ...answerKickoff);
    expectRefused(state, { type: 'finish' }, 'cannot finish: 2 step(s) still open (setup, handover)');
  });

  it('closes the run once every step is done or skipped; a finished run takes no more events', () => {
    const finished = play(
      fresh(),
      ...answerKickoff,
      { type: 'skip', stepId: 'setup', reason: 'Đã cài đặt sẵn' },
      { type: 'answer', stepId: 'handover', fieldId: 'csm', value: 'Lan' },
      { type: 'complete', stepId: 'handover' },
      { type: 'finish' },
    );
    expect(finished.status).toBe('finished');
    expect(finished.cursor).toBe(3);
    expectRefused(finished, { type: 'note', stepId: 'setup', text: 'x' }, 'this run of walk-test is finished');
    expectRefused(finished, { type: 'answer', stepId: 'handover', fieldId: 'csm', value: 'Minh' }, /is finished/);
  });
});

describe('restoreRun and firstOpenIndex', () => {
  type Saved = Omit<StepState, 'id' | 'phaseId' | 'index'>;
  const saved = (entries: Record<string, Partial<Saved>>): Map<string, Saved> =>
    new Map(
      Object.entries(entries).map(([id, kept]) => [id, { due: '2026-11-28', status: 'open', answers: {}, checked: [], ...kept } as Saved]),
    );

  it('resumes at the first open step, with what was kept', () => {
    const state = restoreRun(
      playbook,
      DAY0,
      'open',
      saved({
        kickoff: { status: 'done', answers: { goals: 'Mục tiêu' }, checked: [0, 1] },
        setup: { due: '2026-12-03', answers: { modules: ['crm'], ready: true }, note: 'Chờ IT' },
      }),
    );
    expect(state.cursor).toBe(1);
    expect(firstOpenIndex(state.steps)).toBe(1);
    expect(state.steps[0]).toMatchObject({ id: 'kickoff', status: 'done', answers: { goals: 'Mục tiêu' }, checked: [0, 1] });
    expect(state.steps[1]).toMatchObject({ id: 'setup', status: 'open', note: 'Chờ IT' });
    // answers come back in the order the playbook asks them, whatever order they were kept in
    expect(Object.keys(state.steps[1]!.answers)).toEqual(['ready', 'modules']);
    expect(state.steps[2]).toMatchObject({ id: 'handover', status: 'open', due: '2026-12-26' });
  });

  it('skipped steps are passed over; a run with nothing open resumes past the end', () => {
    const skippedFirst = restoreRun(playbook, DAY0, 'open', saved({ kickoff: { status: 'skipped', skipReason: 'x' } }));
    expect(skippedFirst.cursor).toBe(1);
    const allClosed = restoreRun(
      playbook,
      DAY0,
      'open',
      saved({ kickoff: { status: 'done' }, setup: { status: 'skipped' }, handover: { status: 'done' } }),
    );
    expect(allClosed.cursor).toBe(3);
    expect(firstOpenIndex([])).toBe(0);
  });

  it('ignores kept steps the playbook no longer has', () => {
    const state = restoreRun(playbook, DAY0, 'open', saved({ removed: { status: 'done' } }));
    expect(state.steps.map((step) => step.id)).toEqual(['kickoff', 'setup', 'handover']);
    expect(state.cursor).toBe(0);
  });
});

describe('progress', () => {
  const state = (): RunState => play(fresh(), { type: 'skip', stepId: 'setup', reason: 'x' });

  it('counts done, skipped, open and overdue as of a day, and names the next step', () => {
    const counts = progress(state(), '2026-12-10');
    expect({ ...counts, next: counts.next?.def.id }).toEqual({ total: 3, done: 0, skipped: 1, open: 2, overdue: 1, notApplicable: 0, next: 'kickoff' });
    expect(counts.next?.phase).toEqual({ id: 'week-1', title: 'Tuần 1 — khởi động' });
  });

  it('a step due today is not overdue; skipped and done steps never are', () => {
    expect(progress(state(), '2026-11-28').overdue).toBe(0);
    expect(progress(state(), '2026-11-29').overdue).toBe(1);
    expect(progress(state(), '2027-01-01').overdue).toBe(2); // kickoff and handover; setup is skipped
    const allDone = play(state(), ...answerKickoff, { type: 'answer', stepId: 'handover', fieldId: 'csm', value: 'Lan' }, { type: 'complete', stepId: 'handover' });
    const counts = progress(allDone, '2030-01-01');
    expect(counts).toMatchObject({ done: 2, skipped: 1, open: 0, overdue: 0 });
    expect(counts.next).toBeUndefined();
  });
});

describe('purity', () => {
  it('returns new states and leaves the old ones as they were (inputs are frozen)', () => {
    const start = fresh();
    const before = JSON.stringify(start);
    const events: RunEvent[] = [
      { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'x' },
      { type: 'tick', stepId: 'kickoff', item: 0, checked: true },
      { type: 'note', stepId: 'kickoff', text: 'n' },
      { type: 'complete', stepId: 'kickoff' },
      { type: 'skip', stepId: 'setup', reason: 'r' },
      { type: 'back', stepId: 'kickoff' },
    ];
    let state = start;
    for (const event of events) {
      const next = apply(state, deepFreeze(event));
      expect(next).not.toBe(state);
      deepFreeze(next);
      state = next;
    }
    expect(JSON.stringify(start)).toBe(before);
    // the same event on the same state gives the same result
    expect(apply(start, events[0]!)).toEqual(apply(start, events[0]!));
  });
});
