/**
 * The agenda at the size of a real book: longer than the terminal, it shows one line per account
 * (overdue, then each day) with totals; --all lists every step; --limit N for both and for --json.
 * In-process with a scripted terminal of a given height, and once in a real one (tmux).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agenda } from '../../src/cli/commands/agenda.js';
import type { AgendaFlags } from '../../src/cli/commands/agenda.js';
import type { Context } from '../../src/cli/context.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { BIN, ROOT, sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { expectSuccess } from '../support/runs.js';
import { ScriptedUi } from '../support/scripted-ui.js';
import { tempDir } from '../support/tmp.js';
import { TmuxSession, tmuxAvailable } from '../support/tmux.js';

const PLAYBOOKS = join(import.meta.dirname, 'playbooks');

// agenda-test: call at +1d, recap at +3d, setup at +1w, review at +1m. Today is 2026-11-26.
const BOOK = [
  'name,owner,playbook,start',
  'Khách hàng 00055,lan,agenda-test,2026-10-14', // all four overdue: call 10-15 (42 days), recap 10-17, setup 10-21, review 11-14
  'Ánh Dương,minh,agenda-test,2026-11-20', // call 11-21 (5 days), recap 11-23 (3 days); setup 11-27 tomorrow
  'Bình Minh,,agenda-test,2026-11-25', // call 11-26 today, recap 11-28, setup 12-02
  'An Phát,lan,agenda-test,2026-11-26', // call 11-27, recap 11-29
].join('\n');

let box: Sandbox;

beforeAll(() => {
  box = sandbox({ playbooks: PLAYBOOKS });
  const file = join(tempDir(), 'book.csv');
  writeFileSync(file, BOOK);
  expectSuccess(box.run(['accounts', 'import', file]), 'import');
});

/** `cs agenda` in-process, on a terminal `rows` lines high (undefined: a pipe). */
async function agendaOn(rows: number | undefined, flags: AgendaFlags = {}): Promise<string> {
  const ui = new ScriptedUi([]);
  ui.rows = rows;
  let store: Store | undefined;
  const context: Context = { ui, env: { CS_TODAY: '2026-11-26' }, dbPath: box.db, dbName: box.db, store: () => (store ??= openStore(box.db)), readStore: () => (store ??= openStore(box.db)), close: async () => { await store?.close(); } };
  try {
    await agenda(context, flags);
  } finally {
    await context.close();
  }
  return ui.printed;
}

const SUMMARY = [
  'Overdue · 6 steps across 2 accounts',
  '  Khách hàng 00055 — 4 steps overdue, oldest 42 days',
  '  Ánh Dương        — 2 steps overdue, oldest 5 days',
  '',
  'Thu 2026-11-26 · today · 1 step',
  '  Bình Minh — Gọi điện',
  '',
  'Fri 2026-11-27 · in 1 day · 2 steps',
  '  An Phát   — Gọi điện',
  '  Ánh Dương — Cài đặt',
  '',
  'Sat 2026-11-28 · in 2 days · 1 step',
  '  Bình Minh — Gửi thư tóm tắt',
  '',
  'Sun 2026-11-29 · in 3 days · 1 step',
  '  An Phát — Gửi thư tóm tắt',
  '',
  'Wed 2026-12-02 · in 6 days · 1 step',
  '  Bình Minh — Cài đặt',
  '',
  'Thu 2026-12-03 · in 7 days · 1 step',
  '  An Phát — Cài đặt',
  '',
  '13 steps: 6 overdue, 7 due in the next 7 days — one line per account; --all lists every step',
];

describe('cs agenda longer than the terminal', () => {
  it('fits: every step, as on a pipe', async () => {
    const piped = await agendaOn(undefined);
    // 13 steps under 12 days, each day a heading and a blank line before the next, then the totals
    expect(piped.split('\n')).toHaveLength(13 + 12 + 11 + 2);
    expect(await agendaOn(60)).toBe(piped);
    expect(piped).toMatch(/^Thu 2026-10-15 · 42 days overdue$/m);
  });

  it('does not fit: one line per account, overdue first (oldest first), then each day, with totals', async () => {
    expect((await agendaOn(20)).split('\n')).toEqual(SUMMARY);
  });

  it('--all lists every step whatever the height', async () => {
    expect(await agendaOn(20, { all: true })).toBe(await agendaOn(undefined));
  });

  it('--limit N: the first N account lines of the summary, then what was left out', async () => {
    expect((await agendaOn(20, { limit: '3' })).split('\n')).toEqual([
      'Overdue · 6 steps across 2 accounts',
      '  Khách hàng 00055 — 4 steps overdue, oldest 42 days',
      '  Ánh Dương        — 2 steps overdue, oldest 5 days',
      '',
      'Thu 2026-11-26 · today · 1 step',
      '  Bình Minh — Gọi điện',
      '… and 6 more account lines (--limit 3).',
      '',
      '13 steps: 6 overdue, 7 due in the next 7 days — one line per account; --all lists every step',
    ]);
  });

  it('--limit N with --all (or on a pipe): the first N steps; the totals still count them all', async () => {
    const lines = (await agendaOn(20, { all: true, limit: '2' })).split('\n');
    expect(lines.filter((line) => line.startsWith('  '))).toHaveLength(2);
    expect(lines.at(-3)).toBe('… and 11 more steps (--limit 2).');
    expect(lines.at(-1)).toBe('13 steps: 6 overdue, 7 due in the next 7 days');
    expect(await agendaOn(undefined, { limit: '2' })).toBe(lines.join('\n'));
  });

  it('--json is never summed up; --limit N gives its first N steps', async () => {
    const all = JSON.parse(await agendaOn(5, { json: true })) as { account: string }[];
    expect(all).toHaveLength(13);
    const first = JSON.parse(await agendaOn(5, { json: true, limit: '4' })) as { account: string }[];
    expect(first).toEqual(all.slice(0, 4));
  });

  it('--limit must be a whole number from 1', async () => {
    for (const bad of ['0', '-1', 'ten', '1.5']) await expect(agendaOn(20, { limit: bad })).rejects.toThrow(/--limit must be a whole number from 1/);
  });
});

describe.runIf(tmuxAvailable())('cs agenda in a real terminal', () => {
  const sessions: TmuxSession[] = [];
  afterAll(async () => {
    for (const session of sessions) await session.kill();
  });

  it('a terminal 20 lines high gets the summary; --all every step', async () => {
    const env: Record<string, string> = { ...box.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', NO_COLOR: '1' };
    const run = async (args: string[]) => {
      const session = await TmuxSession.start({ command: [process.execPath, BIN, 'agenda', ...args], env, unset: ['COLUMNS', 'LINES', 'FORCE_COLOR'], cwd: ROOT, width: 100, height: 20 });
      sessions.push(session);
      expect(await session.exitCode()).toBe(0);
      return session.screen();
    };
    const summed = await run([]);
    expect(summed).toContain('Khách hàng 00055 — 4 steps overdue, oldest 42 days');
    expect(summed).toContain('one line per account; --all lists every step');
    const every = await run(['--all']);
    expect(every).toMatch(/^Thu 2026-10-15 · 42 days overdue$/m);
    expect(every).not.toContain('one line per account');
  });
});
