/**
 * The field rules a prompt enforces as the user types, in a real terminal (tmux): a number field
 * marked `integer: true` refuses 2.5 and takes 3; a multiselect refuses an `exclusive` choice
 * ("nothing") ticked together with another, and takes it alone. The same rules as answers files
 * (src/engine/answers.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, TODAY } from '../support/cli.js';
import { TmuxSession, tmuxAvailable, walkEnv } from '../support/tmux.js';

const PLAYBOOK = `id: field-rules
title: Field rules
kind: other
version: 1
phases:
  - id: p1
    title: Phase 1
    due: 7d
    steps:
      - id: training
        title: Training plan
        fields:
          - id: sessions
            prompt: How many training sessions?
            type: number
            integer: true
            min: 1
            required: true
          - id: help
            prompt: What help do they need?
            type: multiselect
            choices: [training, data export, nothing]
            exclusive: [nothing]
            required: true
`;

let home: string;
const sessions: TmuxSession[] = [];

function csEnv(): Record<string, string> {
  return walkEnv(home, TODAY, { CS_PLAYBOOKS: join(home, 'playbooks') });
}

describe.skipIf(!tmuxAvailable())('integer and exclusive fields at the prompt (tmux)', { timeout: 45_000 }, () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'main.cjs'))) throw new Error('cs is not built: run `npm run build` (npm test does it first)');
  });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.kill()));
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('2.5 sessions is refused with a clear message; "nothing" with "training" is refused; the corrected answers are kept', async () => {
    home = mkdtempSync(join(tmpdir(), 'cs-tmux-rules-'));
    mkdirSync(join(home, 'playbooks'));
    writeFileSync(join(home, 'playbooks', 'field-rules.yaml'), PLAYBOOK);
    const session = await TmuxSession.start({
      command: [process.execPath, BIN, 'run', 'field-rules', 'Acme'],
      env: csEnv(),
      unset: ['EDITOR', 'VISUAL', 'FORCE_COLOR', 'CS_DEBUG', 'CS_TEMPLATES'],
      cwd: ROOT,
      width: 100,
      height: 40,
    });
    sessions.push(session);

    await session.prompt('What now?');
    await session.answer('');

    await session.prompt('How many training sessions?');
    await session.type('2.5');
    await session.press('Enter');
    let screen = await session.waitFor('Expected a whole number; got 2.5.');
    expect(TmuxSession.activePrompt(screen)).toContain('How many training sessions?');
    await session.press('BSpace', 'BSpace', 'BSpace');
    await session.answer('3');

    await session.prompt('What help do they need?');
    // tick "training", move to "nothing", tick it too, and try to go on
    await session.press('Space', 'Down', 'Down', 'Space', 'Enter');
    screen = await session.waitFor('"nothing" cannot be combined with other choices; got it with "training".');
    expect(TmuxSession.activePrompt(screen)).toContain('What help do they need?');
    // untick "training": "nothing" alone is accepted
    await session.press('Up', 'Up', 'Space');
    await session.answer('', ['Enter']);
    expect(await session.exitCode()).toBe(0);

    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...csEnv() };
    const [run] = JSON.parse(execFileSync(process.execPath, [BIN, 'status', 'Acme', '--json'], { env, encoding: 'utf8', timeout: 20_000 })) as { status: string; answers: Record<string, unknown> }[];
    expect(run!.status).toBe('finished');
    expect(run!.answers).toStrictEqual({ training: { sessions: 3, help: ['nothing'] } });
  });
});
