/** `cs agenda` as a user runs it: the built CLI, a temp database, today pinned to 2026-11-26. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { sandbox, STACK_LINE } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const PLAYBOOKS = join(import.meta.dirname, 'playbooks');

// agenda-test: call at +1d, recap at +3d, setup at +1w, review at +1m.
const BOOK = [
  'name,owner,playbook,start',
  'Zeta Corp,lan,agenda-test,2026-11-20', // call 11-21, recap 11-23, setup 11-27, review 12-20
  'Ánh Dương,minh,agenda-test,2026-11-25', // call 11-26, recap 11-28, setup 12-02
  'Bình Minh,,agenda-test,2026-11-25',
  'An Phát,lan,agenda-test,2026-11-23', // call 11-24, recap 11-26, setup 11-30
  'Đại Việt,thảo,agenda-test,2026-12-01', // call 12-02, recap 12-04
  '東京商事,lan,agenda-test,2026-11-29', // call 11-30, recap 12-02
].join('\n');

interface Item {
  account: string;
  runId: number;
  playbook: string;
  stepId: string;
  step: string;
  phase: string;
  due: string;
  daysOverdue: number;
  owner: string | null;
}

let box: Sandbox;

beforeAll(() => {
  box = sandbox({ playbooks: PLAYBOOKS });
  const file = join(tempDir(), 'book.csv');
  writeFileSync(file, BOOK);
  const imported = box.run(['accounts', 'import', file]);
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
});

function json(args: string[] = [], env?: Record<string, string | undefined>): Item[] {
  const result = box.run(['agenda', '--json', ...args], { env });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Item[];
}

/** Overdue on 2026-11-26, or due that day. */
const DUE_BY_TODAY = [
  '2026-11-21 Zeta Corp call',
  '2026-11-23 Zeta Corp recap',
  '2026-11-24 An Phát call',
  '2026-11-26 An Phát recap',
  '2026-11-26 Ánh Dương call',
  '2026-11-26 Bình Minh call',
];

const brief = (items: Item[]) => items.map((item) => `${item.due} ${item.account} ${item.stepId}`);

describe('cs agenda --json', () => {
  it('lists overdue steps and those due in the next 7 days, soonest first, names in Vietnamese order within a day', () => {
    expect(brief(json())).toEqual([
      ...DUE_BY_TODAY,
      '2026-11-27 Zeta Corp setup',
      '2026-11-28 Ánh Dương recap',
      '2026-11-28 Bình Minh recap',
      '2026-11-30 An Phát setup',
      '2026-11-30 東京商事 call',
      '2026-12-02 Ánh Dương setup',
      '2026-12-02 Bình Minh setup',
      '2026-12-02 Đại Việt call',
      '2026-12-02 東京商事 recap',
    ]);
  });

  it('prints objects with stable keys: account, runId, playbook, stepId, step, phase, due, daysOverdue, owner', () => {
    const items = json();
    for (const item of items) expect(Object.keys(item)).toEqual(['account', 'runId', 'playbook', 'stepId', 'step', 'phase', 'due', 'daysOverdue', 'owner']);
    expect(items[0]).toEqual({
      account: 'Zeta Corp',
      runId: 1,
      playbook: 'agenda-test',
      stepId: 'call',
      step: 'Gọi điện',
      phase: 'week-1',
      due: '2026-11-21',
      daysOverdue: 5,
      owner: 'lan',
    });
    expect(items.find((item) => item.account === 'Bình Minh')!.owner).toBeNull();
    expect(items.filter((item) => item.due >= '2026-11-26').every((item) => item.daysOverdue === 0)).toBe(true);
  });

  it('--days N looks N days ahead (0: overdue and due today only)', () => {
    expect(brief(json(['--days', '0']))).toEqual(DUE_BY_TODAY);
    expect(json(['--days', '30']).map((item) => item.due).at(-1)).toBe('2026-12-25');
  });

  it("--owner keeps the steps of that person (the run's owner, else the account's), in any case and normalisation", () => {
    expect(new Set(json(['--owner', 'lan']).map((item) => item.account))).toEqual(new Set(['Zeta Corp', 'An Phát', '東京商事']));
    expect(brief(json(['--owner', 'THẢO'.normalize('NFD')]))).toEqual(['2026-12-02 Đại Việt call']);
    expect(json(['--owner', 'nobody'])).toEqual([]);
  });

  it('--account keeps one account, named in any case or normalisation', () => {
    expect(brief(json(['--account', 'ÁNH DƯƠNG'.normalize('NFD')]))).toEqual(['2026-11-26 Ánh Dương call', '2026-11-28 Ánh Dương recap', '2026-12-02 Ánh Dương setup']);
  });
});

describe('cs agenda (for people)', () => {
  it('groups by day, overdue days first and said so, columns aligned for Vietnamese and wide text', () => {
    const result = box.run(['agenda']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const headings = lines.filter((line) => /^\S/.test(line) && !/^\d+ steps/.test(line));
    expect(headings).toEqual([
      'Sat 2026-11-21 · 5 days overdue',
      'Mon 2026-11-23 · 3 days overdue',
      'Tue 2026-11-24 · 2 days overdue',
      'Thu 2026-11-26 · today',
      'Fri 2026-11-27 · in 1 day',
      'Sat 2026-11-28 · in 2 days',
      'Mon 2026-11-30 · in 4 days',
      'Wed 2026-12-02 · in 6 days',
    ]);
    const rows = lines.filter((line) => line.startsWith('  '));
    expect(rows).toHaveLength(15);
    // the playbook column starts at the same display column on every row, whatever the name's script
    const starts = new Set(rows.map((line) => stringWidth(line.slice(0, line.indexOf('Kiểm thử lịch')))));
    expect(starts.size).toBe(1);
    const stepStarts = new Set(rows.map((line) => stringWidth(line.slice(0, line.search(/Gọi điện|Gửi thư tóm tắt|Cài đặt|Đánh giá/)))));
    expect(stepStarts.size).toBe(1);
    expect(rows.find((line) => line.includes('Bình Minh'))).toMatch(/—$/); // no owner
    expect(lines.at(-2)).toBe('15 steps: 3 overdue, 12 due in the next 7 days');
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  it('highlights overdue days in colour on a colour terminal, and only them', () => {
    const result = box.run(['agenda'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.find((line) => line.includes('5 days overdue'))).toContain('\u001b[31m');
    expect(lines.find((line) => line.includes('· today'))).not.toContain('\u001b[31m');
    const noColour = box.run(['agenda', '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(noColour.stdout).not.toMatch(/\u001b\[/);
  });

  it('says plainly when nothing is due', () => {
    const empty = sandbox();
    expect(empty.run(['agenda']).stdout).toBe('Nothing is overdue or due in the next 7 days.\n');
    expect(empty.run(['agenda', '--json']).stdout).toBe('[]\n');
    expect(box.run(['agenda', '--owner', 'nobody']).stdout).toBe('Nothing is overdue or due in the next 7 days for nobody.\n');
    expect(box.run(['agenda', '--days', '0', '--account', 'Đại Việt']).stdout).toBe('Nothing is overdue or due today for Đại Việt.\n');
  });
});

describe('bad input', () => {
  it.each([['--days', '-1'], ['--days', 'abc'], ['--days', '1.5'], ['--account', 'Không Có'], ['--owner', ' ']])('cs agenda %s %j: exit 2, a clear message', (flag, value) => {
    const result = box.run(['agenda', flag, value]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cs: /);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stdout).toBe('');
  });
});
