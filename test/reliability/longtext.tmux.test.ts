/**
 * Long answers in a real terminal (tmux): pasted with and without bracketed paste, typed faster than
 * a prompt is drawn, stopped half-way by Ctrl-C, SIGTERM or SIGHUP (the lines are kept as a draft
 * that resume offers back), with EDITOR set (as npx sets it) and with the editor asked for (`:e`),
 * and an optional answer cleared (`-`). Each time, what the database holds is checked.
 */
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { onePhasePlaybook } from '../support/playbook-yaml.js';
import { LEAKS } from '../support/refusal.js';
import { statusJson } from '../support/runs.js';
import type { StepJson } from '../support/runs.js';
import { tempDir, writeFiles } from '../support/tmp.js';
import { TmuxSession, tmuxAvailable } from '../support/tmux.js';

const ACCOUNT = 'Công ty Ánh Dương';
const RESUME_HINT = `Stopped. Continue with: cs resume "${ACCOUNT}"`;

const PLAYBOOK = onePhasePlaybook({
  id: 'longtext-test',
  title: 'Long answers',
  steps: `
      - id: kickoff
        title: Kickoff call
        checklist: [Shared the timeline, Sent the agenda]
        fields:
          - { id: attendees, prompt: Who attended, type: longtext, required: true }
          - { id: extra, prompt: Anything else, type: longtext }
          - { id: contact, prompt: Contact name, type: text }
      - id: wrap-up
        title: Wrap-up
        fields:
          - { id: happy, prompt: Is the customer happy, type: confirm }
`,
});

const sessions: TmuxSession[] = [];
let box: Sandbox;
let folder: string;

/** `cs <args…>` in a 100×40 tmux terminal; `env` adds variables (EDITOR is unset unless given). */
async function cs(args: string[], env: Record<string, string> = {}): Promise<TmuxSession> {
  const keep = ['HOME', 'CS_DB', 'CS_TODAY', 'NO_COLOR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'CS_PLAYBOOKS'];
  const session = await TmuxSession.start({
    command: [process.execPath, BIN, ...args],
    env: { ...Object.fromEntries(keep.map((key) => [key, box.env[key]!])), LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...env },
    unset: ['CS_TEMPLATES', 'CS_DEBUG', 'FORCE_COLOR', 'CS_TRACE', ...['EDITOR', 'VISUAL'].filter((name) => !(name in env))],
    cwd: box.home,
    width: 100,
    height: 40,
  });
  sessions.push(session);
  return session;
}

/** A new walk, through the checklist (both items unticked), at the "Who attended" prompt. */
async function atAttendees(env: Record<string, string> = {}): Promise<TmuxSession> {
  const walk = await cs(['run', 'longtext-test', ACCOUNT], env);
  await walk.prompt('What now?');
  await walk.answer('');
  for (const item of ['Shared the timeline', 'Sent the agenda']) {
    await walk.prompt(item);
    await walk.answer('n');
  }
  await walk.prompt('Who attended');
  return walk;
}

function kickoff(): StepJson {
  const run = statusJson(box, ACCOUNT)[0]!;
  return run.stepList.find((step) => step.id === 'kickoff')!;
}

/** Stops the walk at the contact prompt (Ctrl-C): what came before is saved. */
async function stopAtContact(walk: TmuxSession): Promise<void> {
  await walk.prompt('Contact name');
  await walk.press('C-c');
  expect(await walk.exitCode()).toBe(130);
}

function expectClean(screen: string): void {
  for (const leak of [...LEAKS, /ExitPromptError/]) expect(screen).not.toMatch(leak);
}

describe.skipIf(!tmuxAvailable())('long answers in a real terminal (tmux)', { timeout: 60_000 }, () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'main.cjs'))) throw new Error('cs is not built: run `npm run build` (npm test does it first)');
  });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.kill()));
  });

  const fresh = () => {
    folder = writeFiles(tempDir(), { 'longtext-test.yaml': PLAYBOOK });
    box = sandbox({ playbooks: folder });
  };

  const PASTED = 'Chị Lan (kế toán trưởng)\nAnh Minh\n\nBà Hoa — giám đốc vận hành\n';
  const PASTED_ANSWER = 'Chị Lan (kế toán trưởng)\nAnh Minh\n\nBà Hoa — giám đốc vận hành';

  for (const bracketed of [true, false]) {
    it(`a paste of several lines, a blank one among them, keeps every line (${bracketed ? 'bracketed paste' : 'no bracketed paste'})`, async () => {
      fresh();
      const walk = await atAttendees();
      await walk.paste(PASTED, bracketed);
      await walk.prompt('│ Bà Hoa — giám đốc vận hành\n  │');
      await walk.answer(''); // the empty line that ends it
      await walk.prompt('Anything else');
      await walk.answer('');
      await stopAtContact(walk);
      expect(kickoff().answers).toStrictEqual({ attendees: PASTED_ANSWER });
    });
  }

  it('a line, Enter, a line, Enter, Enter typed at once, and the next key before its prompt is drawn: nothing lost', async () => {
    fresh();
    const walk = await atAttendees();
    // one send-keys: the keys reach cs in one read, faster than any prompt is drawn; then, without
    // waiting for it to be drawn, the Enter that answers the next prompt ("Anything else", left empty)
    await walk.tmux('send-keys', '-t', walk.name, '-l', 'Chị Lan');
    await walk.tmux('send-keys', '-t', walk.name, 'Enter', 'A', 'n', 'h', 'Space', 'M', 'i', 'n', 'h', 'Enter', 'Enter');
    await walk.press('Enter');
    await walk.prompt('Contact name');
    await walk.answer('Khánh');
    await walk.prompt('What now?'); // the next step
    await walk.press('C-c');
    expect(await walk.exitCode()).toBe(130);
    expect(kickoff().answers).toStrictEqual({ attendees: 'Chị Lan\nAnh Minh', contact: 'Khánh' });
  });

  it('with EDITOR=vi in the environment (as npx sets it), a long answer is still asked line by line', async () => {
    fresh();
    const walk = await atAttendees({ EDITOR: 'vi' });
    const screen = await walk.screen();
    expect(TmuxSession.activePrompt(screen)).toContain('Who attended (several lines; an empty line ends · ":e" or Ctrl-E opens vi)');
    await walk.type('Chị Lan');
    await walk.press('Enter');
    await walk.prompt('│ Chị Lan\n  │');
    await walk.answer('');
    await walk.prompt('Anything else');
    await walk.answer('');
    await stopAtContact(walk);
    expect(kickoff().answers).toStrictEqual({ attendees: 'Chị Lan' });
  });

  it('":e" opens $EDITOR on the lines typed so far; what it saves is the answer', async () => {
    fresh();
    const editor = join(folder, 'fake-editor.sh');
    writeFiles(folder, { 'fake-editor.sh': '#!/bin/sh\nprintf "Dòng từ trình soạn thảo\\n" >> "$1"\n' });
    chmodSync(editor, 0o755);
    const walk = await atAttendees({ EDITOR: editor });
    await walk.type('Dòng gõ trước');
    await walk.press('Enter');
    await walk.prompt('│ Dòng gõ trước\n  │');
    await walk.type(':e');
    await walk.press('Enter');
    await walk.waitFor('(from ');
    await walk.prompt('Anything else');
    await walk.answer('');
    await stopAtContact(walk);
    expect(kickoff().answers).toStrictEqual({ attendees: 'Dòng gõ trước\nDòng từ trình soạn thảo' });
  });

  it('"-" alone clears an optional long answer kept from before', async () => {
    fresh();
    const answers = join(writeFiles(tempDir(), { 'answers.yaml': 'kickoff:\n  attendees: Chị Lan\n  extra: Gọi lại thứ Sáu\n' }), 'answers.yaml');
    const walk = await cs(['run', 'longtext-test', ACCOUNT, '--answers', answers]);
    await walk.prompt('Go back to an earlier step');
    await walk.answer('', ['Down', 'Down', 'Down', 'Enter']);
    await walk.prompt('Go back to which step?');
    await walk.answer('');
    await walk.prompt('Change the answers');
    await walk.answer('');
    for (const item of ['Shared the timeline', 'Sent the agenda']) {
      await walk.prompt(item);
      await walk.answer('n');
    }
    await walk.prompt('Who attended');
    await walk.answer(''); // an empty line keeps it
    const screen = await walk.prompt('Anything else');
    expect(TmuxSession.activePrompt(screen)).toContain('"-" alone clears it');
    await walk.answer('-');
    await stopAtContact(walk);
    expect(kickoff().answers).toStrictEqual({ attendees: 'Chị Lan' });
  });

  for (const [how, code] of [
    ['C-c', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${how} half-way through a long answer: exit ${code}, the resume hint, the cursor shown; resume offers the lines back`, async () => {
      fresh();
      const walk = await atAttendees();
      await walk.type('Dòng một');
      await walk.press('Enter');
      await walk.prompt('│ Dòng một\n  │');
      await walk.type('Dòng hai, chưa xong');
      await walk.waitFor('Dòng hai, chưa xong');
      if (how === 'C-c') await walk.press('C-c');
      else process.kill(await walk.programPid(/cs\.js/), how);
      expect(await walk.exitCode()).toBe(code);
      const screen = await walk.screen();
      expect(screen).toContain(RESUME_HINT);
      expectClean(screen);
      expect(await walk.cursorVisible(), 'the cursor is shown again').toBe(true);
      expect(kickoff().answers).toStrictEqual({});

      const resumed = await cs(['resume', ACCOUNT]);
      await resumed.prompt('What now?');
      await resumed.answer('');
      for (const item of ['Shared the timeline', 'Sent the agenda']) {
        await resumed.prompt(item); // nothing was saved of this step yet: its checklist comes first
        await resumed.answer('n');
      }
      const offer = await resumed.prompt('use what you had started?');
      expect(offer).toContain('You had started this answer');
      expect(offer).toContain('│ Dòng một\n  │ Dòng hai, chưa xong');
      await resumed.answer(''); // use it
      await resumed.prompt('Anything else');
      await resumed.answer('');
      await stopAtContact(resumed);
      expect(kickoff().answers).toStrictEqual({ attendees: 'Dòng một\nDòng hai, chưa xong' });
    });
  }

  it('SIGTERM at a select prompt: exit 143, the resume hint on its own line, the cursor shown', async () => {
    fresh();
    const walk = await cs(['run', 'longtext-test', ACCOUNT]);
    await walk.prompt('What now?');
    expect(await walk.cursorVisible(), 'the select hides the cursor').toBe(false);
    process.kill(await walk.programPid(/cs\.js/), 'SIGTERM');
    expect(await walk.exitCode()).toBe(143);
    const screen = await walk.screen();
    expect(screen).toMatch(new RegExp(`^${RESUME_HINT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(await walk.cursorVisible()).toBe(true);
  });
});
