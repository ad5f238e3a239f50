/** `cs accounts list | import | show | rename` as a user runs them: the built CLI in a temp sandbox. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importAccounts } from '../../src/cli/commands/accounts.js';
import type { Context } from '../../src/cli/context.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { sandbox, STACK_LINE } from '../support/cli.js';
import type { CliResult, Sandbox } from '../support/cli.js';
import { FIXTURES } from '../support/playbooks.js';
import { ScriptedUi } from '../support/scripted-ui.js';
import { tempDir } from '../support/tmp.js';
import { tableCounts } from '../agenda/helpers.js';

const CRM_EXPORT = join(FIXTURES, 'csv', 'crm-export.csv');
const BAD_ROWS = join(FIXTURES, 'csv', 'bad-rows.csv');

function file(content: string | Buffer, name = 'book.csv'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

const counts = (box: Sandbox) => tableCounts(box.db, ['accounts', 'runs', 'steps']);

function expectRefusal(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stdout).toBe('');
}

/** Rows "Khách hàng <n>" starting onboarding-30d; `bad` maps a line number to the text of that line. */
function bigBook(rows: number, bad: Record<number, string> = {}): string {
  const lines = ['name,owner,playbook,start'];
  for (let index = 1; index <= rows; index += 1) lines.push(`Khách hàng ${index},lan,onboarding-30d,2026-11-${String((index % 28) + 1).padStart(2, '0')}`);
  for (const [line, text] of Object.entries(bad)) lines[Number(line) - 1] = text;
  return `${lines.join('\n')}\n`;
}

describe('cs accounts import', () => {
  it('imports a CRM export (BOM, CRLF, quoted commas and line breaks, extra columns) and starts the runs', () => {
    const box = sandbox();
    const result = box.run(['accounts', 'import', CRM_EXPORT]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('Imported 4 accounts, started 4 runs (0 unchanged).\n');
    const shown = JSON.parse(box.run(['accounts', 'show', 'beta telecom, jsc', '--json']).stdout);
    expect(shown).toMatchObject({ name: 'Beta Telecom, JSC', owner: 'minh', fields: { Industry: 'Viễn thông', 'Ghi chú': 'Hai dòng:\ngọi trước 9h' } });
    expect(shown.runs).toHaveLength(1);
    expect(shown.runs[0]).toMatchObject({ playbook: { id: 'churn-response' }, startDate: '2026-11-26', owner: 'minh', status: 'open' }); // empty start: today
    const list = JSON.parse(box.run(['accounts', 'list', '--json']).stdout);
    expect(list.map((account: { name: string }) => account.name)).toEqual(['Beta Telecom, JSC', 'Công ty Ánh Dương', 'Nhà sách "Trí Tuệ"', '東京商事']);
    expect(counts(box)).toMatchObject({ accounts: 4, runs: 4 });
  });

  it('re-importing the same file creates nothing twice', () => {
    const box = sandbox();
    box.run(['accounts', 'import', CRM_EXPORT]);
    const before = counts(box);
    const again = box.run(['accounts', 'import', CRM_EXPORT]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('Nothing changed: all 4 rows are already imported.\n');
    expect(counts(box)).toEqual(before);
  });

  it('--dry-run says what would happen and writes nothing (not even a new database file)', () => {
    const box = sandbox();
    const dry = box.run(['accounts', 'import', CRM_EXPORT, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^ {2}read as +cs's own columns$/m);
    expect(dry.stdout).toMatch(/^2 +Công ty Ánh Dương +create account · start onboarding-30d on 2026-11-20$/m);
    expect(dry.stdout).toMatch(/^8 +東京商事 +create account · start onboarding-90d on 2026-12-01$/m);
    expect(dry.stdout.split('\n').at(-2)).toBe('Dry run: would import 4 accounts and start 4 runs (0 unchanged). Nothing was written.');
    expect(existsSync(box.db)).toBe(false);

    box.run(['accounts', 'import', file('name,owner,playbook,start\nCông ty Ánh Dương,lan,onboarding-30d,2026-11-20\n')]);
    const before = counts(box);
    const partly = box.run(['accounts', 'import', CRM_EXPORT, '--dry-run']);
    expect(partly.stdout).toMatch(/^2 +Công ty Ánh Dương +update account · unchanged \(run #1 of onboarding-30d, started 2026-11-20\)$/m);
    expect(partly.stdout.split('\n').at(-2)).toBe('Dry run: would import 3 accounts and start 3 runs (1 unchanged); would update the owner or fields of 1 existing account. Nothing was written.');
    expect(counts(box)).toEqual(before);
  });

  it('lists every bad row with its line, exits 2 and writes nothing', () => {
    const box = sandbox();
    box.run(['accounts', 'import', file('name,playbook\nSomeone,onboarding-30d\n')]);
    const before = counts(box);
    const result = box.run(['accounts', 'import', BAD_ROWS]);
    expectRefusal(result, /^cs: .*bad-rows\.csv: 8 bad rows; nothing was imported$/m);
    const lines = result.stderr.split('\n').filter((line) => /bad-rows\.csv:\d+: /.test(line));
    expect(lines.map((line) => Number(/csv:(\d+):/.exec(line)![1]))).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result.stderr).toContain('unknown playbook "onbording-30d" (did you mean "onboarding-30d"?)');
    expect(result.stderr).toMatch(/Playbooks found: .*onboarding-30d/);
    expect(counts(box)).toEqual(before);
  });

  it('reports rows that clash with the database together with the bad rows of the file', () => {
    const box = sandbox();
    box.run(['accounts', 'import', file('name,playbook,start\nCông ty Ánh Dương,onboarding-30d,2026-10-01\n')]);
    const before = counts(box);
    const result = box.run(['accounts', 'import', file('name,playbook,start\nFine,onboarding-30d,\nCÔNG TY ÁNH DƯƠNG,onboarding-30d,2026-11-20\nBroken,onboarding-30d,next week\n')]);
    expectRefusal(result, /2 bad rows; nothing was imported/);
    expect(result.stderr).toMatch(/book\.csv:3: "CÔNG TY ÁNH DƯƠNG" already has an open run #1 of onboarding-30d \(started 2026-10-01\)/);
    expect(result.stderr).toMatch(/book\.csv:4: start: expected a date \(YYYY-MM-DD, today, tomorrow, yesterday, \+3d, -3d, \+2w, \+1m\); got "next week"/);
    expect(counts(box)).toEqual(before);
  });

  it("names playbooks that are missing or broken in the user's folders, and warns about the broken files", () => {
    const folder = tempDir();
    writeFileSync(join(folder, 'broken-one.yaml'), 'id: broken-one\ntitle: x\nkind: nope\n');
    writeFileSync(join(folder, 'onboarding-30d.yaml'), 'id: onboarding-30d\ntitle: x\nkind: nope\n');
    const box = sandbox({ playbooks: folder });
    const result = box.run(['accounts', 'import', file('name,playbook\nA,broken-one\nB,onboarding-30d\nC,churn-response\n')]);
    expectRefusal(result, /2 bad rows; nothing was imported/);
    expect(result.stderr).toMatch(/^warning: 2 playbook files have problems/m);
    expect(result.stderr).toMatch(/book\.csv:2: unknown playbook "broken-one"; a file meant to define it has problems \(see cs playbooks validate\)/);
    expect(result.stderr).toMatch(/book\.csv:3: .*onboarding-30d\.yaml is meant to replace the playbook "onboarding-30d" but has problems$/m);
    expect(existsSync(box.db)).toBe(false);
  });

  it('is all or nothing: 10,000 rows with a bad one on line 9,999 leave the database as it was', () => {
    const box = sandbox();
    box.run(['accounts', 'import', CRM_EXPORT]);
    const before = counts(box);
    const result = box.run(['accounts', 'import', file(bigBook(10_000, { 9_999: 'Khách hàng 9998,lan,onboarding-30d,2026-13-01' }))], { timeout: 60_000 });
    expectRefusal(result, /1 bad row; nothing was imported/);
    expect(result.stderr).toMatch(/book\.csv:9999: start: 2026-13-01 is not a real date: there is no month 13/);
    expect(counts(box)).toEqual(before);

    const good = box.run(['accounts', 'import', file(bigBook(10_000))], { timeout: 60_000 });
    expect(good.stdout).toBe('Imported 10,000 accounts, started 10,000 runs (0 unchanged).\n');
    expect(good.stderr).toBe(''); // no progress bar when stderr is not a terminal
    expect(counts(box).accounts).toBe(before.accounts! + 10_000);
  });

  it.each([
    ['a missing file', () => join(tempDir(), 'nope.csv'), /cannot read .*nope\.csv: no such file/],
    ['a folder', () => tempDir(), /it is a folder/],
    ['UTF-16 text', () => file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,playbook\n', 'utf16le')])), /book\.csv: it is UTF-16 LE text \(it starts with the byte-order mark FF FE\); cs reads UTF-8/],
    ['Windows-1258 bytes', () => file(Buffer.concat([Buffer.from('name,playbook\nA,onboarding-30d\nC'), Buffer.from([0xf4]), Buffer.from('ng ty,onboarding-30d\n')])), /book\.csv:3:2: not UTF-8: byte 0xF4 at offset 32 is not valid UTF-8 \(the file may be Latin-1 or Windows-1252\)/],
    ['no header', () => file('Acme,lan,onboarding-30d,2026-11-20\n'), /book\.csv:1: the first row must be a header/],
    ['a quote never closed', () => file('name,playbook\n"Acme,onboarding-30d\n'), /not valid CSV: a quoted value is never closed/],
  ])('refuses %s with exit 2 and a clear message', (_, path, message) => {
    const box = sandbox();
    expectRefusal(box.run(['accounts', 'import', path()]), message);
    expect(existsSync(box.db)).toBe(false);
  });
});

describe('the progress bar', () => {
  /** importAccounts in-process, stderr a terminal or not; what the Ui drew as the bar and what was printed. */
  async function importWithBar(rows: number, terminal: boolean): Promise<{ drawn: string[]; printed: string }> {
    const path = join(tempDir(), 'cs.db');
    const ui = new ScriptedUi([]);
    ui.progressTerminal = terminal;
    ui.columns = 80;
    let store: Store | undefined;
    const context: Context = { ui, env: { CS_TODAY: '2026-11-26' }, dbPath: path, dbName: path, store: () => (store ??= openStore(path)), readStore: () => (store ??= openStore(path)), close: async () => { await store?.close(); } };
    try {
      await importAccounts(context, file(bigBook(rows)), {});
    } finally {
      await context.close();
    }
    return { drawn: ui.drawn, printed: ui.printed };
  }

  it('is drawn through the Ui on a terminal for a long file, and cleared at the end', async () => {
    const { drawn, printed } = await importWithBar(600, true);
    expect(drawn.at(-2)).toMatch(/^Starting runs █+ 600\/600$/);
    expect(drawn[0]).toMatch(/^Starting runs █*░+ 6\/600$/);
    expect(drawn.at(-1)).toBe('');
    expect(printed).toBe('Imported 600 accounts, started 600 runs (0 unchanged).');
  });

  it('stays silent for a short file, or when stderr is not a terminal', async () => {
    expect((await importWithBar(100, true)).drawn).toEqual([]);
    expect((await importWithBar(600, false)).drawn).toEqual([]);
  });
});

describe('cs accounts list', () => {
  it('shows name, owner, open runs, next due and overdue, in Vietnamese order; --owner filters', () => {
    const box = sandbox();
    box.run(['accounts', 'import', CRM_EXPORT]);
    const table = box.run(['accounts', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+OWNER\s+OPEN RUNS\s+NEXT DUE\s+OVERDUE$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/)[0])).toEqual(['Beta Telecom, JSC', 'Công ty Ánh Dương', 'Nhà sách "Trí Tuệ"', '東京商事']);
    const json = JSON.parse(box.run(['accounts', 'list', '--json']).stdout);
    expect(Object.keys(json[0])).toEqual(['name', 'owner', 'openRuns', 'nextDue', 'overdue', 'fields']);
    expect(json[1]).toMatchObject({ name: 'Công ty Ánh Dương', owner: 'lan', openRuns: 1, nextDue: '2026-11-22', overdue: 3 });
    expect(JSON.parse(box.run(['accounts', 'list', '--owner', 'THẢO', '--json']).stdout).map((account: { name: string }) => account.name)).toEqual(['東京商事']);
    expect(box.run(['accounts', 'list', '--owner', 'nobody']).stdout).toBe('No accounts owned by nobody.\n');
  });

  it('says how to start when there are no accounts', () => {
    expect(sandbox().run(['accounts', 'list']).stdout).toMatch(/^No accounts yet\. Import a book of business with: cs accounts import FILE\.csv/);
  });
});

describe('cs accounts show and rename', () => {
  it('show prints the account, its fields and runs; an unknown account is exit 2', () => {
    const box = sandbox();
    box.run(['accounts', 'import', CRM_EXPORT]);
    const shown = box.run(['accounts', 'show', 'CÔNG TY ÁNH DƯƠNG'.normalize('NFD')]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Công ty Ánh Dương\n {2}owner: {4}lan\n {2}Industry: Bán lẻ\n {2}Ghi chú: {2}Khách lớn, ưu tiên\n/);
    expect(shown.stdout).toMatch(/#1 30-day onboarding \(onboarding-30d v2\) · started 2026-11-20/);
    expectRefusal(box.run(['accounts', 'show', 'Cong ty Anh Duong X']), /unknown account/);
  });

  it('rename: refused (exit 2) when another account has the name in any spelling; allowed otherwise', () => {
    const box = sandbox();
    box.run(['accounts', 'import', CRM_EXPORT]);
    const before = counts(box);
    expectRefusal(box.run(['accounts', 'rename', 'Beta Telecom, JSC', 'công ty ánh dương'.normalize('NFD')]), /another account is already named "Công ty Ánh Dương"/);
    expectRefusal(box.run(['accounts', 'rename', 'Nobody', 'Somebody']), /unknown account "Nobody"/);
    expectRefusal(box.run(['accounts', 'rename', 'Beta Telecom, JSC', '  ']), /the account name is empty/);
    expectRefusal(box.run(['accounts', 'rename', 'Beta Telecom, JSC', 'Beta\u0007']), /control characters/);
    expect(counts(box)).toEqual(before);

    const renamed = box.run(['accounts', 'rename', 'beta telecom, jsc', 'Viễn thông Beta']);
    expect(renamed.stdout).toBe('Renamed "Beta Telecom, JSC" to "Viễn thông Beta".\n');
    expect(JSON.parse(box.run(['accounts', 'show', 'VIỄN THÔNG BETA', '--json']).stdout).runs).toHaveLength(1);
    expectRefusal(box.run(['accounts', 'show', 'Beta Telecom, JSC']), /unknown account/);
    // a new spelling of its own name
    expect(box.run(['accounts', 'rename', 'Viễn thông Beta', 'VIỄN THÔNG BETA']).stdout).toBe('Renamed "Viễn thông Beta" to "VIỄN THÔNG BETA".\n');
  });
});
