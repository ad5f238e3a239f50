/**
 * Text on its way to a terminal (src/ui): the sanitiser, cs's own colours through it, and tables
 * and wrapped text that fit a width.
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { reflow, truncate, wrap } from '../../src/ui/layout.js';
import { table } from '../../src/ui/table.js';
import { expandStyle, firstControl, forTerminal, markedStyle, visible } from '../../src/ui/visible.js';
import { LIVE_CONTROL } from '../support/controls.js';

const width = (line: string) => stringWidth(line.replace(/\u001b\[[0-9;]*m/g, ''));

describe('visible()', () => {
  const cases: [string, string, string][] = [
    ['OSC 52 (clipboard)', 'a\u001b]52;c;aGk=\u0007b', 'a\\u001b]52;c;aGk=\\u0007b'],
    ['OSC 0 (title) ended by ST', '\u001b]0;t\u001b\\', '\\u001b]0;t\\u001b\\'],
    ['CSI clear-screen', '\u001b[2J\u001b[H', '\\u001b[2J\\u001b[H'],
    ['C1 CSI, one byte', '\u009b31m', '\\u009b31m'],
    ['C1 OSC and NEL', '\u009d0;x\u0085', '\\u009d0;x\\u0085'],
    ['BEL, BS, VT, FF', '\u0007\b\u000b\f', '\\u0007\\u0008\\u000b\\u000c'],
    ['DEL', 'x\u007f', 'x\\u007f'],
    ['a lone CR', 'a\rb', 'a\\u000db'],
    ['bidi override and embedding', '\u202eabc\u202c\u202a', '\\u202eabc\\u202c\\u202a'],
    ['bidi isolates and marks', '\u2066\u2067\u2068\u2069\u200e\u200f\u061c', '\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c'],
    ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
    ['a forged colour marker', '\ufdd0\ufdd131m', '\\ufdd0\\ufdd131m'],
  ];
  for (const [name, input, shown] of cases) {
    it(`shows ${name} as \\uXXXX`, () => {
      expect(visible(input)).toBe(shown);
      expect(forTerminal(input)).not.toMatch(LIVE_CONTROL);
      expect(visible(visible(input)), 'idempotent').toBe(visible(input));
      expect(firstControl(input)).toBeDefined();
    });
  }

  it('keeps line feeds, tabs, CR LF, Vietnamese, CJK and emoji as they are', () => {
    const text = 'Công ty Ánh Dương\n\tline\r\n東京 👩‍👩‍👧 ✓';
    expect(visible(text)).toBe(text);
    expect(firstControl(text)).toBeUndefined();
  });

  it('gives JSON text that parses to the same strings', () => {
    const value = { name: 'Evil\u009b2J\u202e\u007f\u2028', nested: ['\u001b]52;c;x\u0007'] };
    const shown = visible(JSON.stringify(value, null, 2));
    expect(shown).not.toMatch(LIVE_CONTROL);
    expect(JSON.parse(shown)).toEqual(value);
  });

  it("keeps cs's own colours, and only them, as escape sequences", () => {
    const text = `${markedStyle.red(`overdue ${markedStyle.bold('x')}`)} \u001b[31mfake`;
    const out = forTerminal(text);
    expect(out).toBe('\u001b[31moverdue \u001b[1mx\u001b[22m\u001b[39m \\u001b[31mfake');
    expect(expandStyle('plain')).toBe('plain');
  });
});

describe('table() fits a width', () => {
  const rows = [
    ['ACCOUNT', 'OWNER', 'OPEN RUNS', 'NEXT DUE', 'OVERDUE'],
    ['Công ty Cổ phần Thương mại Dịch vụ Ánh Dương', 'Nguyễn Thị Lan', '1', '2026-11-22', '6'],
    ['株式会社 東京ソフトウェア開発センター', '田中 太郎', '2', '2026-12-01', '0'],
    ['Acme 👩‍👩‍👧 Holdings International', 'lan', '1', '2026-12-03', '0'],
  ];

  for (const limit of [40, 60, 120]) {
    it(`at ${limit} columns: every line fits, numbers and dates whole, the widest text shortened with …`, async () => {
      const lines = await table(rows, { width: limit, keep: [2, 3, 4] });
      for (const line of lines) expect(width(line), line).toBeLessThanOrEqual(limit);
      const natural = await table(rows);
      if (natural.some((line) => width(line) > limit)) expect(lines.join('\n')).toContain('…');
      else expect(lines).toEqual(natural);
      if (limit >= 60) for (const date of ['2026-11-22', '2026-12-01', '2026-12-03']) expect(lines.join('\n')).toContain(date);
      // the columns still line up: each date starts in the same display column
      const starts = lines.slice(1).map((line) => width(line.slice(0, line.indexOf('2026-'))));
      if (limit >= 60) expect(new Set(starts).size).toBe(1);
    });
  }

  it('shortens the widest column first', async () => {
    const lines = await table([['a very very long account name here', 'lan', 'Step one']], { width: 40 });
    expect(lines[0]).toBe('a very very long account…  lan  Step one');
  });

  it('never cuts a wide character in half', async () => {
    const [line] = await table([['東京東京東京東京東京', 'x']], { width: 10 });
    expect(width(line!)).toBeLessThanOrEqual(10);
    expect(line).toMatch(/^東京東…/);
  });

  it('keeps whole lines without a width (a pipe)', async () => {
    const lines = await table(rows);
    expect(lines[1]).toContain('Công ty Cổ phần Thương mại Dịch vụ Ánh Dương');
    expect(lines.join('\n')).not.toContain('…');
  });

  it('keeps the colours of a shortened cell closed', async () => {
    const [line] = await table([[markedStyle.red('a long red account name'), 'b']], { width: 12 });
    const out = forTerminal(line!);
    expect(out).toBe('\u001b[31ma long r…\u001b[39m  b');
  });

  it('makes control characters visible and keeps a cell on one line', async () => {
    const [line] = await table([['a\nb\u001b[2J', 'c']]);
    expect(line).toBe('a b\\u001b[2J  c');
  });
});

describe('truncate() and wrap()', () => {
  it('truncate counts Vietnamese in NFD as one column a letter', async () => {
    const measure = (text: string) => stringWidth(text);
    expect(truncate('Công ty Ánh Dương'.normalize('NFD'), 8, measure).normalize('NFC')).toBe('Công ty…');
  });

  it('wraps at word boundaries, under where the text starts, lists under their text', async () => {
    const guide = '  Hỏi khách hàng về mục tiêu của họ trong ba tháng tới và ghi lại.\n  - một mục rất dài cần được xuống dòng ở đây nữa';
    const wrapped = await wrap(guide, 30);
    for (const line of wrapped.split('\n')) expect(width(line)).toBeLessThanOrEqual(30);
    expect(wrapped).toBe('  Hỏi khách hàng về mục tiêu\n  của họ trong ba tháng tới và\n  ghi lại.\n  - một mục rất dài cần được\n    xuống dòng ở đây nữa');
    expect(await wrap(guide, undefined)).toBe(guide);
  });

  it('reflow joins the lines of a paragraph and of a list item, keeps paragraphs and items apart', async () => {
    const guide = '  Ask about their goals\n  for the quarter.\n\n  - first item that goes\n    on here\n  - second\n  Next paragraph.';
    expect(await reflow(guide, 80)).toBe('  Ask about their goals for the quarter.\n\n  - first item that goes on here\n  - second\n  Next paragraph.');
    expect(await reflow(guide, 20)).toBe('  Ask about their\n  goals for the\n  quarter.\n\n  - first item that\n    goes on here\n  - second\n  Next paragraph.');
    expect(await reflow(guide, undefined)).toBe(guide);
  });
});
