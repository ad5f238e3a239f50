/**
 * What cs's output looks like in a real terminal (tmux): one colour decision for the prompts and
 * everything else (--no-color, NO_COLOR, FORCE_COLOR), and tables and lines that fit a narrow
 * terminal while a pipe gets whole lines.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { FIXTURES } from '../support/playbooks.js';
import { expectSuccess } from '../support/runs.js';
import { tempDir } from '../support/tmp.js';
import { TmuxSession, tmuxAvailable } from '../support/tmux.js';

const SGR = /\u001b\[[0-9;]*m/;
const LONG_NAME = 'Công ty Cổ phần Thương mại và Dịch vụ Xuất nhập khẩu Ánh Dương';
const LONG_OWNER = 'Nguyễn Thị Thanh Lan Phương';

let box: Sandbox;
const sessions: TmuxSession[] = [];

beforeAll(() => {
  box = sandbox({ playbooks: join(FIXTURES, 'playbooks') });
  const csv = join(tempDir(), 'book.csv');
  writeFileSync(csv, `name,owner,playbook,start\n${LONG_NAME},${LONG_OWNER},onboarding-30d,2026-11-20\n東京ソフトウェア開発株式会社 👩‍💻,田中 太郎,onboarding-30d,2026-11-21\nAcme,lan,onboarding-30d,2026-11-24\n`);
  expectSuccess(box.run(['accounts', 'import', csv]), 'import');
});

afterAll(async () => {
  for (const session of sessions) await session.kill();
});

async function cs(args: string[], options: { env?: Record<string, string | undefined>; width?: number } = {}): Promise<TmuxSession> {
  const env: Record<string, string> = { ...box.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  const unset = ['EDITOR', 'VISUAL', 'FORCE_COLOR', 'COLUMNS'];
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) {
      delete env[key];
      unset.push(key);
    } else env[key] = value;
  }
  const session = await TmuxSession.start({ command: [process.execPath, BIN, ...args], env, unset, cwd: ROOT, width: options.width ?? 120, height: 50 });
  sessions.push(session);
  return session;
}

/** The screen with its colours (`capture-pane -e`), scrollback included. */
async function coloured(session: TmuxSession): Promise<string> {
  return session.tmux('capture-pane', '-p', '-e', '-t', session.name, '-S', '-', '-E', '-');
}

describe.runIf(tmuxAvailable())('one colour decision, prompts included', () => {
  async function walkScreen(args: string[], env: Record<string, string | undefined>): Promise<string> {
    // a database of its own: the runs these walks start are not the narrow tests' business
    const session = await cs([...args, 'run', 'walk-test', 'Khách mới'], { env: { ...env, CS_DB: join(tempDir(), 'cs.db') } });
    await session.prompt('What now?');
    await session.press('Down'); // the cursor moves: the highlighted choice is drawn again
    const screen = await coloured(session);
    await session.press('C-c');
    expect(await session.exitCode()).toBe(130);
    return screen;
  }

  it('a colour terminal: the walk and its prompts are in colour (the control for the tests below)', async () => {
    expect(await walkScreen([], { NO_COLOR: undefined })).toMatch(SGR);
  });

  it('--no-color: no colour anywhere in the walk, its prompts included', async () => {
    const screen = await walkScreen(['--no-color'], { NO_COLOR: undefined });
    expect(screen).toContain('What now?');
    expect(screen).not.toMatch(SGR);
  });

  it('FORCE_COLOR=0 and NO_COLOR: no colour in the walk either', async () => {
    expect(await walkScreen([], { NO_COLOR: undefined, FORCE_COLOR: '0' })).not.toMatch(SGR);
    expect(await walkScreen([], { NO_COLOR: '1' })).not.toMatch(SGR);
  });

  it('FORCE_COLOR=1 colours output to a pipe; --no-color still wins', () => {
    const forced = box.run(['accounts', 'list'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(SGR);
    expect(box.run(['accounts', 'list'], { env: { NO_COLOR: undefined } }).stdout).not.toMatch(SGR);
    expect(box.run(['accounts', 'list'], { env: { NO_COLOR: undefined, FORCE_COLOR: '0' } }).stdout).not.toMatch(SGR);
    expect(box.run(['--no-color', 'accounts', 'list'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }).stdout).not.toMatch(SGR);
  });
});

describe.runIf(tmuxAvailable())('a narrow terminal (60 columns)', () => {
  const commands = [['agenda', '--days', '30'], ['status'], ['accounts', 'list']];

  for (const args of commands) {
    it(`cs ${args.join(' ')}: every line fits in 60 columns, long names end in …`, async () => {
      const session = await cs(args, { width: 60 });
      expect(await session.exitCode()).toBe(0);
      // -J joins the lines the terminal wrapped: a line that did not fit comes back longer than 60
      const lines = (await session.screen()).split('\n').filter((line) => !/^EXIT=/.test(line));
      for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(60);
      const text = lines.join('\n');
      if (args[0] !== 'status') expect(text).toContain('…');
      expect(text).toContain('Công ty Cổ');
    });
  }

  it('cs status wraps at words, not mid-word', async () => {
    const session = await cs(['status'], { width: 60 });
    expect(await session.exitCode()).toBe(0);
    const screen = await session.screen();
    expect(screen).toMatch(/^Công ty Cổ phần Thương mại và Dịch vụ Xuất nhập khẩu Ánh$/m);
    expect(screen).toMatch(/^ {2}Dương · owner Nguyễn Thị Thanh Lan Phương$/m);
    expect(screen).toMatch(/^ {5}0 done · 0 skipped · 14 open · 3 overdue · behind$/m);
    const words = new Set(screen.split(/\s+/));
    for (const word of `${LONG_NAME} ${LONG_OWNER} onboarding-30d overdue`.split(' ')) expect([...words].some((each) => each.includes(word)), word).toBe(true);
  });

  it('the walk: its header, step and guide fit, the guide re-flowed at words', async () => {
    const session = await cs(['onboard', 'start', LONG_NAME], { width: 60, env: { CS_DB: join(tempDir(), 'cs.db') } });
    await session.prompt('What now?');
    const lines = (await session.screen()).split('\n');
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(60);
    // two lines of the playbook's guide (it is written 85 columns wide) joined, then wrapped
    expect(lines).toContain('  customer, so they never have to explain everything again');
    await session.press('C-c');
    expect(await session.exitCode()).toBe(130);
  });

  it('COLUMNS=40 is taken over what the terminal says', async () => {
    const session = await cs(['accounts', 'list'], { width: 100, env: { COLUMNS: '40' } });
    expect(await session.exitCode()).toBe(0);
    const lines = (await session.screen()).split('\n').filter((line) => !/^EXIT=/.test(line));
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
  });

  it('a pipe keeps whole lines, whatever COLUMNS says', () => {
    for (const args of commands) {
      const result = box.run(args, { env: { COLUMNS: '60' } });
      expectSuccess(result, args.join(' '));
      expect(result.stdout).toContain(LONG_NAME);
      expect(result.stdout).not.toContain('…');
    }
  });
});
