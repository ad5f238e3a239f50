/**
 * Two walks of the same run at once (two terminals now, two people on a team database later): two
 * Store instances on one SQLite file, each holding what it read. Each commit applies only its own
 * event to what is stored now; a change to the same answer, item, status or note made meanwhile is
 * a conflict the user settles, never a silent overwrite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CsError } from '../../src/errors.js';
import { Walk } from '../../src/cli/walk.js';
import { testDatabase } from '../support/backend.js';
import { openStore } from '../../src/store/index.js';
import type { LoadedRun, SeenStep, Store } from '../../src/store/index.js';
import { fixturePlaybook } from '../support/playbooks.js';
import { ScriptedUi } from '../support/scripted-ui.js';
import type { Expected } from '../support/scripted-ui.js';

const NAME = 'Công ty Ánh Dương';
const ENV = { CS_TODAY: '2026-11-26' };
const playbook = fixturePlaybook('walk-test');

const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** Two stores (A and B, as two processes would have) on one new file with one open run. */
async function twoStores(): Promise<{ a: Store; b: Store; runId: number }> {
  const path = testDatabase();
  const a = openStore(path);
  const b = openStore(path);
  stores.push(a, b);
  const runId = (await a.createRun(await a.ensureAccount(NAME, 'lan'), playbook, { startDate: '2026-11-26' })).run.id;
  return { a, b, runId };
}

async function load(store: Store, runId: number): Promise<LoadedRun> {
  const loaded = await store.loadRun(runId);
  if (!loaded) throw new Error(`run ${runId} is not in the store`);
  return loaded;
}

function seen(loaded: LoadedRun, stepId: string): SeenStep {
  return { version: loaded.versions[stepId]!, state: loaded.state.steps.find((step) => step.id === stepId)! };
}

function kickoff(loaded: LoadedRun) {
  return loaded.state.steps.find((step) => step.id === 'kickoff')!;
}

describe('the store: each commit applies its own event to what is stored now', () => {
  it('A ticks item 1, B (which read the step before) ticks item 2: both ticks are kept', async () => {
    const { a, b, runId } = await twoStores();
    const readByA = await load(a, runId);
    const readByB = await load(b, runId);
    expect((await a.commit(runId, { type: 'tick', stepId: 'kickoff', item: 0, checked: true }, seen(readByA, 'kickoff'))).conflict).toBeUndefined();
    const outcome = await b.commit(runId, { type: 'tick', stepId: 'kickoff', item: 1, checked: true }, seen(readByB, 'kickoff'));
    expect(outcome.conflict).toBeUndefined();
    expect(kickoff(outcome.loaded).checked, 'B goes on from what is stored: A\'s tick too').toEqual([0, 1]);
    expect(kickoff(await load(a, runId)).checked).toEqual([0, 1]);
  });

  it('answers to different fields of one step, and a note, from two walks: all kept', async () => {
    const { a, b, runId } = await twoStores();
    const readByA = await load(a, runId);
    const readByB = await load(b, runId);
    await a.commit(runId, { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Mục tiêu của A' }, seen(readByA, 'kickoff'));
    expect((await b.commit(runId, { type: 'answer', stepId: 'kickoff', fieldId: 'seats', value: 12 }, seen(readByB, 'kickoff'))).conflict).toBeUndefined();
    expect((await b.commit(runId, { type: 'note', stepId: 'kickoff', text: 'Ghi chú của B' }, seen(readByB, 'kickoff'))).conflict).toBeUndefined();
    const stored = kickoff(await load(a, runId));
    expect(stored.answers).toEqual({ goals: 'Mục tiêu của A', seats: 12 });
    expect(stored.note).toBe('Ghi chú của B');
  });

  it('A and B answer the same field: B gets a conflict (stored vs. its own) and nothing is written until B chooses', async () => {
    const { a, b, runId } = await twoStores();
    const readByA = await load(a, runId);
    const readByB = await load(b, runId);
    await a.commit(runId, { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Mục tiêu của A' }, seen(readByA, 'kickoff'));
    const event = { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Mục tiêu của B' } as const;
    const outcome = await b.commit(runId, event, seen(readByB, 'kickoff'));
    expect(outcome.conflict).toEqual({
      stepId: 'kickoff',
      target: { kind: 'answer', fieldId: 'goals' },
      seen: undefined,
      stored: 'Mục tiêu của A',
      mine: 'Mục tiêu của B',
    });
    expect(kickoff(await load(a, runId)).answers.goals, 'a conflict writes nothing').toBe('Mục tiêu của A');
    // B keeps its own: committed against the step as stored now
    expect((await b.commit(runId, event, seen(outcome.loaded, 'kickoff'))).conflict).toBeUndefined();
    expect(kickoff(await load(a, runId)).answers.goals).toBe('Mục tiêu của B');
  });

  it('the same answer given by both is no conflict; a skip meanwhile is one for a walk completing the step', async () => {
    const { a, b, runId } = await twoStores();
    const readByB = await load(b, runId);
    await a.commit(runId, { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Cùng một ý' });
    expect((await b.commit(runId, { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Cùng một ý' }, seen(readByB, 'kickoff'))).conflict).toBeUndefined();
    const afterAnswer = await load(b, runId);
    await a.commit(runId, { type: 'skip', stepId: 'kickoff', reason: 'Khách hoãn' });
    const outcome = await b.commit(runId, { type: 'complete', stepId: 'kickoff' }, seen(afterAnswer, 'kickoff'));
    expect(outcome.conflict).toMatchObject({ target: { kind: 'status' }, stored: { status: 'skipped', skipReason: 'Khách hoãn' }, mine: { status: 'done' } });
    expect(kickoff(await load(a, runId)).status).toBe('skipped');
  });

  it('every write to a step bumps its version; finishing a run another walk finished is no error', async () => {
    const { a, b, runId } = await twoStores();
    expect((await load(a, runId)).versions.kickoff).toBe(0);
    await a.commit(runId, { type: 'tick', stepId: 'kickoff', item: 0, checked: true });
    await a.commit(runId, { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'x' });
    expect((await load(b, runId)).versions).toMatchObject({ kickoff: 2, setup: 0 });
    for (const step of ['kickoff', 'setup', 'handover']) {
      if (step === 'setup') await a.commit(runId, { type: 'answer', stepId: 'setup', fieldId: 'ready', value: true });
      if (step === 'handover') await a.commit(runId, { type: 'answer', stepId: 'handover', fieldId: 'csm', value: 'Lan' });
      await a.commit(runId, { type: 'complete', stepId: step });
    }
    await a.commit(runId, { type: 'finish' });
    const finishedAt = (await load(a, runId)).run.finishedAt;
    expect((await b.commit(runId, { type: 'finish' })).loaded.run.finishedAt).toBe(finishedAt);
  });

  it('keeps drafts per run, step and field; an answer to the field drops its draft', async () => {
    const { a, b, runId } = await twoStores();
    await a.saveDraft(runId, 'kickoff', 'goals', 'dòng 1\ndòng 2');
    await a.saveDraft(runId, 'kickoff', '#note', 'ghi chú dở');
    expect((await b.drafts(runId)).map(({ stepId, fieldId, text }) => ({ stepId, fieldId, text }))).toEqual([
      { stepId: 'kickoff', fieldId: '#note', text: 'ghi chú dở' },
      { stepId: 'kickoff', fieldId: 'goals', text: 'dòng 1\ndòng 2' },
    ]);
    await b.commit(runId, { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'xong' });
    expect((await a.drafts(runId)).map((draft) => draft.fieldId)).toEqual(['#note']);
    await a.saveDraft(runId, 'kickoff', '#note', '');
    expect(await a.drafts(runId)).toEqual([]);
  });
});

describe('moving a run to a new version of its playbook (cs resume --upgrade)', () => {
  it('moves every step on a version, so that a walk open on the old steps sees the change; drafts are kept', async () => {
    const { a, b, runId } = await twoStores();
    const readByB = await load(b, runId);
    await a.saveDraft(runId, 'kickoff', 'goals', 'dòng dở');
    await a.upgradeRun(runId, (await load(a, runId)).state);
    const after = await load(a, runId);
    expect(after.versions).toEqual({ kickoff: 1, setup: 1, handover: 1 });
    expect((await a.drafts(runId)).map((draft) => draft.text)).toEqual(['dòng dở']);
    expect((await b.commit(runId, { type: 'tick', stepId: 'kickoff', item: 0, checked: true }, seen(readByB, 'kickoff'))).conflict).toBeUndefined();
  });
});

describe('the walk: what another walk commits meanwhile is kept, and shown', () => {
  /** Walks B's run with `script`; `during` hooks in it stand for walk A committing meanwhile. */
  async function walkB(b: Store, runId: number, script: Expected[]) {
    const ui = new ScriptedUi(script);
    const error = await new Walk(ui, b, await load(b, runId), { noInput: false, env: ENV }).run().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    return { ui, error };
  }

  it('A ticks item 2 while B is asked item 1: B ticks item 1, is not asked item 2 again, and both ticks are kept', async () => {
    const { a, b, runId } = await twoStores();
    const { ui } = await walkB(b, runId, [
      { select: 'work', message: 'What now?' },
      { confirm: true, message: 'Đã đặt lịch cuộc gọi', during: () => a.commit(runId, { type: 'tick', stepId: 'kickoff', item: 1, checked: true }) },
      { interrupt: true, at: 'longtext' },
    ]);
    expect(ui.asked.map((prompt) => prompt.message)).not.toContain('Done: Đã gửi chương trình họp?');
    expect(kickoff(await load(a, runId)).checked).toEqual([0, 1]);
  });

  it('resuming shows the ticks saved so far, and answers given by another walk', async () => {
    const { a, b, runId } = await twoStores();
    await a.commit(runId, { type: 'tick', stepId: 'kickoff', item: 1, checked: true });
    await a.commit(runId, { type: 'answer', stepId: 'kickoff', fieldId: 'seats', value: 7 });
    const { ui } = await walkB(b, runId, [{ select: 'stop', message: 'What now?' }]);
    expect(ui.printed).toContain('  Saved so far:\n  ✔ Đã gửi chương trình họp\n  • Bao nhiêu người dùng?\n      7');
    expect(ui.printed).not.toContain('✔ Đã đặt lịch cuộc gọi');
  });

  for (const choice of ['mine', 'stored'] as const) {
    it(`A and B answer the same field: B is shown both, and "${choice === 'mine' ? 'keep mine' : 'take the stored one'}" is what is kept`, async () => {
      const { a, b, runId } = await twoStores();
      const { ui } = await walkB(b, runId, [
        { select: 'work', message: 'What now?' },
        { confirm: false, message: 'Đã đặt lịch cuộc gọi' },
        { confirm: false, message: 'Đã gửi chương trình họp' },
        {
          longtext: 'Mục tiêu của B',
          message: 'Mục tiêu của khách hàng?',
          during: () => a.commit(runId, { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Mục tiêu của A' }),
        },
        { select: choice, message: 'Which one should be kept?' },
        { interrupt: true, at: 'select' },
      ]);
      expect(ui.printed).toContain('⚠ Changed meanwhile by another walk of this run: the answer to "Mục tiêu của khách hàng?" on step Cuộc gọi khởi động');
      expect(ui.printed).toContain('    stored now: Mục tiêu của A\n    yours:      Mục tiêu của B');
      expect(kickoff(await load(a, runId)).answers.goals).toBe(choice === 'mine' ? 'Mục tiêu của B' : 'Mục tiêu của A');
      // the walk went on to the next field either way
      expect(ui.asked.at(-1)!.message).toBe('Cuộc gọi thế nào?');
    });
  }

  it('without a terminal (--answers --no-input), a conflict is an error naming both values: nothing is overwritten', async () => {
    const { a, b, runId } = await twoStores();
    const readByB = await load(b, runId);
    await a.commit(runId, { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Mục tiêu của A' });
    const { scriptFromData } = await import('../../src/engine/script.js');
    const script = scriptFromData({ kickoff: { goals: 'Mục tiêu của B' }, setup: { ready: true }, handover: { csm: 'Lan' } }, playbook, 'b.yaml');
    const ui = new ScriptedUi([]);
    const error = await new Walk(ui, b, readByB, { noInput: true, env: ENV, script }).run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CsError);
    expect((error as CsError).message).toBe('Not saved: the answer to "Mục tiêu của khách hàng?" on step Cuộc gọi khởi động: another walk of this run changed it since this one read it');
    expect((error as CsError).details).toEqual(['stored now: Mục tiêu của A', 'yours:      Mục tiêu của B']);
    expect(kickoff(await load(a, runId)).answers.goals).toBe('Mục tiêu của A');
  });

  it('in Vietnamese, a conflict is said in Vietnamese, with both values', async () => {
    const { useLang } = await import('../../src/i18n/messages.js');
    await useLang('vi');
    try {
      const { a, b, runId } = await twoStores();
      const readByB = await load(b, runId);
      await a.commit(runId, { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Mục tiêu của A' });
      const { scriptFromData } = await import('../../src/engine/script.js');
      const script = scriptFromData({ kickoff: { goals: 'Mục tiêu của B' }, setup: { ready: true }, handover: { csm: 'Lan' } }, playbook, 'b.yaml');
      const error = await new Walk(new ScriptedUi([]), b, readByB, { noInput: true, env: ENV, script }).run().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CsError);
      expect((error as CsError).message).toMatch(/^Chưa lưu: /);
      expect((error as CsError).message).toContain('một lượt làm khác của run này đã thay đổi nó');
      expect((error as CsError).details).toEqual(['đang lưu: Mục tiêu của A', 'của bạn:  Mục tiêu của B']);
    } finally {
      await useLang('en');
    }
  });
});

describe('drafts of long answers, offered back by the walk', () => {
  async function walkWith(store: Store, runId: number, script: Expected[]) {
    const ui = new ScriptedUi(script);
    await new Walk(ui, store, await load(store, runId), { noInput: false, env: ENV }).run().catch((caught: unknown) => {
      if (!(caught instanceof CsError)) throw caught;
    });
    return ui;
  }
  const CHECKLIST: Expected[] = [
    { select: 'work', message: 'What now?' },
    { confirm: false, message: 'Đã đặt lịch cuộc gọi' },
    { confirm: false, message: 'Đã gửi chương trình họp' },
  ];

  it('"use it": the draft is the answer, and is dropped once committed', async () => {
    const { a, runId } = await twoStores();
    await a.saveDraft(runId, 'kickoff', 'goals', 'Dòng một\nDòng hai');
    const ui = await walkWith(a, runId, [...CHECKLIST, { select: 'use', message: 'use what you had started?' }, { interrupt: true, at: 'select' }]);
    expect(ui.printed).toContain('You had started this answer');
    expect(ui.printed).toContain('  │ Dòng một\n  │ Dòng hai');
    expect(kickoff(await load(a, runId)).answers.goals).toBe('Dòng một\nDòng hai');
    expect(await a.drafts(runId)).toEqual([]);
  });

  it('"go on typing": the long answer starts from the draft; "discard": it is dropped and not offered again', async () => {
    const { a, runId } = await twoStores();
    await a.saveDraft(runId, 'kickoff', 'goals', 'Dòng một');
    const ui = await walkWith(a, runId, [...CHECKLIST, { select: 'edit', message: 'use what you had started?' }, { interrupt: true, at: 'longtext' }]);
    expect(ui.asked.at(-1)!.options.initial).toBe('Dòng một');
    expect((await a.drafts(runId)).map((draft) => draft.text)).toEqual(['Dòng một']);
    await walkWith(a, runId, [...CHECKLIST, { select: 'discard', message: 'use what you had started?' }, { interrupt: true, at: 'longtext' }]);
    expect(await a.drafts(runId)).toEqual([]);
    const again = await walkWith(a, runId, [...CHECKLIST, { interrupt: true, at: 'longtext' }]);
    expect(again.printed).not.toContain('You had started this answer');
  });
});
