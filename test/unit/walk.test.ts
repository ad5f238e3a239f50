/**
 * The walk (src/cli/walk.ts) driven through the scripted fake Ui over a real SQLite store: after each
 * scenario, what the store kept is checked, not only what was printed.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CsError } from '../../src/errors.js';
import { Walk } from '../../src/cli/walk.js';
import { scriptFromData } from '../../src/engine/script.js';
import { openStore } from '../../src/store/index.js';
import type { LoadedRun, Store } from '../../src/store/index.js';
import { fixturePlaybook } from '../support/playbooks.js';
import { ScriptedUi, ScriptMismatch } from '../support/scripted-ui.js';
import type { Expected } from '../support/scripted-ui.js';
import { tempDir } from '../support/tmp.js';

const NAME = 'Công ty Ánh Dương';
const RESUME = `Continue with: cs resume "${NAME}"`;
const playbook = fixturePlaybook('walk-test');
const ENV = { CS_TODAY: '2026-11-26' };

const GOALS = 'Khách hàng cần rút ngắn thời gian xử lý yêu cầu\nvà có báo cáo hằng tuần.';

/** Working on the kickoff step from scratch: the checklist, then its three fields. */
const KICKOFF: Expected[] = [
  { select: 'work', message: 'What now?' },
  { confirm: true, message: 'Đã đặt lịch cuộc gọi' },
  { confirm: false, message: 'Đã gửi chương trình họp' },
  { longtext: GOALS, message: 'Mục tiêu của khách hàng?' },
  { select: 'ok', message: 'Cuộc gọi thế nào?' },
  { number: 40, message: 'Bao nhiêu người dùng?' },
];
const SETUP: Expected[] = [
  { select: 'work', message: 'What now?' },
  { confirm: true, message: 'Đã sẵn sàng chưa?' },
  { date: '2026-12-15', message: 'Ngày chạy chính thức' },
  { multiselect: ['crm', 'support'], message: 'Những phân hệ nào?' },
];
const HANDOVER: Expected[] = [
  { select: 'work', message: 'What now?' },
  { text: 'Nguyễn Thị Lan', message: 'Tên CSM' },
];

const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** A fresh store on a temp file with one open run of the test playbook for NAME. */
async function setup(): Promise<{ store: Store; runId: number }> {
  const store = openStore(join(tempDir(), 'cs.db'));
  stores.push(store);
  const loaded = await store.createRun(await store.ensureAccount(NAME, 'lan'), playbook, { startDate: '2026-11-26' });
  return { store, runId: loaded.run.id };
}

async function load(store: Store, runId: number): Promise<LoadedRun> {
  const loaded = await store.loadRun(runId);
  if (!loaded) throw new Error(`run ${runId} is not in the store`);
  return loaded;
}

/** Walks the run as stored now, answering `script`; the whole script must be used. */
async function walk(store: Store, runId: number, script: Expected[], options: { answers?: unknown; noInput?: boolean } = {}) {
  const ui = new ScriptedUi(script);
  const walkScript = options.answers === undefined ? undefined : scriptFromData(options.answers, playbook, 'answers.yaml');
  const state = await new Walk(ui, store, await load(store, runId), { noInput: options.noInput ?? false, env: ENV, script: walkScript }).run();
  ui.assertDone();
  return { ui, state };
}

/** Walks until the fake ui throws Ctrl-C; returns the error and the ui. */
async function interruptedWalk(store: Store, runId: number, script: Expected[]): Promise<{ error: CsError; ui: ScriptedUi }> {
  const ui = new ScriptedUi(script);
  const error = await new Walk(ui, store, await load(store, runId), { noInput: false, env: ENV }).run().then(
    () => {
      throw new Error('the walk ended without being interrupted');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CsError);
  ui.assertDone();
  return { error: error as CsError, ui };
}

function statuses(loaded: LoadedRun): string[] {
  return loaded.state.steps.map((step) => step.status);
}

describe('a walk from start to finish', () => {
  it('asks every question, keeps every answer, and finishes the run', async () => {
    const { store, runId } = await setup();
    const { ui, state } = await walk(store, runId, [...KICKOFF, ...SETUP, ...HANDOVER]);
    expect(state.status).toBe('finished');

    const kept = await load(store, runId);
    expect(kept.run.status).toBe('finished');
    expect(kept.run.finishedAt).not.toBeNull();
    expect(statuses(kept)).toEqual(['done', 'done', 'done']);
    expect(kept.state.steps.map((step) => step.answers)).toEqual([
      { goals: GOALS, health: 'ok', seats: 40 },
      { ready: true, 'go-live': '2026-12-15', modules: ['crm', 'support'] },
      { csm: 'Nguyễn Thị Lan' },
    ]);
    expect(kept.state.steps[0]!.checked).toEqual([0]);
    expect(await store.listRuns({ status: 'open' })).toEqual([]);

    expect(ui.output[0]).toBe(`${NAME} · Kiểm thử hành trình (walk-test v3, run #${runId}, day 0 2026-11-26)`);
    expect(ui.printed).toContain('Tuần 1 — khởi động · step 1 of 3 · due Sat 2026-11-28 (in 2 days)');
    expect(ui.printed).toContain('  Hỏi khách hàng về mục tiêu.');
    expect(ui.printed).toContain('✓ Cuộc gọi khởi động');
    expect(ui.output.at(-1)).toBe(`✓ Kiểm thử hành trình finished for ${NAME}: 3 done, 0 skipped.`);
    expect(ui.errors).toEqual([]);
  });

  it('offers going back only once there is an earlier step', async () => {
    const { store, runId } = await setup();
    const { ui } = await walk(store, runId, [...KICKOFF, ...SETUP, ...HANDOVER]);
    const whatNow = ui.asked.map((prompt, index) => ({ prompt, index })).filter(({ prompt }) => prompt.message === 'What now?');
    expect(ui.choicesOf(whatNow[0]!.index)).toEqual(['work', 'skip', 'note', 'stop']);
    expect(ui.choicesOf(whatNow[1]!.index)).toEqual(['work', 'skip', 'note', 'back', 'stop']);
  });

  it('passes the field definition to each prompt: choices, bounds, required', async () => {
    const { store, runId } = await setup();
    const { ui } = await walk(store, runId, [...KICKOFF, ...SETUP, ...HANDOVER]);
    const prompt = (message: string) => ui.asked.find((asked) => asked.message === message)!.options;
    expect(prompt('Bao nhiêu người dùng?')).toMatchObject({ min: 1, max: 500 });
    expect(prompt('Mục tiêu của khách hàng?')).toMatchObject({ required: true });
    expect(ui.choicesOf(ui.asked.findIndex((asked) => asked.message === 'Cuộc gọi thế nào?'))).toEqual(['great', 'ok', 'worrying']);
  });
});

describe('skip and note', () => {
  it('skips a step with its reason', async () => {
    const { store, runId } = await setup();
    const { ui } = await walk(store, runId, [
      { select: 'skip', message: 'What now?' },
      { text: 'Khách đã họp khởi động với Sales', message: 'Why skip' },
      ...SETUP,
      ...HANDOVER,
    ]);
    const kept = await load(store, runId);
    expect(kept.state.steps[0]).toMatchObject({ status: 'skipped', skipReason: 'Khách đã họp khởi động với Sales', answers: {} });
    expect(kept.run.status).toBe('finished');
    expect(ui.printed).toContain('↷ Skipped: Cuộc gọi khởi động');
    expect(ui.output.at(-1)).toBe(`✓ Kiểm thử hành trình finished for ${NAME}: 2 done, 1 skipped.`);
  });

  it('adds a note to a step, then stops: the note is kept and the step stays open', async () => {
    const { store, runId } = await setup();
    const { ui, state } = await walk(store, runId, [
      { select: 'note', message: 'What now?' },
      { longtext: 'Khách muốn gọi lại sau Tết', message: 'Note for this step' },
      { select: 'stop', message: 'What now?' },
    ]);
    expect(state.status).toBe('open');
    // the second menu offers to edit the note just written
    const second = ui.asked[2]!.options.choices as { value: string; name: string }[];
    expect(second.find((choice) => choice.value === 'note')?.name).toBe('Edit the note');
    const kept = await load(store, runId);
    expect(kept.state.steps[0]).toMatchObject({ status: 'open', note: 'Khách muốn gọi lại sau Tết' });
    expect(kept.run.status).toBe('open');
    expect(ui.output.at(-1)).toBe(`Saved. ${RESUME}`);
  });
});

describe('going back', () => {
  it('goes back to an earlier step, changes an answer (asked with the old one as default), and goes on', async () => {
    const { store, runId } = await setup();
    const { ui } = await walk(store, runId, [
      ...KICKOFF,
      { select: 'back', message: 'What now?' },
      { select: 'kickoff', message: 'Go back to which step?' },
      { select: 'work', message: 'What now?' },
      { confirm: true, message: 'Đã đặt lịch cuộc gọi' },
      { confirm: true, message: 'Đã gửi chương trình họp' },
      { longtext: 'Mục tiêu mới: giảm 30% cuộc gọi nhỡ', message: 'Mục tiêu' },
      { select: 'great', message: 'Cuộc gọi thế nào?' },
      { number: 45, message: 'Bao nhiêu người dùng?' },
      ...SETUP,
      ...HANDOVER,
    ]);
    const revisit = ui.asked.findIndex((asked, index) => index > 6 && asked.message === 'What now?');
    expect(ui.choicesOf(revisit)).toEqual(['work', 'continue', 'note', 'stop']);
    // the earlier answers are offered as defaults
    expect(ui.asked[revisit + 1]!.options.default).toBe(true);
    expect(ui.asked[revisit + 2]!.options.default).toBe(false);
    expect(ui.asked[revisit + 3]!.options.default).toBe(GOALS);
    expect(ui.asked[revisit + 4]!.options.default).toBe('ok');
    expect(ui.asked[revisit + 5]!.options.default).toBe(40);

    const kept = await load(store, runId);
    expect(kept.state.steps[0]!.answers).toEqual({ goals: 'Mục tiêu mới: giảm 30% cuộc gọi nhỡ', health: 'great', seats: 45 });
    expect(kept.state.steps[0]!.checked).toEqual([0, 1]);
    expect(statuses(kept)).toEqual(['done', 'done', 'done']);
    expect(kept.run.status).toBe('finished');
  });

  it('going back, an optional date can be cleared', async () => {
    const { store, runId } = await setup();
    await walk(store, runId, [
      ...KICKOFF,
      ...SETUP,
      { select: 'back', message: 'What now?' },
      { select: 'setup', message: 'Go back to which step?' },
      { select: 'work', message: 'What now?' },
      { confirm: true, message: 'Đã sẵn sàng chưa?' },
      { date: '', message: 'Ngày chạy chính thức' }, // the person erases the date kept before
      { multiselect: ['crm', 'support'] },
      { select: 'stop', message: 'What now?' },
    ]);
    const kept = await load(store, runId);
    expect(kept.state.steps[1]!.answers.modules).toEqual(['crm', 'support']);
    expect(kept.state.steps[1]!.answers['go-live'] ?? '').toBe('');
  });

  it('going back and keeping the step as it is changes nothing', async () => {
    const { store, runId } = await setup();
    await walk(store, runId, [
      ...KICKOFF,
      { select: 'back' },
      { select: 'kickoff' },
      { select: 'continue', message: 'What now?' },
      { select: 'stop', message: 'What now?' },
    ]);
    const kept = await load(store, runId);
    expect(statuses(kept)).toEqual(['done', 'open', 'open']);
    expect(kept.state.steps[0]!.answers).toEqual({ goals: GOALS, health: 'ok', seats: 40 });
    expect(kept.state.cursor).toBe(1);
  });
});

describe('stopping and resuming', () => {
  it('stop returns with the run open; resuming continues at the first open step', async () => {
    const { store, runId } = await setup();
    const first = await walk(store, runId, [...KICKOFF, { select: 'stop', message: 'What now?' }]);
    expect(first.state.status).toBe('open');
    expect(first.ui.output.at(-1)).toBe(`Saved. ${RESUME}`);
    const kept = await load(store, runId);
    expect(kept.run.status).toBe('open');
    expect(statuses(kept)).toEqual(['done', 'open', 'open']);
    expect(kept.state.cursor).toBe(1);

    const second = await walk(store, runId, [...SETUP, ...HANDOVER]);
    expect(second.ui.printed).toContain('1 done, 0 skipped, 2 to go.');
    // the first step shown is the second of the playbook
    const shown = second.ui.output.filter((line) => / · step \d of 3 · /.test(line));
    expect(shown[0]).toMatch(/^Tuần 1 — khởi động · step 2 of 3 · /);
    expect((await load(store, runId)).run.status).toBe('finished');
  });

  it('Ctrl-C at a prompt: exit 130, a hint to resume, and everything answered before it is kept', async () => {
    const { store, runId } = await setup();
    const { error } = await interruptedWalk(store, runId, [...KICKOFF, { select: 'work' }, { confirm: true }, { interrupt: true, at: 'date' }]);
    expect(error.exitCode).toBe(130);
    expect(error.hint).toBe(RESUME);
    const kept = await load(store, runId);
    expect(kept.run.status).toBe('open');
    expect(statuses(kept)).toEqual(['done', 'open', 'open']);
    expect(kept.state.steps[0]!.answers).toEqual({ goals: GOALS, health: 'ok', seats: 40 });
    expect(kept.state.steps[1]!.answers).toEqual({ ready: true });
  });

  it('a step left half-answered resumes at its first unanswered field and keeps the earlier answers', async () => {
    const { store, runId } = await setup();
    await interruptedWalk(store, runId, [...KICKOFF, { select: 'work' }, { confirm: true }, { interrupt: true }]);
    const { ui } = await walk(store, runId, [
      { select: 'work', message: 'What now?' },
      // no question about "ready": it was answered before Ctrl-C
      { date: '2026-12-20', message: 'Ngày chạy chính thức' },
      { multiselect: ['billing'], message: 'Những phân hệ nào?' },
      ...HANDOVER,
    ]);
    const menu = ui.asked[0]!.options.choices as { value: string; name: string }[];
    expect(menu[0]).toEqual({ value: 'work', name: 'Continue this step' });
    expect(ui.printed).toContain('  Saved so far:');
    expect(ui.printed).toMatch(/Saved so far:\n\s+• Đã sẵn sàng chưa\?\s+yes\n/);
    const kept = await load(store, runId);
    expect(kept.state.steps[1]!.answers).toEqual({ ready: true, 'go-live': '2026-12-20', modules: ['billing'] });
    expect(kept.run.status).toBe('finished');
  });

  it('Ctrl-C in the middle of a checklist keeps the items ticked so far and asks only the rest', async () => {
    const { store, runId } = await setup();
    await interruptedWalk(store, runId, [{ select: 'work' }, { confirm: true }, { interrupt: true, at: 'confirm' }]);
    expect((await load(store, runId)).state.steps[0]!.checked).toEqual([0]);
    await walk(store, runId, [
      { select: 'work' },
      { confirm: true, message: 'Đã gửi chương trình họp' },
      { longtext: GOALS },
      { select: 'great' },
      { number: 3 },
      { select: 'stop' },
    ]);
    expect((await load(store, runId)).state.steps[0]).toMatchObject({ status: 'done', checked: [0, 1] });
  });

  it('Ctrl-C at the very first prompt writes nothing', async () => {
    const { store, runId } = await setup();
    const before = await load(store, runId);
    const { error } = await interruptedWalk(store, runId, [{ interrupt: true, at: 'select' }]);
    expect(error.exitCode).toBe(130);
    expect(error.message).toBe('Stopped.');
    expect((await load(store, runId)).state).toEqual(before.state);
  });
});

describe('with answers given up front', () => {
  it('asks only what the answers file left out', async () => {
    const { store, runId } = await setup();
    await walk(
      store,
      runId,
      [
        // kickoff: health was given, goals (required) was not: the checklist the file did not tick,
        // then goals, then the optional seats
        { confirm: true, message: 'Đã đặt lịch cuộc gọi' },
        { confirm: false },
        { longtext: GOALS, message: 'Mục tiêu' },
        { number: 12, message: 'Bao nhiêu người dùng?' },
        { select: 'stop', message: 'What now?' },
      ],
      { answers: { kickoff: { health: 'worrying' } } },
    );
    const kept = await load(store, runId);
    expect(kept.state.steps[0]).toMatchObject({ status: 'done', checked: [0], answers: { goals: GOALS, health: 'worrying', seats: 12 } });
  });

  it('with --no-input and a complete file, nothing is asked and the run finishes', async () => {
    const { store, runId } = await setup();
    const { ui } = await walk(store, runId, [], {
      noInput: true,
      answers: {
        kickoff: { goals: GOALS, _checklist: [2], _note: 'Ghi chú' },
        setup: { _skip: 'Khách tự cài' },
        handover: { csm: 'Lan' },
      },
    });
    expect(ui.asked).toEqual([]);
    const kept = await load(store, runId);
    expect(kept.run.status).toBe('finished');
    expect(kept.state.steps[0]).toMatchObject({ status: 'done', checked: [1], note: 'Ghi chú', answers: { goals: GOALS } });
    expect(kept.state.steps[1]).toMatchObject({ status: 'skipped', skipReason: 'Khách tự cài' });
  });

  it('with --no-input and a required answer missing, it refuses before writing anything', async () => {
    const { store, runId } = await setup();
    const before = await load(store, runId);
    const ui = new ScriptedUi([]);
    const walking = new Walk(ui, store, before, { noInput: true, env: ENV, script: scriptFromData({ kickoff: { goals: 'x' } }, playbook, 'a.yaml') }).run();
    await expect(walking).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('step setup, field ready: a required answer is missing') });
    expect((await load(store, runId)).state).toEqual(before.state);
  });
});

describe('the scripted fake itself', () => {
  it('fails loudly on a prompt of another kind, a message that does not match, or an empty queue', async () => {
    await expect(new ScriptedUi([{ confirm: true }]).text({ message: 'Tên?' })).rejects.toThrow(ScriptMismatch);
    await expect(new ScriptedUi([{ text: 'x', message: 'Email' }]).text({ message: 'Tên?' })).rejects.toThrow(/containing "Email"/);
    await expect(new ScriptedUi([]).confirm({ message: 'OK?' })).rejects.toThrow(/run out/);
    await expect(new ScriptedUi([{ select: 'nope' }]).select({ message: 'Pick', choices: [{ value: 'a', name: 'A' }] })).rejects.toThrow(/offers "a"/);
    expect(() => new ScriptedUi([{ text: 'left over' }]).assertDone()).toThrow(/never came/);
  });

  it('an interrupt entry throws the terminal’s exit-130 CsError', async () => {
    await expect(new ScriptedUi([{ interrupt: true }]).date({ message: 'Ngày?' })).rejects.toMatchObject({ exitCode: 130, message: 'Stopped.' });
  });
});

describe('a date typed at the prompt goes through the one date parser', () => {
  const setupWith = (date: string): Expected[] => [...KICKOFF, { select: 'work', message: 'What now?' }, { confirm: true, message: 'Đã sẵn sàng chưa?' }, { date, message: 'Ngày chạy chính thức' }];

  it.each([
    [' Tomorrow ', '2026-11-27'],
    ['+1m', '2026-12-26'],
    ['-3d', '2026-11-23'],
    ['2026-12-15', '2026-12-15'],
  ])('%j is stored as %s; the run finishes on CS_TODAY', async (typed, stored) => {
    const { store, runId } = await setup();
    await walk(store, runId, [...setupWith(typed), { multiselect: [], message: 'Những phân hệ nào?' }, ...HANDOVER]);
    const kept = await load(store, runId);
    expect(kept.state.steps[1]!.answers['go-live']).toBe(stored);
    expect(kept.run.finishedAt!.slice(0, 10), 'the finish day is today as cs sees it (CS_TODAY), a local day').toBe(ENV.CS_TODAY);
  });

  it.each([
    ['9999-12-31', 'Ngày chạy chính thức: 9999-12-31 is outside the years cs accepts, 1900 to 2999'],
    ['0026-11-20', 'Ngày chạy chính thức: 0026-11-20 is outside the years cs accepts, 1900 to 2999 (did you mean 2026-11-20?)'],
    ['2027-02-29', 'Ngày chạy chính thức: 2027-02-29 is not a real date: February 2027 has 28 days'],
    ['next week', 'Ngày chạy chính thức: expected a date (YYYY-MM-DD, today, tomorrow, yesterday, +3d, -3d, +2w, +1m); got "next week"'],
  ])('%j is refused (exit 2), and no date is stored', async (typed, message) => {
    const { store, runId } = await setup();
    const ui = new ScriptedUi(setupWith(typed));
    const error = await new Walk(ui, store, await load(store, runId), { noInput: false, env: ENV }).run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CsError);
    expect(error).toMatchObject({ exitCode: 2, message });
    const kept = await load(store, runId);
    expect(kept.state.steps[1]!.answers).toEqual({ ready: true });
    expect(kept.state.steps[1]!.status).toBe('open');
  });
});
