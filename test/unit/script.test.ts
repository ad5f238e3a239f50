/** Answers given up front (src/engine/script.ts): checked against the playbook, every problem at once. */
import { describe, expect, it } from 'vitest';
import { inputRefusal } from '../support/errors.js';
import { apply, startRun } from '../../src/engine/run.js';
import { scriptFromData, scriptGaps } from '../../src/engine/script.js';
import { deepFreeze, fixturePlaybook } from '../support/playbooks.js';

const playbook = deepFreeze(fixturePlaybook('walk-test'));
const FILE = 'answers/acme.yaml';

/** The problems scriptFromData reports for `data` (fails when it accepts it). */
function problemsOf(data: unknown): { message: string; details: string[] } {
  const { message, details } = inputRefusal(() => scriptFromData(data, playbook, FILE));
  return { message, details };
}

describe('scriptFromData', () => {
  it('reads answers, notes, skips and checklists keyed by step then field', () => {
    const script = scriptFromData(
      {
        kickoff: { goals: 'Tự động hoá báo cáo', health: 'great', seats: 40, _checklist: true, _note: 'Khách rất hợp tác' },
        setup: { _skip: 'Khách tự cài đặt', ready: false },
        handover: { csm: 'Nguyễn Thị Lan' },
      },
      playbook,
      FILE,
    );
    expect([...script.keys()]).toEqual(['kickoff', 'setup', 'handover']);
    expect(script.get('kickoff')).toEqual({
      answers: { goals: 'Tự động hoá báo cáo', health: 'great', seats: 40 },
      note: 'Khách rất hợp tác',
      checklist: [0, 1],
    });
    expect(script.get('setup')).toEqual({ answers: { ready: false }, skip: 'Khách tự cài đặt', checklist: [] });
    expect(script.get('handover')!.answers).toEqual({ csm: 'Nguyễn Thị Lan' });
  });

  it('nothing at all is an empty script; a step given as null is left out', () => {
    expect(scriptFromData(null, playbook, FILE).size).toBe(0);
    expect(scriptFromData(undefined, playbook, FILE).size).toBe(0);
    expect([...scriptFromData({ kickoff: null }, playbook, FILE).keys()]).toEqual([]);
  });

  it('loosens unambiguous types: "7" for a number, one choice for a list, a number for text', () => {
    const script = scriptFromData({ kickoff: { seats: '7', goals: 2026 }, setup: { modules: 'crm' } }, playbook, FILE);
    expect(script.get('kickoff')!.answers).toEqual({ seats: 7, goals: '2026' });
    expect(script.get('setup')!.answers).toEqual({ modules: ['crm'] });
  });

  it('_checklist takes item numbers from 1, or false for none', () => {
    expect(scriptFromData({ kickoff: { _checklist: [2] } }, playbook, FILE).get('kickoff')!.checklist).toEqual([1]);
    expect([...scriptFromData({ kickoff: { _checklist: [2, 1, 2] } }, playbook, FILE).get('kickoff')!.checklist].sort()).toEqual([0, 1]);
    expect(scriptFromData({ kickoff: { _checklist: false } }, playbook, FILE).get('kickoff')!.checklist).toEqual([]);
  });

  it('refuses a file that is not a mapping, naming the file', () => {
    expect(problemsOf(['kickoff']).message).toBe(`${FILE}: answers must be a mapping of step ids to their answers`);
    expect(problemsOf('kickoff').message).toMatch(/answers must be a mapping/);
  });

  it('an unknown step or field gets a did-you-mean', () => {
    expect(problemsOf({ kickof: { goals: 'x' } }).details).toEqual(['unknown step "kickof" (did you mean "kickoff"?) in playbook walk-test']);
    expect(problemsOf({ kickoff: { goal: 'x' } }).details).toEqual(['kickoff: unknown field "goal" (did you mean "goals"?)']);
    expect(problemsOf({ setup: { _skp: 'x' } }).details).toEqual(['setup: unknown field "_skp" (did you mean "_skip"?)']);
    expect(problemsOf({ 'completely-different': {} }).details).toEqual(['unknown step "completely-different" in playbook walk-test']);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ kickoff: { seats: 'many' } }, 'kickoff.seats (number): expected a number; got "many"'],
    [{ kickoff: { seats: 0 } }, 'kickoff.seats (number): must be at least 1; got 0'],
    [{ kickoff: { health: 'fine' } }, 'kickoff.health (select): expected one of great, ok, worrying; got "fine"'],
    [{ kickoff: { goals: '  ' } }, 'kickoff.goals (longtext): an answer is required'],
    [{ kickoff: { goals: ['a', 'b'] } }, 'kickoff.goals (longtext): expected text; got a list'],
    [{ setup: { ready: 'yes' } }, 'setup.ready (confirm): expected true or false; got "yes"'],
    [{ setup: { 'go-live': '2026-02-30' } }, 'setup.go-live (date): 2026-02-30 is not a real date: February 2026 has 28 days'],
    [{ setup: { modules: ['crm', 'hr'] } }, 'setup.modules (multiselect): expected only crm, billing, support; got "hr"'],
    [{ setup: { _skip: '' } }, 'setup._skip: give the reason for skipping as text'],
    [{ setup: { _skip: true } }, 'setup._skip: give the reason for skipping as text'],
    [{ setup: { _note: 12 } }, 'setup._note: expected text'],
    [{ kickoff: { _checklist: [3] } }, 'kickoff._checklist: expected true, or item numbers from 1 to 2'],
    [{ kickoff: { _checklist: [0] } }, 'kickoff._checklist: expected true, or item numbers from 1 to 2'],
    [{ kickoff: { _checklist: 'all' } }, 'kickoff._checklist: expected true, or item numbers from 1 to 2'],
    [{ kickoff: 'done' }, 'kickoff: expected a mapping of field ids to answers'],
  ])('%j is refused: %s', (data, detail) => {
    const { message, details } = problemsOf(data);
    expect(details).toEqual([detail]);
    expect(message).toBe(`${FILE}: 1 problem in the answers`);
  });

  it('reports every problem of the file at once', () => {
    const { message, details } = problemsOf({
      kickof: {},
      kickoff: { seats: 'many', health: 'fine', colour: 'red' },
      setup: { ready: 'yes', _skip: '' },
      handover: { csm: '' },
    });
    expect(message).toBe(`${FILE}: 7 problems in the answers`);
    expect(details).toHaveLength(7);
    expect(details.join('\n')).toMatch(/kickof".*kickoff/);
    expect(details.some((detail) => detail.startsWith('kickoff: unknown field "colour"'))).toBe(true);
    expect(details).toContain('handover.csm (text): an answer is required');
  });
});

describe('scriptGaps', () => {
  const state = () => deepFreeze(startRun(playbook, '2026-11-26'));

  it('without a script, every required field of every open step is a gap', () => {
    expect(scriptGaps(state(), undefined)).toEqual([
      { stepId: 'kickoff', fieldId: 'goals', prompt: 'Mục tiêu của khách hàng?' },
      { stepId: 'setup', fieldId: 'ready', prompt: 'Đã sẵn sàng chưa?' },
      { stepId: 'handover', fieldId: 'csm', prompt: 'Tên CSM' },
    ]);
  });

  it('a scripted answer or _skip fills the gap; optional fields never are gaps', () => {
    const script = scriptFromData({ kickoff: { goals: 'x' }, setup: { _skip: 'không cần' } }, playbook, FILE);
    expect(scriptGaps(state(), script)).toEqual([{ stepId: 'handover', fieldId: 'csm', prompt: 'Tên CSM' }]);
  });

  it('answers already kept in the run, and closed steps, are not gaps', () => {
    let run = apply(state(), { type: 'answer', stepId: 'handover', fieldId: 'csm', value: 'Lan' });
    run = apply(run, { type: 'skip', stepId: 'kickoff', reason: 'đã làm' });
    const script = scriptFromData({ setup: { ready: true } }, playbook, FILE);
    expect(scriptGaps(run, script)).toEqual([]);
  });
});
