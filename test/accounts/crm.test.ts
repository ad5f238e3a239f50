/** CRM exports (engine/crm.ts and parseBook): each CRM's real headers, --map, delimiters, dates. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBook } from '../../src/engine/book-csv.js';
import type { BookOptions } from '../../src/engine/book-csv.js';
import { parseColumnMap, planColumns, prepareText, recogniseShape, settleDateOrder } from '../../src/engine/crm.js';
import { readCellDate } from '../../src/engine/dates.js';
import type { Playbook } from '../../src/playbook/types.js';
import { testPlaybook } from '../agenda/helpers.js';
import { inputRefusal } from '../support/errors.js';
import { FIXTURES } from '../support/playbooks.js';
import { spoken } from '../support/said.js';

const ONBOARDING = testPlaybook('onboarding-30d');
const CHURN = testPlaybook('churn-response');
const OPTIONS: BookOptions = {
  file: 'export.csv',
  today: '2026-11-26',
  playbook: (id) => new Map<string, Playbook>([['churn-response', CHURN], ['onboarding-30d', ONBOARDING]]).get(id),
  unknownPlaybook: (id) => `unknown playbook "${id}"`,
  defaultPlaybook: () => ONBOARDING,
};

const fixture = (name: string) => readFileSync(join(FIXTURES, 'csv', 'crm', name), 'utf8');
const rowsOf = (text: string, extra: Partial<BookOptions> = {}) => {
  const book = parseBook(text, { ...OPTIONS, ...extra });
  expect(book.problems).toEqual([]);
  return book.rows.map((row) => ({ line: row.line, name: row.name, owner: row.owner, start: row.startDate, record: row.record?.value ?? null }));
};

describe('the four CRMs, as their exports are written', () => {
  it('HubSpot (comma, every value quoted, CRLF, "2026-11-20 09:14"): name, owner, Create Date, Record ID', () => {
    const book = parseBook(fixture('hubspot-companies.csv'), OPTIONS);
    expect(book.columns.shape?.id).toBe('hubspot');
    expect(book.delimiter).toBe(',');
    expect(rowsOf(fixture('hubspot-companies.csv'))).toEqual([
      { line: 2, name: 'Công ty TNHH Ánh Dương', owner: 'Nguyễn Thị Lan', start: '2026-11-20', record: '18420551201' },
      { line: 3, name: 'Công ty Cổ phần Sông Hồng', owner: 'Trần Văn Minh', start: '2026-11-18', record: '18420551202' },
      { line: 4, name: 'Tập đoàn Đại Việt', owner: null, start: '2026-11-24', record: '18420551203' },
      { line: 5, name: 'Nhà sách "Trí Tuệ", Huế', owner: 'Nguyễn Thị Lan', start: '2026-11-25', record: '18420551204' },
    ]);
    // the other columns, and the record id, are kept as account fields
    expect(book.rows[0]!.fields).toEqual({ 'Record ID': '18420551201', 'Phone Number': '+84 24 3826 1234', City: 'Hà Nội', 'Country/Region': 'Vietnam', Industry: 'Retail', 'Lifecycle Stage': 'Customer' });
    expect(book.rows[0]!.record).toEqual({ column: 'Record ID', value: '18420551201' });
  });

  it('Salesforce, re-saved by Excel under Vietnamese settings (";", BOM, CRLF, dd/mm/yyyy)', () => {
    const book = parseBook(fixture('salesforce-accounts.csv'), OPTIONS);
    expect(book.columns.shape?.id).toBe('salesforce');
    expect(book.delimiter).toBe(';');
    expect(book.dateOrder).toMatchObject({ kind: 'settled', format: 'dd/mm/yyyy', line: 2, value: '20/11/2026' });
    expect(rowsOf(fixture('salesforce-accounts.csv'))).toEqual([
      { line: 2, name: 'Công ty TNHH Hưng Thịnh', owner: 'Phạm Thu Thảo', start: '2026-11-20', record: '0015g00000XyZ1AAAB' },
      // 03/11/2026 is settled by 20/11/2026 above: 3 November, not 11 March
      { line: 3, name: 'Doanh nghiệp tư nhân Phú Quý', owner: 'Phạm Thu Thảo', start: '2026-11-03', record: '0015g00000XyZ2AAAB' },
      { line: 4, name: 'Hợp tác xã Ngọc Lan; chi nhánh 2', owner: 'Lê Hoàng Quân', start: '2026-12-01', record: '0015g00000XyZ3AAAB' },
    ]);
    expect(book.rows[0]!.fields).toMatchObject({ Type: 'Customer - Direct', 'Last Activity': '25/11/2026', 'Account ID': '0015g00000XyZ1AAAB' });
  });

  it('Pipedrive (CR-only line ends, "Organization - …" headers, a quoted address with commas)', () => {
    const book = parseBook(fixture('pipedrive-organizations.csv'), OPTIONS);
    expect(book.columns.shape?.id).toBe('pipedrive');
    expect(rowsOf(fixture('pipedrive-organizations.csv'))).toEqual([
      { line: 2, name: 'Công ty Cổ phần Bình Minh', owner: 'Đỗ Ngọc Vy', start: '2026-11-19', record: '412' },
      { line: 3, name: 'Công ty TNHH Sao Mai', owner: 'Đỗ Ngọc Vy', start: '2026-11-21', record: '413' },
      { line: 4, name: 'Ước Mơ Việt', owner: 'Hoàng Khánh', start: '2026-11-26', record: '414' },
    ]);
    expect(book.rows[0]!.fields['Organization - Address']).toBe('12 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội');
  });

  it('Zoho, saved by Excel with its "sep=;" first line (line numbers still count it) and "22/11/2026 10:15"', () => {
    const book = parseBook(fixture('zoho-accounts.csv'), OPTIONS);
    expect(book.columns.shape?.id).toBe('zoho');
    expect(book.delimiter).toBe(';');
    expect(book.columns.header[0]).toBe('Record Id');
    expect(rowsOf(fixture('zoho-accounts.csv'))).toEqual([
      { line: 3, name: 'Công ty TNHH Kim Ngân', owner: 'Vũ Thị Hương', start: '2026-11-22', record: 'zcrm_5725767000000412001' },
      { line: 4, name: 'Tập đoàn Đông Á', owner: 'Vũ Thị Hương', start: '2026-11-13', record: 'zcrm_5725767000000412002' },
      { line: 5, name: 'Công ty Cổ phần Việt Tiến', owner: 'Bùi Minh Đức', start: '2026-11-02', record: 'zcrm_5725767000000412003' },
    ]);
    const bad = fixture('zoho-accounts.csv').replace('Tập đoàn Đông Á', '');
    expect(spoken(parseBook(bad, OPTIONS).problems)).toEqual([{ line: 4, message: 'the account name is empty' }]);
  });

  it('anything else with --map (tab-separated, month-first dates declared with --date-format)', () => {
    const text = fixture('custom-sheet.tsv');
    expect(() => parseBook(text, OPTIONS)).toThrow(/the first row must be a header with a column for the account name/);
    const map = parseColumnMap('name=Company,owner=Rep,start=Close Date');
    expect(rowsOf(text, { map, dateFormat: 'mm/dd/yyyy' })).toEqual([
      { line: 2, name: 'Công ty TNHH Thành Đạt', owner: 'lan', start: '2026-11-20', record: null },
      { line: 3, name: 'Hải Âu Logistics', owner: 'minh', start: '2026-11-24', record: null },
    ]);
    // without --date-format, 11/20/2026 can only be month first: refused, with the way out
    expect(spoken(parseBook(text, { ...OPTIONS, map }).problems)[0]!.message).toMatch(/the column writes the month first .*--date-format mm\/dd\/yyyy/);
    // "Signed on" (11/02/2026, 11/03/2026) settles nothing: both rows are ambiguous
    const signed = parseBook(text, { ...OPTIONS, map: parseColumnMap('name=Company,start=Signed on') });
    expect(signed.problems.map((problem) => problem.line)).toEqual([2, 3]);
    expect(spoken(signed.problems)[0]!.message).toMatch(/could be day\/month or month\/day/);
    expect(signed.columns.fields.map((field) => field.name)).toEqual(['Rep', 'Segment', 'Close Date']);
  });

  it('--map corrects a recognised shape: start= starts every run today, start=<column> reads another', () => {
    expect(rowsOf(fixture('hubspot-companies.csv'), { map: { start: null } }).map((row) => row.start)).toEqual(['2026-11-26', '2026-11-26', '2026-11-26', '2026-11-26']);
    const book = parseBook(fixture('salesforce-accounts.csv'), { ...OPTIONS, map: parseColumnMap('start=Last Activity') });
    expect(book.rows.map((row) => row.startDate)).toEqual(['2026-11-25', '2026-11-26', '2026-11-26']);
    expect(book.columns.fields.map((field) => field.name)).toContain('Created Date');
  });
});

describe('recogniseShape', () => {
  it.each([
    [['Record ID', 'Company name', 'Company owner'], 'hubspot'],
    [['record id', 'COMPANY NAME'], 'hubspot'],
    [['Record Id', 'Account Owner', 'Account Name'], 'zoho'],
    [['Account Owner', 'Account Name', 'Account ID'], 'salesforce'],
    [['Organization - ID', 'Organization - Name'], 'pipedrive'],
    [['name', 'playbook'], 'cs'],
    [['Company', 'Rep'], undefined],
  ])('%j → %s', (header, id) => {
    expect(recogniseShape(header)?.id).toBe(id);
  });
});

describe('parseColumnMap', () => {
  it('reads role=Column pairs, any case and spacing; an empty column means none', () => {
    expect(parseColumnMap(' Name = Company name , owner=Company owner,start=')).toEqual({ name: 'Company name', owner: 'Company owner', start: null });
  });
  it.each([
    ['nmae=Company', /unknown role "nmae"; the roles are name, owner, playbook, start, id/],
    ['name', /"name" has no "=": write role=Column/],
    ['name=A,name=B', /--map names name twice/],
    [' , ', /--map is empty/],
  ])('refuses %j', (spec, message) => {
    expect(inputRefusal(() => parseColumnMap(spec)).message).toMatch(message);
  });
  it('a --map column the header lacks is named with the columns there are', () => {
    const error = inputRefusal(() => planColumns(['Company', 'Rep'], { owner: 'Owner' }, 'x.csv'));
    expect(error.message).toBe('--map owner=Owner: x.csv has no column "Owner"');
    expect(error.details).toEqual(['its columns: "Company", "Rep"']);
  });
});

describe('prepareText: how the spreadsheet saved it', () => {
  it.each([
    ['name,owner;x\n', ','],
    ['name;owner;playbook\n', ';'],
    ['name\towner\tplaybook\n', '\t'],
    ['"a,b";"c,d";e\n', ';'], // delimiters inside quotes do not count
    ['name\n', ','],
  ])('%j → %j', (text, delimiter) => {
    expect(prepareText(text).delimiter).toBe(delimiter);
  });
  it('reads Excel\'s sep= line (quoted or not, after a BOM) and drops it, counting it in line numbers', () => {
    for (const text of ['\uFEFFsep=;\r\nname;playbook\r\n', '"sep=;"\nname;playbook\n', 'sep=;;\rname;playbook\r']) {
      expect(prepareText(text)).toEqual({ text: 'name;playbook\n', delimiter: ';', linesBefore: 1 });
    }
    expect(prepareText('sep=\t\nname\tplaybook').delimiter).toBe('\t');
    expect(() => prepareText('sep=|\nname|playbook')).toThrow(/sep=\|; cs reads , ; or tab/);
  });
});

describe('dates in a CRM column', () => {
  it('readCellDate: ISO, dd/mm/yyyy or mm/dd/yyyy, a time of day ignored, impossible days refused', () => {
    expect(readCellDate('2026-11-20', 'dd/mm/yyyy')).toBe('2026-11-20');
    expect(readCellDate('2026-11-20T09:14:00Z', 'yyyy-mm-dd')).toBe('2026-11-20');
    expect(readCellDate('20/11/2026 10:15', 'dd/mm/yyyy')).toBe('2026-11-20');
    expect(readCellDate('20.11.2026', 'dd/mm/yyyy')).toBe('2026-11-20');
    expect(readCellDate('1/2/2026', 'dd/mm/yyyy')).toBe('2026-02-01');
    expect(readCellDate('11/20/2026, 9:05 AM', 'mm/dd/yyyy')).toBe('2026-11-20');
    expect(readCellDate('20/11/2026', 'yyyy-mm-dd')).toBeUndefined();
    expect(readCellDate('31/02/2026', 'dd/mm/yyyy')).toBeUndefined();
    expect(readCellDate('20/11/26', 'dd/mm/yyyy')).toBeUndefined(); // a two-digit year is not guessed
    expect(readCellDate('tomorrow', 'dd/mm/yyyy')).toBeUndefined();
  });

  const cells = (...values: string[]) => values.map((value, index) => ({ line: index + 2, value }));
  it('settleDateOrder: a first number over 12 settles day first; a second over 12, month first; none, ambiguous', () => {
    expect(settleDateOrder(cells('2026-11-20', ''))).toEqual({ kind: 'settled', format: 'yyyy-mm-dd' });
    expect(settleDateOrder(cells('03/04/2026', '20/11/2026'))).toEqual({ kind: 'settled', format: 'dd/mm/yyyy', line: 3, value: '20/11/2026' });
    expect(settleDateOrder(cells('03/04/2026', '11/20/2026'))).toEqual({ kind: 'month-first', line: 3, value: '11/20/2026' });
    expect(settleDateOrder(cells('03/04/2026', '05/06/2026', '2026-11-20'))).toEqual({ kind: 'ambiguous' });
    // a day-first value wins: the month-first-looking one is then no real date, a bad row
    expect(settleDateOrder(cells('11/20/2026', '20/11/2026'))).toMatchObject({ kind: 'settled', format: 'dd/mm/yyyy' });
    expect(settleDateOrder(cells('03/04/2026'), 'mm/dd/yyyy')).toEqual({ kind: 'settled', format: 'mm/dd/yyyy' });
  });

  it('a row whose date contradicts the column is a bad row, named with the row that settled it', () => {
    const book = parseBook('name,start\nA,20/11/2026\nB,11/25/2026\nC,03/04/2026\n', OPTIONS);
    expect(spoken(book.problems)).toEqual([{ line: 3, message: 'start must be a real date written DD/MM/YYYY or YYYY-MM-DD (the column\'s dates are day first: "20/11/2026" on line 2); got "11/25/2026"' }]);
    expect(book.rows.map((row) => row.startDate)).toEqual(['2026-11-20', '2026-04-03']);
  });
});

describe('playbook cells', () => {
  it('an empty cell, or no playbook column, is the default playbook; a playbook named is that one', () => {
    const book = parseBook('name,playbook\nA,\nB,churn-response\n', OPTIONS);
    expect(book.rows.map((row) => row.playbook.id)).toEqual(['onboarding-30d', 'churn-response']);
    expect(parseBook(fixture('hubspot-companies.csv'), OPTIONS).rows.every((row) => row.playbook === ONBOARDING)).toBe(true);
  });
  it('with no default, every row without a playbook says why', () => {
    const book = parseBook('name,playbook\nA,\nB,churn-response\n', { ...OPTIONS, defaultPlaybook: () => 'the playbook is empty and there is no default onboarding playbook' });
    expect(spoken(book.problems)).toEqual([{ line: 2, message: 'the playbook is empty and there is no default onboarding playbook' }]);
  });
});

describe('a CRM export read in pieces (as a large file is read)', () => {
  /** `text` cut every `size` characters: a CR, a sep= line or a header may be split anywhere. */
  const cut = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, index) => text.slice(index * size, (index + 1) * size));
  const summary = (book: ReturnType<typeof parseBook>) => ({
    delimiter: book.delimiter,
    dateOrder: book.dateOrder,
    header: book.columns.header,
    rows: book.rows.map((row) => ({ line: row.line, name: row.name, start: row.startDate, record: row.record?.value ?? null })),
    problems: book.problems,
  });

  for (const name of ['hubspot-companies.csv', 'salesforce-accounts.csv', 'pipedrive-organizations.csv', 'zoho-accounts.csv']) {
    it(`${name}: the same book in pieces of 1, 2, 7 and 64 characters as whole`, () => {
      const text = fixture(name);
      const whole = summary(parseBook(text, OPTIONS));
      expect(whole.rows.length).toBeGreaterThan(0);
      for (const size of [1, 2, 7, 64]) expect(summary(parseBook(() => cut(text, size), OPTIONS)), `pieces of ${size}`).toEqual(whole);
    });
  }

  it("Excel's sep= line split from its header: the delimiter and every line number still count it", () => {
    const book = parseBook(['se', 'p=;\r', '\nname;playbook;start\r', '\nA;;20/11/2026\rB;;03/04/2026\r'], OPTIONS);
    expect(book.delimiter).toBe(';');
    expect(book.rows.map((row) => [row.line, row.name, row.startDate])).toEqual([
      [3, 'A', '2026-11-20'],
      [4, 'B', '2026-04-03'],
    ]);
  });

  it('the date order is settled by a row after those held: the earlier rows are read day first too', () => {
    const lines = ['name,start', ...Array.from({ length: 30 }, (_, index) => `Khách ${index},03/04/2026`), 'Khách cuối,20/11/2026'];
    const checked: number[] = [];
    const held = parseBook(() => cut(`${lines.join('\n')}\n`, 50), { ...OPTIONS, hold: { maxRows: 10, check: (rows) => (checked.push(...rows.map((row) => row.line)), []) } });
    expect(held.complete).toBe(false);
    expect(held.problems).toEqual([]);
    expect(held.dateOrder).toEqual({ kind: 'settled', format: 'dd/mm/yyyy', line: 32, value: '20/11/2026' });
    const again = parseBook(() => cut(`${lines.join('\n')}\n`, 50), { ...OPTIONS, dateOrder: held.dateOrder });
    expect(again.rows).toHaveLength(31);
    expect(new Set(again.rows.slice(0, 30).map((row) => row.startDate))).toEqual(new Set(['2026-04-03']));
    expect(checked.length + held.rows.length).toBe(31);
  });

  it('held and ambiguous: every ambiguous row is a problem by its line, none let go unsaid', () => {
    const lines = ['name,start', ...Array.from({ length: 30 }, (_, index) => `Khách ${index},03/04/2026`)];
    const book = parseBook(() => cut(`${lines.join('\n')}\n`, 50), { ...OPTIONS, hold: { maxRows: 10, check: () => [] } });
    expect(book.problems.map((problem) => problem.line)).toEqual(Array.from({ length: 30 }, (_, index) => index + 2));
    expect(spoken(book.problems)[0]!.message).toMatch(/could be day\/month or month\/day.*--date-format/);
  });
});
