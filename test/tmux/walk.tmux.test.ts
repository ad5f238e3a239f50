/**
 * The interactive walk, for real: `cs` in a tmux terminal (120×40, UTF-8), keys typed as a CSM
 * would, the screen read back, the database checked through `cs status --json`.
 *
 * Needs a built CLI (`npm test` builds first) and tmux. Every test gets a fresh HOME and database.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession, tmuxAvailable, walkEnv } from '../support/tmux.js';
import type { StepJson } from '../support/runs.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'cs.js');
const ACCOUNT = 'Công ty Ánh Dương';
const TODAY = '2026-11-26';
const RESUME_HINT = `Stopped. Continue with: cs resume "${ACCOUNT}"`;

/** Both spellings a user may type: precomposed (NFC, most keyboards) and decomposed (NFD, macOS paste). */
const NFD_ACCOUNT = ACCOUNT.normalize('NFD');

let home: string;
const sessions: TmuxSession[] = [];

function csEnv(): Record<string, string> {
  return walkEnv(home, TODAY);
}

/** `cs <args…>` in tmux, with no $EDITOR (longtext is then typed line by line). */
async function cs(...args: string[]): Promise<TmuxSession> {
  const session = await TmuxSession.start({
    command: [process.execPath, BIN, ...args],
    env: csEnv(),
    unset: ['EDITOR', 'VISUAL', 'CS_PLAYBOOKS', 'CS_TEMPLATES', 'CS_DEBUG', 'FORCE_COLOR'],
    cwd: ROOT,
    width: 120,
    height: 40,
  });
  sessions.push(session);
  return session;
}


interface RunSummary {
  account: string;
  status: string;
  steps: { done: number; skipped: number; open: number };
  stepList: StepJson[];
  answers: Record<string, Record<string, unknown>>;
}

/** `cs status <account> --json`, run as a plain child process against the test's database. */
function status(): RunSummary[] {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...csEnv() };
  return JSON.parse(execFileSync(process.execPath, [BIN, 'status', ACCOUNT, '--json'], { env, encoding: 'utf8', timeout: 20_000 })) as RunSummary[];
}

function step(run: RunSummary, id: string): StepJson {
  const found = run.stepList.find((each) => each.id === id);
  if (!found) throw new Error(`no step ${id} in ${run.stepList.map((each) => each.id).join(', ')}`);
  return found;
}

function checked(summary: StepJson): boolean[] {
  return summary.checklist.map((item) => item.checked);
}

/** Whitespace folded, so a line the prompt library wrapped still matches the answer it shows. */
function flat(screen: string): string {
  return screen.replace(/\s+/g, ' ');
}

/** Lines that are prompts (asked or answered) containing `text`. */
function promptsAsked(screen: string, text: string): string[] {
  return screen.split('\n').filter((line) => (line.startsWith('? ') || line.startsWith('✔ ')) && line.includes(text));
}

function expectNoStackTrace(screen: string): void {
  expect(screen).not.toMatch(/^\s+at .+[:(]\d+:\d+\)?$/m);
  expect(screen).not.toMatch(/ExitPromptError|node:internal|unexpected error|This is a bug in cs/);
}

/** Answers one longtext prompt: each line (shown back under the prompt), then the empty line that ends it. */
async function longtext(session: TmuxSession, prompt: string, lines: string[]): Promise<void> {
  await session.prompt(prompt);
  for (const line of lines) {
    await session.type(line);
    await session.press('Enter');
    await session.prompt(`│ ${line}\n  │`);
  }
  await session.answer('');
}

const PROBLEM = 'Khách hàng cần quản lý tổng đài tập trung';
const SUCCESS = 'Giảm 30% cuộc gọi nhỡ trong tháng đầu';
const OPTIONAL_HANDOFF_FIELDS = ['What concerns or objections', 'What is their working style', 'Any political dynamics', 'What needs clarification before the kickoff?'];

describe.skipIf(!tmuxAvailable())('the interactive walk in a real terminal (tmux)', { timeout: 45_000 }, () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'main.cjs'))) throw new Error('cs is not built: run `npm run build` (npm test does it first)');
  });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.kill()));
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const fresh = () => {
    home = mkdtempSync(join(tmpdir(), 'cs-tmux-'));
  };

  it('keeps every answer through kill -9, and resume (name typed in NFD) asks the third question, not the first', async () => {
    fresh();
    const first = await cs('onboard', 'start', ACCOUNT);
    let screen = await first.prompt('What now?');
    expect(screen).toContain('Handoff from Sales');
    expect(screen).toContain('step 1 of 14');
    expect(screen).toContain('❯ Work on this step');
    await first.answer('');

    for (const [item, answer] of [
      ['Scheduled a handoff meeting', 'y'],
      ['Sales walked through the account', 'n'],
      ['Asked every handoff question', 'y'],
      ['Flagged what needs clarification', 'y'],
    ] as const) {
      await first.prompt(item);
      await first.answer(answer);
    }
    await longtext(first, 'What specific problem does the customer need to solve?', [PROBLEM]);
    await longtext(first, 'How do they measure success?', [SUCCESS]);
    await first.prompt('Who are the key stakeholders');

    // The hard way out: no signal handler, no chance to flush anything.
    process.kill(await first.programPid(/cs\.js/), 'SIGKILL');
    expect(await first.exitCode()).toBe(137);

    const [killed] = status();
    expect(killed!.status).toBe('open');
    const handoff = step(killed!, 'sales-handoff');
    expect(handoff.status).toBe('open');
    expect(handoff.answers).toStrictEqual({ problem: PROBLEM, 'success-measures': SUCCESS });
    expect(checked(handoff)).toStrictEqual([true, false, true, true]);

    const second = await cs('resume', NFD_ACCOUNT);
    screen = await second.prompt('What now?');
    expect(screen).toContain(ACCOUNT); // the stored (NFC) name, whatever was typed
    expect(screen).toContain('Saved so far:');
    expect(flat(screen)).toContain(`What specific problem does the customer need to solve? ${PROBLEM}`);
    expect(flat(screen)).toContain(`How do they measure success? ${SUCCESS}`);
    expect(TmuxSession.activePrompt(screen)).toContain('❯ Continue this step');
    await second.answer('');

    screen = await second.prompt('Who are the key stakeholders, and what does each of them care about?');
    expect(promptsAsked(screen, 'What specific problem')).toStrictEqual([]);
    expect(promptsAsked(screen, 'How do they measure success')).toStrictEqual([]);
    expect(promptsAsked(screen, 'Scheduled a handoff meeting')).toStrictEqual([]);

    // The third answer goes in like the others, then Ctrl-C: nothing of it is lost either.
    await longtext(second, 'Who are the key stakeholders', ['Anh Minh (giám đốc vận hành): báo cáo cuộc gọi mỗi tuần']);
    await second.prompt('What commitments were made during the sale?');
    await second.press('C-c');
    expect(await second.exitCode()).toBe(130);

    const [after] = status();
    expect(step(after!, 'sales-handoff').answers).toStrictEqual({
      problem: PROBLEM,
      'success-measures': SUCCESS,
      stakeholders: 'Anh Minh (giám đốc vận hành): báo cáo cuộc gọi mỗi tuần',
    });
  });

  it('Ctrl-C at a confirm, a longtext, a select and a text prompt: exit 130, the resume hint, everything given kept', async () => {
    fresh();
    const expectStopped = async (session: TmuxSession): Promise<string> => {
      expect(await session.exitCode()).toBe(130);
      const screen = await session.screen();
      expect(screen).toContain(RESUME_HINT);
      expectNoStackTrace(screen);
      return screen;
    };

    // 1. At a checklist confirm, after two items were ticked.
    const atConfirm = await cs('onboard', 'start', ACCOUNT);
    await atConfirm.prompt('What now?');
    await atConfirm.answer('');
    await atConfirm.prompt('Scheduled a handoff meeting');
    await atConfirm.answer('y');
    await atConfirm.prompt('Sales walked through the account');
    await atConfirm.answer('y');
    await atConfirm.prompt('Asked every handoff question');
    await atConfirm.press('C-c');
    await expectStopped(atConfirm);
    let handoff = step(status()[0]!, 'sales-handoff');
    expect(checked(handoff)).toStrictEqual([true, true, false, false]);
    expect(handoff.answers).toStrictEqual({});

    // 2. At a longtext prompt, half typed, after the first answer was given.
    const atLongtext = await cs('resume', ACCOUNT);
    await atLongtext.prompt('Continue this step');
    await atLongtext.answer('');
    await atLongtext.prompt('Asked every handoff question'); // the ticked items are not asked again
    await atLongtext.answer('y');
    await atLongtext.prompt('Flagged what needs clarification');
    await atLongtext.answer('n');
    await longtext(atLongtext, 'What specific problem does the customer need to solve?', [PROBLEM]);
    await atLongtext.prompt('How do they measure success?');
    await atLongtext.type('Giảm 30%');
    await atLongtext.press('C-c');
    let screen = await expectStopped(atLongtext);
    expect(promptsAsked(screen, 'Scheduled a handoff meeting')).toStrictEqual([]);
    handoff = step(status()[0]!, 'sales-handoff');
    expect(checked(handoff)).toStrictEqual([true, true, true, false]);
    expect(handoff.answers).toStrictEqual({ problem: PROBLEM });

    // 3. At the "What now?" select.
    const atSelect = await cs('resume', ACCOUNT);
    screen = await atSelect.prompt('What now?');
    expect(flat(screen)).toContain(PROBLEM);
    await atSelect.press('C-c');
    await expectStopped(atSelect);
    handoff = step(status()[0]!, 'sales-handoff');
    expect(handoff.status).toBe('open');
    expect(handoff.answers).toStrictEqual({ problem: PROBLEM });

    // 4. At the text prompt asking why a step is skipped: the step is not skipped.
    const atText = await cs('resume', ACCOUNT);
    await atText.prompt('Skip it (give a reason)');
    await atText.answer('', ['Down', 'Enter']);
    await atText.prompt('Why skip this step?');
    await atText.type('Chưa có');
    await atText.press('C-c');
    await expectStopped(atText);
    const [run] = status();
    handoff = step(run!, 'sales-handoff');
    expect(handoff.status).toBe('open');
    expect(handoff.skipReason).toBeNull();
    expect(handoff.answers).toStrictEqual({ problem: PROBLEM });
    expect(checked(handoff)).toStrictEqual([true, true, true, false]);
    expect(run!.steps).toMatchObject({ done: 0, skipped: 0 });
  });

  it('skip with a reason, add and edit a note, go back to earlier steps with the arrow keys', async () => {
    fresh();
    const walk = await cs('onboard', 'start', ACCOUNT);

    // Step 1, done in full.
    await walk.prompt('What now?');
    await walk.answer('');
    for (const item of ['Scheduled a handoff meeting', 'Sales walked through', 'Asked every handoff question', 'Flagged what needs']) {
      await walk.prompt(item);
      await walk.answer('y');
    }
    await longtext(walk, 'What specific problem', [PROBLEM]);
    await longtext(walk, 'How do they measure success?', [SUCCESS]);
    await longtext(walk, 'Who are the key stakeholders', ['Chị Lan (kế toán trưởng)']);
    await longtext(walk, 'What commitments were made during the sale?', ['Đào tạo miễn phí 2 buổi']);
    for (const optional of OPTIONAL_HANDOFF_FIELDS) await longtext(walk, optional, []);
    await walk.waitFor('✓ Handoff from Sales');
    // the step produces the handoff notes: offered at once, declined here
    await walk.prompt('Render sales-handoff now?');
    await walk.answer('n');
    await walk.waitFor('Later: cs render sales-handoff "Công ty Ánh Dương"');

    // Step 2: skipped, with a reason.
    let screen = await walk.prompt('What now?');
    expect(screen).toContain('Prepare the kickoff call');
    await walk.answer('', ['Down', 'Enter']);
    await walk.prompt('Why skip this step?');
    await walk.answer('Khách chưa chốt lịch gọi');
    await walk.waitFor('↷ Skipped: Prepare the kickoff call');

    // Step 3: a note, then the note changed (an empty line would keep it).
    screen = await walk.prompt('Go back to an earlier step');
    expect(TmuxSession.activePrompt(screen)).toMatch(/❯ Work on this step\n {2}Skip it \(give a reason\)\n {2}Add a note\n {2}Go back to an earlier step\n {2}Stop here/);
    await walk.answer('', ['Down', 'Down', 'Enter']);
    await longtext(walk, 'Note for this step', ['Gọi lại cho chị Lan trước thứ Sáu']);
    await walk.waitFor('Note saved.');
    await walk.prompt('Edit the note');
    await walk.answer('', ['Down', 'Down', 'Enter']);
    screen = await walk.prompt('Note for this step');
    expect(screen).toContain('│ Gọi lại cho chị Lan trước thứ Sáu');
    expect(TmuxSession.activePrompt(screen)).toContain('empty line keeps the text above');
    await longtext(walk, 'Note for this step', ['Gửi báo giá cho chị Lan trước thứ Sáu', 'rồi gọi lại']);
    await walk.waitFor((text) => text.split('Note saved.').length === 3);

    // Back to the skipped step 2 (the menu's default), left as it is.
    await walk.prompt('Edit the note');
    await walk.answer('', ['Down', 'Down', 'Down', 'Enter']);
    screen = await walk.prompt('Go back to which step?');
    let choices = TmuxSession.activePrompt(screen)!;
    expect(choices).toContain('  ✓ 1. Handoff from Sales');
    expect(choices).toContain('❯ ↷ 2. Prepare the kickoff call');
    expect(choices).toContain('  Cancel');
    await walk.answer('');
    screen = await walk.prompt('Keep it as it is and go on');
    expect(screen).toContain('Prepare the kickoff call (skipped: Khách chưa chốt lịch gọi)');
    await walk.answer('', ['Down', 'Enter']);

    // The walk is back on step 3, its note shown; back again, this time Up to step 1.
    screen = await walk.prompt('Edit the note');
    expect(screen.slice(screen.lastIndexOf('step 3 of 14'))).toContain('Note: Gửi báo giá cho chị Lan trước thứ Sáu');
    await walk.answer('', ['Down', 'Down', 'Down', 'Enter']);
    await walk.prompt('Go back to which step?');
    await walk.answer('', ['Up', 'Enter']);
    screen = await walk.prompt('Keep it as it is and go on');
    const revisited = screen.slice(screen.lastIndexOf('step 1 of 14'));
    expect(revisited).toContain('Handoff from Sales (done)');
    expect(flat(revisited)).toContain(`What specific problem does the customer need to solve? ${PROBLEM}`);
    expect(flat(revisited)).toContain(`What commitments were made during the sale? Đào tạo miễn phí 2 buổi`);
    await walk.answer('', ['Down', 'Enter']);

    // Step 3 again; stop there.
    screen = await walk.prompt('Edit the note');
    expect(screen.lastIndexOf('step 3 of 14')).toBeGreaterThan(screen.lastIndexOf('step 1 of 14'));
    choices = TmuxSession.activePrompt(screen)!;
    expect(choices).toMatch(/Go back to an earlier step\n {2}Stop here \(everything is saved\)/);
    await walk.answer('', ['Down', 'Down', 'Down', 'Down', 'Enter']);
    await walk.waitFor(`Saved. Continue with: cs resume "${ACCOUNT}"`);
    expect(await walk.exitCode()).toBe(0);
    expectNoStackTrace(await walk.screen());

    const [run] = status();
    expect(run!.steps).toMatchObject({ done: 1, skipped: 1, open: 12 });
    const handoff = step(run!, 'sales-handoff');
    expect(handoff.status).toBe('done');
    expect(handoff.answers).toStrictEqual({
      problem: PROBLEM,
      'success-measures': SUCCESS,
      stakeholders: 'Chị Lan (kế toán trưởng)',
      'sales-commitments': 'Đào tạo miễn phí 2 buổi',
    });
    expect(checked(handoff)).toStrictEqual([true, true, true, true]);
    expect(step(run!, 'kickoff-prep')).toMatchObject({ status: 'skipped', skipReason: 'Khách chưa chốt lịch gọi', answers: {} });
    expect(step(run!, 'kickoff-call')).toMatchObject({
      status: 'open',
      note: 'Gửi báo giá cho chị Lan trước thứ Sáu\nrồi gọi lại',
      answers: {},
    });
  });

  // KNOWN BUG (src/ui/terminal.ts, longtext without $EDITOR): when a *required* longtext already has
  // an answer (revisiting a done step), the first line's validate returns `options.default` — the
  // old answer, a string — which @inquirer/prompts shows as a validation error ("> <old answer>"):
  // neither an empty line (keep) nor new text is accepted, the only way out is Ctrl-C.
  // `.fails` keeps `npm test` green while the bug is there; remove it once longtext is fixed.
  it('changes an answer of a done step after going back to it', async () => {
    fresh();
    const answers = join(home, 'handoff.yaml');
    writeFileSync(
      answers,
      [
        'sales-handoff:',
        `  problem: "${PROBLEM}"`,
        `  success-measures: "${SUCCESS}"`,
        '  stakeholders: "Chị Lan (kế toán trưởng)"',
        '  sales-commitments: "Đào tạo miễn phí 2 buổi"',
        '',
      ].join('\n'),
    );
    const walk = await cs('onboard', 'start', ACCOUNT, '--answers', answers);
    let screen = await walk.prompt('Go back to an earlier step');
    expect(screen).toContain('Prepare the kickoff call');
    await walk.answer('', ['Down', 'Down', 'Down', 'Enter']);
    await walk.prompt('Go back to which step?');
    await walk.answer('');
    await walk.prompt('Change the answers');
    await walk.answer('');
    for (let item = 0; item < 4; item += 1) {
      await walk.prompt('Done: ');
      await walk.answer('y');
    }
    screen = await walk.prompt('What specific problem');
    expect(screen).toContain(`│ ${PROBLEM}`);
    await walk.press('Enter'); // an empty line keeps the text above
    screen = await walk.waitFor((text) => (TmuxSession.activePrompt(text) ?? '').includes('How do they measure success?') || /^> /m.test(text));
    expect(screen, 'the kept answer was refused as if it were a validation error').not.toMatch(/^> /m);
    await longtext(walk, 'How do they measure success?', ['Giảm 50% cuộc gọi nhỡ', 'trong quý đầu tiên']);
    await longtext(walk, 'Who are the key stakeholders', []);
    await longtext(walk, 'What commitments were made during the sale?', []);
    for (const optional of OPTIONAL_HANDOFF_FIELDS) await longtext(walk, optional, []);
    await walk.waitFor((text) => text.split('✓ Handoff from Sales').length === 2);
    await walk.prompt('Render sales-handoff now?');
    await walk.answer('n');
    await walk.prompt('Go back to an earlier step');
    await walk.answer('', ['Down', 'Down', 'Down', 'Down', 'Enter']);
    expect(await walk.exitCode()).toBe(0);

    const handoff = step(status()[0]!, 'sales-handoff');
    expect(handoff.status).toBe('done');
    expect(handoff.answers).toStrictEqual({
      problem: PROBLEM,
      'success-measures': 'Giảm 50% cuộc gọi nhỡ\ntrong quý đầu tiên',
      stakeholders: 'Chị Lan (kế toán trưởng)',
      'sales-commitments': 'Đào tạo miễn phí 2 buổi',
    });
    expect(checked(handoff)).toStrictEqual([true, true, true, true]);
  });
});
