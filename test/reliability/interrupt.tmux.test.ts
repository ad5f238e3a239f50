/**
 * Ctrl-C at the prompt kinds test/tmux/walk.tmux.test.ts does not reach (it covers select, text,
 * longtext and confirm): number, date, multiselect (checkbox), the offer to render a document after
 * a `produces:` step (its confirm, then its format select), the question asked when the same
 * playbook is started twice for an account, and the one asked when a churn run finishes (schedule
 * the win-back follow-up?). A small playbook (CS_PLAYBOOKS) gets there fast.
 *
 * Each time: exit 130, `Stopped. Continue with: cs resume "…"` (where there is something to
 * resume), no stack trace, and every answer given before the Ctrl-C is in the database
 * (`cs status --json`), nothing after it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { onePhasePlaybook } from '../support/playbook-yaml.js';
import { LEAKS } from '../support/refusal.js';
import { answersFile, expectedFrom, expectRunMatches, statusJson } from '../support/runs.js';
import type { RunJson, StepJson } from '../support/runs.js';
import { tempDir, writeFiles } from '../support/tmp.js';
import { TmuxSession, tmuxAvailable } from '../support/tmux.js';

const ACCOUNT = 'Công ty Ánh Dương';
/** `Stopped. Continue with: cs resume "…"` (at the second-run question: "Continue the open run with"). */
const RESUME_HINT = new RegExp(`Stopped\\. Continue (the open run )?with: cs resume "${ACCOUNT}"`);

const PLAYBOOK = onePhasePlaybook({
  id: 'interrupt-test',
  title: 'Ctrl-C at every prompt',
  steps: `
      - id: basics
        title: Basics
        produces: kickoff-recap
        fields:
          - { id: contact, prompt: Contact name, type: text, required: true }
          - { id: seats, prompt: How many seats, type: number }
          - { id: go-live, prompt: Go-live date, type: date }
          - { id: modules, prompt: Which modules, type: multiselect, choices: [crm, billing, support] }
      - id: wrap-up
        title: Wrap-up
        produces: sales-handoff
        fields:
          - { id: happy, prompt: Is the customer happy, type: confirm }
`,
});

const sessions: TmuxSession[] = [];
let box: Sandbox;

/** `cs <args…>` in a 120×40 tmux terminal, against the sandbox's database, no $EDITOR. */
async function cs(...args: string[]): Promise<TmuxSession> {
  const keep = ['HOME', 'CS_DB', 'CS_TODAY', 'NO_COLOR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'CS_PLAYBOOKS'];
  const session = await TmuxSession.start({
    command: [process.execPath, BIN, ...args],
    env: { ...Object.fromEntries(keep.map((key) => [key, box.env[key]!])), LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
    unset: ['EDITOR', 'VISUAL', 'CS_TEMPLATES', 'CS_DEBUG', 'FORCE_COLOR', 'CS_TRACE'],
    cwd: box.home,
  });
  sessions.push(session);
  return session;
}

/** Ctrl-C now; then exit 130 and nothing internal on the screen. Returns the screen. */
async function stop(session: TmuxSession): Promise<string> {
  await session.press('C-c');
  expect(await session.exitCode()).toBe(130);
  const screen = await session.screen();
  for (const leak of [...LEAKS, /ExitPromptError/]) expect(screen).not.toMatch(leak);
  return screen;
}

/** Ctrl-C now: exit 130, and the command that continues. */
async function interrupt(session: TmuxSession): Promise<void> {
  expect(await stop(session)).toMatch(RESUME_HINT);
}

/** Answers prompts in order: [what the prompt shows, what to type, keys to press (default Enter)]. */
async function play(session: TmuxSession, answers: [string | RegExp, string, string[]?][]): Promise<void> {
  for (const [prompt, text, keys] of answers) {
    await session.prompt(prompt);
    await session.answer(text, keys);
  }
}

/** `cs run` of the playbook whose run is open, at its question: "already has an open run…". */
async function secondRunQuestion(): Promise<TmuxSession> {
  const second = await cs('run', 'interrupt-test', ACCOUNT);
  const screen = await second.prompt('already has an open run');
  expect(TmuxSession.activePrompt(screen)).toContain('Start a second run of the same playbook');
  await second.press('Down');
  return second;
}

function runs(): RunJson[] {
  return statusJson(box, ACCOUNT);
}

function step(run: RunJson, id: string): StepJson {
  const found = run.stepList.find((each) => each.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found;
}

describe.skipIf(!tmuxAvailable())('Ctrl-C at number, date, multiselect, the render offer, the second-run and the win-back questions (tmux)', { timeout: 45_000 }, () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'main.cjs'))) throw new Error('cs is not built: run `npm run build` (npm test does it first)');
    box = sandbox({ playbooks: join(writeFiles(tempDir(), { 'interrupt-test.yaml': PLAYBOOK }), '.') });
  });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.kill()));
  });

  it('at a number prompt: the text answered before it is kept', async () => {
    const walk = await cs('run', 'interrupt-test', ACCOUNT);
    await play(walk, [['What now?', ''], ['Contact name', 'Chị Lan']]);
    await walk.prompt('How many seats');
    await walk.type('4');
    await interrupt(walk);
    expect(step(runs()[0]!, 'basics')).toMatchObject({ status: 'open', answers: { contact: 'Chị Lan' } });
  });

  it('at a date prompt, half typed: the number answered before it is kept', async () => {
    const walk = await cs('resume', ACCOUNT);
    await play(walk, [['Continue this step', ''], ['How many seats', '12']]);
    await walk.prompt('Go-live date');
    await walk.type('2026-12');
    await interrupt(walk);
    expect(step(runs()[0]!, 'basics').answers).toStrictEqual({ contact: 'Chị Lan', seats: 12 });
  });

  it('at a multiselect (checkbox) with a box ticked: the date is kept, the ticked box is not', async () => {
    const walk = await cs('resume', ACCOUNT);
    await play(walk, [['Continue this step', ''], ['Go-live date', '2026-12-01']]);
    await walk.prompt('Which modules');
    await walk.press('Space');
    await walk.waitFor((screen) => /◉ crm|\[x\] crm|✔ crm/.test(TmuxSession.activePrompt(screen) ?? ''));
    await interrupt(walk);
    expect(step(runs()[0]!, 'basics')).toMatchObject({ status: 'open', answers: { contact: 'Chị Lan', seats: 12, 'go-live': '2026-12-01' } });
  });

  it('at the offer to render the document the step produces (confirm): the step is done and kept', async () => {
    const walk = await cs('resume', ACCOUNT);
    await play(walk, [['Continue this step', ''], ['Which modules', '', ['Down', 'Space', 'Enter']]]);
    await walk.prompt('Render kickoff-recap now?');
    await interrupt(walk);
    const basics = step(runs()[0]!, 'basics');
    expect(basics.status).toBe('done');
    expect(basics.answers).toStrictEqual({ contact: 'Chị Lan', seats: 12, 'go-live': '2026-12-01', modules: ['billing'] });
  });

  it('at the format select of the render offer: the step is done and kept, no file is written', async () => {
    const walk = await cs('resume', ACCOUNT);
    await play(walk, [[/Work on this step/, ''], ['Is the customer happy', 'y'], ['Render sales-handoff now?', 'y']]);
    await walk.prompt('Format');
    await walk.press('Down');
    await interrupt(walk);
    const [run] = runs();
    expect(step(run!, 'wrap-up')).toMatchObject({ status: 'done', answers: { happy: true } });
    expect(run!.status, 'the run is not finished: the walk never got past the offer').toBe('open');
    expect(readdirSync(box.home).filter((name) => name.startsWith('sales-handoff')), 'no document written').toStrictEqual([]);
  });

  it('at the question asked when the same playbook is started twice: exit 130, no second run', async () => {
    const before = runs();
    await stop(await secondRunQuestion());
    expect(runs()).toStrictEqual(before);
  });

  // Until b28e13f this printed a bare "Stopped.".
  it('at the question asked when the same playbook is started twice: the resume hint', async () => {
    await interrupt(await secondRunQuestion());
  });

  /** `cs churn start` from the answers file, in a terminal: it walks to the end, then asks about the win-back. */
  async function winbackQuestion(account: string): Promise<TmuxSession> {
    const walk = await cs('churn', 'start', account, '--answers', answersFile('churn-response'));
    await walk.prompt('Schedule the win-back follow-up');
    return walk;
  }

  it('at the question to schedule the win-back follow-up when a churn run finishes: the churn run is kept finished, nothing scheduled', async () => {
    const screen = await stop(await winbackQuestion('Beta Telecom'));
    const [churn, ...others] = statusJson(box, 'Beta Telecom');
    expect(others, 'no follow-up run').toStrictEqual([]);
    expectRunMatches(churn!, expectedFrom(answersFile('churn-response')));
    expect(screen, 'nothing is left to resume').not.toContain('cs resume "Beta Telecom"');
  });

  // Until b28e13f this printed a bare "Stopped.", though the churn run was finished and saved.
  it('at the question to schedule the win-back follow-up: says how to schedule it later', async () => {
    const screen = await stop(await winbackQuestion('Gamma Telecom'));
    expect(screen).toMatch(/Not scheduled\. Later: cs run winback-followup "Gamma Telecom" --start \d{4}-\d{2}-\d{2}/);
  });
});
