/** Moving an open run to a new version of its playbook keeps what still fits and lists the rest. */
import { say } from '../../src/i18n/messages.js';
import { describe, expect, it } from 'vitest';
import { apply, startRun } from '../../src/engine/run.js';
import type { RunState } from '../../src/engine/run.js';
import { upgradeRun } from '../../src/engine/upgrade.js';
import type { Playbook } from '../../src/playbook/types.js';

const v1: Playbook = {
  id: 'pb',
  title: 'Onboarding',
  kind: 'onboarding',
  version: 1,
  phases: [
    {
      id: 'w1',
      title: 'Tuần 1',
      due: '7d',
      steps: [
        { id: 'handoff', title: 'Bàn giao', checklist: ['Họp với Sales', 'Ghi chú'], fields: [{ id: 'problem', prompt: 'Vấn đề?', type: 'text', required: true }, { id: 'health', prompt: 'Sức khoẻ?', type: 'select', choices: ['tốt', 'xấu'] }] },
        { id: 'kickoff', title: 'Kickoff', fields: [{ id: 'goals', prompt: 'Mục tiêu?', type: 'text' }] },
        { id: 'old-step', title: 'Bước cũ', fields: [{ id: 'x', prompt: 'X?', type: 'text' }] },
      ],
    },
  ],
};

function walked(): RunState {
  let state = startRun(v1, '2026-11-01');
  state = apply(state, { type: 'tick', stepId: 'handoff', item: 1, checked: true });
  state = apply(state, { type: 'answer', stepId: 'handoff', fieldId: 'problem', value: 'Tổng đài rời rạc' });
  state = apply(state, { type: 'answer', stepId: 'handoff', fieldId: 'health', value: 'xấu' });
  state = apply(state, { type: 'complete', stepId: 'handoff' });
  state = apply(state, { type: 'answer', stepId: 'old-step', fieldId: 'x', value: 'giữ?' });
  state = apply(state, { type: 'note', stepId: 'kickoff', text: 'Gọi chị Lan' });
  return state;
}

describe('upgradeRun', () => {
  it('keeps answers, statuses, notes and ticks whose ids still exist, and lists what it drops', () => {
    const v2: Playbook = structuredClone(v1);
    v2.version = 2;
    const steps = v2.phases[0]!.steps;
    steps[0]!.checklist = ['Ghi chú', 'Họp với Sales', 'Mới'];
    steps[0]!.fields![1] = { id: 'health', prompt: 'Sức khoẻ?', type: 'select', choices: ['tốt', 'ổn'] };
    steps.splice(2, 1, { id: 'new-step', title: 'Bước mới', due: '3d' });
    const { state, dropped } = upgradeRun(walked(), v2);
    expect(state.playbook.version).toBe(2);
    const handoff = state.steps.find((step) => step.id === 'handoff')!;
    expect(handoff).toMatchObject({ status: 'done', answers: { problem: 'Tổng đài rời rạc' }, checked: [0] });
    expect(state.steps.find((step) => step.id === 'kickoff')!.note).toBe('Gọi chị Lan');
    expect(state.steps.find((step) => step.id === 'new-step')).toMatchObject({ status: 'open', due: '2026-11-04' });
    expect(dropped.map((each) => ({ ...each, why: say(each.why) }))).toEqual([
      { stepId: 'old-step', why: 'the step is not in the new version' },
      { stepId: 'handoff', fieldId: 'health', why: 'expected one of tốt, ổn; got "xấu"' },
    ]);
    expect(state.cursor).toBe(1);
  });

  it('reopens a done step when the new version makes a missing answer required', () => {
    const v2: Playbook = structuredClone(v1);
    v2.version = 2;
    v2.phases[0]!.steps[0]!.fields!.push({ id: 'owner', prompt: 'Ai?', type: 'text', required: true });
    const { state } = upgradeRun(walked(), v2);
    expect(state.steps[0]!.status).toBe('open');
    expect(state.cursor).toBe(0);
  });

  it('refuses another playbook, or a finished run', () => {
    expect(() => upgradeRun(walked(), { ...v1, id: 'other' })).toThrow(/another playbook/);
    let done = startRun({ ...v1, phases: [{ id: 'p', title: 'P', steps: [{ id: 's', title: 'S' }] }] }, '2026-11-01');
    done = apply(apply(done, { type: 'complete', stepId: 's' }), { type: 'finish' });
    expect(() => upgradeRun(done, v1)).toThrow(/only an open run/);
  });
});
