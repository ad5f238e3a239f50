/**
 * Every list of account names in the one Vietnamese order (src/engine/names.ts compareNames):
 * An, Ánh Sao, Bình, Đại Việt, Zeta — never code point order, which puts Á and Đ after Z.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sandbox } from '../support/cli.js';
import type { Sandbox } from '../support/cli.js';
import { FIXTURES } from '../support/playbooks.js';
import { expectSuccess } from '../support/runs.js';
import { tempDir, writeFiles } from '../support/tmp.js';

const TYPED = ['Zeta', 'Ánh Sao', 'Đại Việt', 'An', 'Bình'];
const VIETNAMESE = ['An', 'Ánh Sao', 'Bình', 'Đại Việt', 'Zeta'];

let box: Sandbox;

beforeAll(() => {
  box = sandbox({ playbooks: join(FIXTURES, 'playbooks') });
  const folder = writeFiles(tempDir(), { 'book.csv': `name,owner,playbook,start\n${TYPED.map((name) => `${name},lan,walk-test,2026-11-20`).join('\n')}\n` });
  expectSuccess(box.run(['accounts', 'import', join(folder, 'book.csv')]));
});

function run(args: string[]): string {
  const result = box.run(args);
  expectSuccess(result);
  return result.stdout;
}

/** The names in `text` in the order they first appear. */
function order(text: string): string[] {
  return TYPED.map((name) => [name, text.indexOf(name)] as const)
    .filter(([, at]) => at >= 0)
    .sort((a, b) => a[1] - b[1])
    .map(([name]) => name);
}

describe('Vietnamese order in every list of names', () => {
  it('cs status (text and --json)', () => {
    const headings = run(['status']).split('\n').filter((line) => line !== '' && !line.startsWith(' '));
    expect(headings.map((line) => line.split(' · ')[0])).toEqual(VIETNAMESE);
    expect((JSON.parse(run(['status', '--json'])) as { account: string }[]).map((each) => each.account)).toEqual(VIETNAMESE);
  });

  it('cs accounts list (text and --json)', () => {
    expect(order(run(['accounts', 'list']))).toEqual(VIETNAMESE);
    expect((JSON.parse(run(['accounts', 'list', '--json'])) as { name: string }[]).map((each) => each.name)).toEqual(VIETNAMESE);
  });

  it('cs agenda (text and --json), within each day', () => {
    const text = run(['agenda']);
    const days = text.split('\n\n').filter((day) => /^\w{3} \d{4}-\d\d-\d\d/.test(day));
    expect(days.length).toBeGreaterThan(0);
    for (const day of days) expect(order(day)).toEqual(VIETNAMESE);
    const lines = JSON.parse(run(['agenda', '--json'])) as { account: string; due: string }[];
    const byDay = new Map<string, string[]>();
    for (const line of lines) byDay.set(line.due, [...(byDay.get(line.due) ?? []), line.account]);
    for (const accounts of byDay.values()) expect(accounts).toEqual(VIETNAMESE);
  });
});
