/** Reading a book of business (engine/book.ts): CSV edge cases, every bad row with its line, and the import plan. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBook } from '../../src/engine/book-csv.js';
import type { BookOptions } from '../../src/engine/book-csv.js';
import type { ColumnMap } from '../../src/engine/crm.js';
import { EMPTY_BOOK_LOOKUP, planImport } from '../../src/engine/book.js';
import type { BookLookup, StoredRun } from '../../src/engine/book.js';
import type { Playbook } from '../../src/playbook/types.js';
import { FIXTURES } from '../support/playbooks.js';
import { inputRefusal } from '../support/errors.js';
import { testPlaybook } from '../agenda/helpers.js';

const PLAYBOOKS = new Map<string, Playbook>([
  ['onboarding-30d', testPlaybook('onboarding-30d')],
  ['onboarding-90d', testPlaybook('onboarding-90d')],
  ['churn-response', testPlaybook('churn-response')],
  ['winback-followup', testPlaybook('winback-followup')],
]);

const OPTIONS: BookOptions = {
  file: 'book.csv',
  today: '2026-11-26',
  playbook: (id) => PLAYBOOKS.get(id),
  unknownPlaybook: (id) => `unknown playbook "${id}"`,
  defaultPlaybook: () => PLAYBOOKS.get('onboarding-30d')!,
};

const read = (text: string) => parseBook(text, OPTIONS);
const csv = (name: string) => readFileSync(join(FIXTURES, 'csv', name), 'utf8');
const summary = (text: string) => read(text).rows.map((row) => ({ line: row.line, name: row.name, owner: row.owner, playbook: row.playbook.id, start: row.startDate, fields: row.fields }));

describe('parseBook: what CRM exports look like', () => {
  it('reads a UTF-8 file with a BOM, CRLF line ends, quoted commas, quotes and line breaks, empty lines and extra columns', () => {
    const book = read(csv('crm-export.csv'));
    expect(book.problems).toEqual([]);
    expect(book.columns.header).toEqual(['name', 'owner', 'playbook', 'start', 'Industry', 'Ghi chú']);
    expect(book.columns.shape?.id).toBe('cs');
    expect(summary(csv('crm-export.csv'))).toEqual([
      { line: 2, name: 'Công ty Ánh Dương', owner: 'lan', playbook: 'onboarding-30d', start: '2026-11-20', fields: { Industry: 'Bán lẻ', 'Ghi chú': 'Khách lớn, ưu tiên' } },
      { line: 4, name: 'Beta Telecom, JSC', owner: 'minh', playbook: 'churn-response', start: '2026-11-26', fields: { Industry: 'Viễn thông', 'Ghi chú': 'Hai dòng:\ngọi trước 9h' } },
      { line: 6, name: 'Nhà sách "Trí Tuệ"', owner: null, playbook: 'winback-followup', start: '2026-11-01', fields: {} },
      { line: 8, name: '東京商事', owner: 'thảo', playbook: 'onboarding-90d', start: '2026-12-01', fields: { Industry: 'Thương mại' } },
    ]);
  });

  it('reads the same rows with LF, CRLF or CR line ends, with or without a BOM', () => {
    const lines = ['name,owner,playbook,start', 'A,lan,onboarding-30d,2026-11-20', '"B\nwith a line break",,churn-response,', 'C,,churn-response,2026-11-21'];
    const expected = summary(lines.join('\n'));
    expect(expected.map((row) => row.line)).toEqual([2, 3, 5]);
    for (const end of ['\r\n', '\r']) {
      const body = lines.join(end).replace('B\nwith', `B${end}with`);
      expect(summary(body)).toEqual(expected);
      expect(summary(`\uFEFF${body}${end}`)).toEqual(expected);
    }
  });

  it('matches the header in any case and order, NFC or NFD; owner and start columns are optional', () => {
    expect(summary('Playbook,NAME\nonboarding-30d,Ánh Dương'.normalize('NFD'))).toEqual([
      { line: 2, name: 'Ánh Dương', owner: null, playbook: 'onboarding-30d', start: '2026-11-26', fields: {} },
    ]);
  });

  it('trims values, folds runs of spaces in names, stores names in NFC, skips empty lines and rows of empty values', () => {
    const rows = summary('name,owner,playbook,start\n\n  Công   ty  ABC ,  lan ,onboarding-30d , 2026-11-20 \n , , , \n\n'.normalize('NFD'));
    expect(rows).toEqual([{ line: 3, name: 'Công ty ABC', owner: 'lan', playbook: 'onboarding-30d', start: '2026-11-20', fields: {} }]);
    expect(rows[0]!.name).toBe('Công ty ABC'.normalize('NFC'));
  });

  it('reports every bad row at once, each with the line it starts on', () => {
    const book = read(csv('bad-rows.csv'));
    expect(book.problems.map((problem) => `${problem.line}: ${problem.message}`)).toEqual([
      '3: the account name is empty',
      '4: unknown playbook "onbording-30d"',
      '5: start: 2026-02-30 is not a real date: February 2026 has 28 days',
      '6: start "11/20/2026": the column writes the month first ("11/20/2026" on line 6 has no month 20); if that is meant, say so with --date-format mm/dd/yyyy',
      '7: the account name "Ctrl\\u0007Name" contains control characters',
      '8: "Good One" already has a row for onboarding-30d on line 2; one account gets one run of a playbook',
      '9: has 5 values but the header has 4 columns',
      '10: start: expected a date (YYYY-MM-DD, today, tomorrow, yesterday, +3d, -3d, +2w, +1m); got "next week"',
    ]);
    expect(book.rows.map((row) => row.line)).toEqual([2, 11]);
  });

  it('counts lines of multi-line values when it says where a bad row is', () => {
    const text = 'name,playbook,note\n"A",onboarding-30d,"one\ntwo\nthree"\n"B",nope,"x\r\ny"\nC,onboarding-30d,ok\n,onboarding-30d,\n';
    expect(read(text).problems).toEqual([
      { line: 5, message: 'unknown playbook "nope"' },
      { line: 8, message: 'the account name is empty' },
    ]);
  });

  it('a name twice in the file is a duplicate in any case or normalisation, a second playbook is not', () => {
    const book = read('name,playbook\nÁnh Dương,onboarding-30d\nÁNH DƯƠNG,churn-response\n' + 'ánh dương'.normalize('NFD') + ',onboarding-30d\n');
    expect(book.rows.map((row) => row.line)).toEqual([2, 3]);
    expect(book.problems).toEqual([{ line: 4, message: '"ánh dương" already has a row for onboarding-30d on line 2; one account gets one run of a playbook' }]);
  });

  it('owners with control characters and values under a nameless column are bad rows', () => {
    expect(read('name,owner,playbook,\nA,"l\u001b[31man",onboarding-30d,\nB,lan,onboarding-30d,stray\n').problems).toEqual([
      { line: 2, message: 'the owner "l\\u001b[31man" contains control characters' },
      { line: 3, message: 'has a value in column 4, which has no name in the header' },
    ]);
  });
});

describe('parseBook: files it refuses whole (exit 2)', () => {
  it.each([
    ['an empty file', '', /book\.csv is empty/],
    ['a BOM and nothing else', '\uFEFF\r\n', /book\.csv is empty/],
    ['no header (the first row is data)', 'Acme,lan,onboarding-30d,2026-11-20\n', /book\.csv:1: the first row must be a header with a column for the account name; none was found/],
    ['a --map column the header lacks', 'name,owner\nAcme,lan\n', /--map start=Close Date: book\.csv has no column "Close Date"/, { start: 'Close Date' }],
    ['one column for two roles', 'name,owner\nAcme,lan\n', /the column "owner" is mapped to both name and owner/, { name: 'owner' }],
    ['a column named twice', 'name,playbook,Name\n', /book\.csv:1: the header names the column "Name" twice \(columns 1 and 3\)/],
    ['a quote never closed', 'name,playbook\n"Acme,onboarding-30d\nB,onboarding-30d\n', /book\.csv:\d+: not valid CSV: a quoted value is never closed/],
  ])('%s', (_, text, message, map?: ColumnMap) => {
    const error = inputRefusal(() => parseBook(text, { ...OPTIONS, map }));
    expect(error.message).toMatch(message);
  });
});

describe('planImport', () => {
  const rows = (text: string) => read(text).rows;

  function lookup(accounts: Record<string, { id: number; owner?: string; fields?: Record<string, string>; runs?: (StoredRun & { playbook: string })[] }>): BookLookup {
    return {
      account: (key) => {
        const found = accounts[key];
        return found && { id: found.id, name: key, owner: found.owner ?? null, fields: found.fields ?? {} };
      },
      accountByRecord: () => undefined,
      runs: (accountId, playbookId) =>
        Object.values(accounts)
          .find((account) => account.id === accountId)!
          .runs?.filter((run) => run.playbook === playbookId) ?? [],
    };
  }

  it('creates each new account once and starts a run per row, owned by the row, else the account', () => {
    const plan = planImport(rows('name,owner,playbook,start,tier\nA,,onboarding-30d,2026-11-20,gold\nA,lan,churn-response,,\nB,minh,onboarding-30d,,'), EMPTY_BOOK_LOOKUP);
    expect(plan.newAccounts).toEqual([
      { key: 'a', name: 'A', owner: 'lan', fields: { tier: 'gold' } },
      { key: 'b', name: 'B', owner: 'minh', fields: {} },
    ]);
    expect(plan.runs.map((run) => [run.key, run.row.playbook.id, run.owner, run.accountId])).toEqual([
      ['a', 'onboarding-30d', 'lan', undefined],
      ['a', 'churn-response', 'lan', undefined],
      ['b', 'onboarding-30d', 'minh', undefined],
    ]);
    expect(plan.problems).toEqual([]);
  });

  it('a run already there with the same start date is unchanged; another open run of the playbook is a problem; a finished one is not', () => {
    const stored = lookup({
      same: { id: 1, owner: 'lan', runs: [{ id: 10, startDate: '2026-11-20', status: 'finished', playbook: 'onboarding-30d' }] },
      open: { id: 2, runs: [{ id: 11, startDate: '2026-10-01', status: 'open', playbook: 'onboarding-30d' }] },
      done: { id: 3, runs: [{ id: 12, startDate: '2026-10-01', status: 'finished', playbook: 'onboarding-30d' }] },
    });
    const plan = planImport(rows('name,playbook,start\nSame,onboarding-30d,2026-11-20\nOpen,onboarding-30d,2026-11-20\nDone,onboarding-30d,2026-11-20\nOpen,churn-response,2026-11-20'), stored);
    expect(plan.unchanged).toBe(1);
    expect(plan.problems).toEqual([{ line: 3, message: '"Open" already has an open run #11 of onboarding-30d (started 2026-10-01)' }]);
    expect(plan.runs.map((run) => [run.row.name, run.row.playbook.id, run.accountId])).toEqual([
      ['Done', 'onboarding-30d', 3],
      ['Open', 'churn-response', 2],
    ]);
    expect(plan.newAccounts).toEqual([]);
  });

  it('gives an existing account an owner only when it has none, and merges field values from the file', () => {
    const stored = lookup({ kept: { id: 1, owner: 'lan', fields: { tier: 'gold', region: 'Huế' } }, bare: { id: 2 } });
    const plan = planImport(rows('name,owner,playbook,start,region\nKept,minh,onboarding-30d,,Hà Nội\nBare,minh,onboarding-30d,,\nKept,,churn-response,,'), stored);
    expect(plan.changedAccounts).toEqual([
      { id: 1, owner: 'lan', fields: { tier: 'gold', region: 'Hà Nội' } },
      { id: 2, owner: 'minh', fields: {} },
    ]);
    // Kept's owner differs from the file's: kept, reported, and its new runs are the account owner's
    expect(plan.runs.map((run) => run.owner)).toEqual(['lan', 'minh', 'lan']);
    expect(plan.ownersDiffer).toEqual([{ line: 2, account: 'kept', stored: 'lan', file: 'minh', updated: false }]);
  });

  it('an account the file leaves as it is, is not changed', () => {
    const plan = planImport(rows('name,owner,playbook,start,region\nKept,lan,onboarding-30d,2026-11-20,Huế'), lookup({ kept: { id: 1, owner: 'lan', fields: { region: 'Huế' } } }));
    expect(plan.changedAccounts).toEqual([]);
  });
});
