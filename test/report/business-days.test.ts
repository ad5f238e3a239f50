/** Business days for `cs shift +Nbd`: the generated holiday table, and the arithmetic. */
import { describe, expect, it } from 'vitest';
import { VN_HOLIDAYS, VN_HOLIDAY_YEARS } from '../../src/engine/holidays-vn.js';
import { isBusinessDay, parseShiftOffset, shiftDate } from '../../src/engine/shift.js';
import { vietnamWorkCalendar } from '../../src/engine/work-calendar.js';
// @ts-expect-error: a plain .mjs script, no types
import { vietnamHolidays } from '../../scripts/holidays.mjs';

describe('the holiday table', () => {
  it('is what date-holidays says today (regenerate with: node scripts/holidays.mjs)', () => {
    expect(VN_HOLIDAYS).toEqual(vietnamHolidays(VN_HOLIDAY_YEARS[0], VN_HOLIDAY_YEARS[1]));
  });

  it('holds the public holidays of 2026: Tết Dương lịch, the Tết span, Giỗ tổ Hùng Vương, 30/4, 1/5, 2/9', () => {
    expect(VN_HOLIDAYS.filter((day) => day.startsWith('2026-'))).toEqual([
      '2026-01-01',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-04-26',
      '2026-04-30',
      '2026-05-01',
      '2026-09-02',
    ]);
  });
});

describe('shiftDate', () => {
  const vn = vietnamWorkCalendar();

  it('days and weeks are calendar days, either way', () => {
    expect(shiftDate('2026-12-30', parseShiftOffset('+5d'))).toBe('2027-01-04');
    expect(shiftDate('2026-03-01', parseShiftOffset('-2d'))).toBe('2026-02-27');
    expect(shiftDate('2026-12-28', parseShiftOffset('+1w'))).toBe('2027-01-04');
    expect(shiftDate('2026-01-05', parseShiftOffset('-1w'))).toBe('2025-12-29');
  });

  it('business days skip weekends and holidays, forwards and backwards, from any day', () => {
    expect(shiftDate('2026-11-27', parseShiftOffset('+1bd'), vn)).toBe('2026-11-30'); // Fri → Mon
    expect(shiftDate('2026-11-28', parseShiftOffset('+1bd'), vn)).toBe('2026-11-30'); // Sat → Mon
    expect(shiftDate('2026-11-30', parseShiftOffset('-1bd'), vn)).toBe('2026-11-27'); // Mon → Fri
    expect(shiftDate('2026-02-13', parseShiftOffset('+1bd'), vn)).toBe('2026-02-23'); // Fri before Tết → Mon after it
    expect(shiftDate('2026-04-29', parseShiftOffset('+1bd'), vn)).toBe('2026-05-04'); // over 30/4 and 1/5
    expect(shiftDate('2026-12-31', parseShiftOffset('+1bd'), vn)).toBe('2027-01-04'); // over New Year and a weekend
    expect(isBusinessDay('2026-09-02', vn)).toBe(false);
    expect(isBusinessDay('2026-09-03', vn)).toBe(true);
    expect(shiftDate('2026-11-27', parseShiftOffset('+1bd'), vietnamWorkCalendar(['2026-11-30']))).toBe('2026-12-01');
  });

  it('parses offsets: a sign (none means later), a number, d / w / bd', () => {
    expect(parseShiftOffset('5d')).toEqual({ amount: 5, unit: 'd', text: '+5d' });
    expect(parseShiftOffset(' -3BD ')).toEqual({ amount: -3, unit: 'bd', text: '-3bd' });
    for (const bad of ['', '+', '+5', '5 d', '+5m', '+0d', '++5d', '+12345d', '1.5d']) expect(() => parseShiftOffset(bad), bad).toThrow(/OFFSET must be/);
  });
});

describe('business days in playbook due dates (Nbd) use the same calendar as cs shift', () => {
  it('skip Tết from the table and the days off CS_HOLIDAYS lists; the file is read only when a business day is counted', async () => {
    const { workCalendar } = await import('../../src/cli/calendar.js');
    const { applyOffset, parseOffset } = await import('../../src/engine/due.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    // Thursday 2027-02-04 + 2bd: Fri 02-05 and Mon–Tue 02-08/09 are Tết, so Wed 02-10, Thu 02-11
    expect(applyOffset('2027-02-04', parseOffset('2bd')!, workCalendar({}))).toBe('2027-02-11');
    expect(applyOffset('2027-02-04', parseOffset('2bd')!, workCalendar({}))).toBe(shiftDate('2027-02-04', parseShiftOffset('+2bd'), vietnamWorkCalendar()));
    const file = join(mkdtempSync(join(tmpdir(), 'cs-holidays-')), 'days-off.txt');
    writeFileSync(file, '# ours\n2027-02-10 team day\n');
    expect(applyOffset('2027-02-04', parseOffset('2bd')!, workCalendar({ CS_HOLIDAYS: file }))).toBe('2027-02-12');
    const missing = workCalendar({ CS_HOLIDAYS: join(file, 'nope') }); // not read yet: no error
    expect(() => applyOffset('2027-02-04', parseOffset('2bd')!, missing)).toThrow(/CS_HOLIDAYS: cannot read/);
  });
});
