/**
 * A date question in a real terminal (tmux): the hint lists every form the one date parser reads,
 * " Tomorrow " is echoed as the date stored with its weekday (not the word), a date outside
 * 1900–2999 is refused at the prompt with the reason, and what is stored is the ISO date.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, TODAY } from '../support/cli.js';
import { onePhasePlaybook } from '../support/playbook-yaml.js';
import { TmuxSession, tmuxAvailable } from '../support/tmux.js';

const PLAYBOOK = onePhasePlaybook({
  id: 'date-test',
  title: 'Date test',
  steps: `
      - id: plan
        title: Plan
        fields:
          - { id: kickoff, prompt: Kickoff call on, type: date, required: true }
          - { id: go-live, prompt: Go-live on, type: date }
`,
});

let home: string | undefined;
const sessions: TmuxSession[] = [];

function env(): Record<string, string> {
  return {
    HOME: home!,
    CS_DB: join(home!, 'cs.db'),
    CS_TODAY: TODAY,
    CS_PLAYBOOKS: join(home!, 'playbooks'),
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    XDG_DATA_HOME: join(home!, '.local', 'share'),
    XDG_CONFIG_HOME: join(home!, '.config'),
  };
}

describe.skipIf(!tmuxAvailable())('a date question in a real terminal', { timeout: 45_000 }, () => {
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.kill()));
    if (home) rmSync(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  it('lists the forms, echoes the date stored with its weekday, refuses 9999-12-31 with the reason', async () => {
    home = mkdtempSync(join(tmpdir(), 'cs-tmux-date-'));
    mkdirSync(join(home, 'playbooks'));
    writeFileSync(join(home, 'playbooks', 'date-test.yaml'), PLAYBOOK);
    const session = await TmuxSession.start({
      command: [process.execPath, BIN, 'run', 'date-test', 'Acme'],
      env: env(),
      unset: ['EDITOR', 'VISUAL', 'CS_TEMPLATES', 'FORCE_COLOR'],
      cwd: ROOT,
      width: 120,
      height: 40,
    });
    sessions.push(session);
    await session.prompt('What now?');
    await session.answer('');

    let screen = await session.prompt('Kickoff call on');
    expect(TmuxSession.activePrompt(screen)).toContain('(YYYY-MM-DD, today, tomorrow, yesterday, +3d, -3d, +2w, +1m)');
    screen = await session.answer(' Tomorrow ');
    expect(screen).toMatch(/^✔ Kickoff call on \(YYYY-MM-DD[^)]*\) Fri 2026-11-27$/m);
    expect(screen).not.toMatch(/^✔ Kickoff call on.*Tomorrow/m);

    await session.prompt('Go-live on');
    await session.type('9999-12-31');
    await session.press('Enter');
    screen = await session.waitFor('9999-12-31 is outside the years cs accepts, 1900 to 2999.');
    await session.press(...Array<string>(10).fill('BSpace'));
    screen = await session.answer('+1m');
    expect(screen).toMatch(/^✔ Go-live on \(YYYY-MM-DD[^)]*\) Sat 2026-12-26$/m);
    expect(await session.exitCode()).toBe(0);

    const json = execFileSync(process.execPath, [BIN, 'status', 'Acme', '--json'], { env: { PATH: process.env.PATH, ...env() }, encoding: 'utf8' });
    const [run] = JSON.parse(json) as { answers: Record<string, Record<string, unknown>> }[];
    expect(run!.answers.plan).toEqual({ kickoff: '2026-11-27', 'go-live': '2026-12-26' });
  });
});
