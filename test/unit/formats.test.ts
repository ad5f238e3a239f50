/**
 * Dates and counts written without Intl (src/i18n/formats.ts, its tables and digit grouping) say
 * exactly what ICU says for vi-VN and en-GB: the tables are only there to spare start-up the cost
 * of a process's first Intl formatter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDay } from '../../src/engine/dates.js';
import { formatDate, formatLongDate, formatNumber, formatWeekday, groupDigits } from '../../src/i18n/formats.js';
import { fill } from '../../src/i18n/messages.js';

const isoOf = (time: number) => new Date(time).toISOString().slice(0, 10);
const DAYS = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2999, 11, 31) }).map((time) => isoOf(time - (time % 86_400_000)));

describe('Vietnamese dates from a table are what ICU writes', () => {
  const long = new Intl.DateTimeFormat('vi-VN', { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
  const weekday = new Intl.DateTimeFormat('vi-VN', { weekday: 'long', timeZone: 'UTC' });
  const date = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });

  it('every weekday of a week, and any day of 1900–2999', () => {
    expect(formatLongDate('2027-01-08', 'vi')).toBe('Thứ Sáu, 08/01/2027');
    expect(formatDay('2027-01-10', 'vi-VN')).toBe('Chủ Nhật, 10/01/2027');
    fc.assert(
      fc.property(DAYS, (iso) => {
        const at = new Date(`${iso}T00:00:00Z`);
        expect(formatLongDate(iso, 'vi')).toBe(long.format(at));
        expect(formatDay(iso, 'vi-VN')).toBe(long.format(at));
        expect(formatWeekday(iso, 'vi')).toBe(weekday.format(at));
        expect(formatDate(iso, 'vi')).toBe(date.format(at));
      }),
      { numRuns: 500 },
    );
  });
});

describe('digits grouped by hand are what ICU groups', () => {
  it('whole numbers, negative ones too, in both languages', () => {
    expect(groupDigits(1000000, '.')).toBe('1.000.000');
    expect(formatNumber(-12345, 'vi')).toBe('-12.345');
    const vi = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 20 });
    const en = new Intl.NumberFormat('en-GB');
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (value) => {
        expect(formatNumber(value, 'vi')).toBe(vi.format(value));
        expect(groupDigits(value, ',')).toBe(en.format(value));
      }),
      { numRuns: 500 },
    );
    expect(formatNumber(1000.5, 'vi')).toBe('1.000,5');
  });
});

describe("English's plural rule without Intl is CLDR's", () => {
  it('one only for exactly 1', () => {
    const rules = new Intl.PluralRules('en-GB');
    for (const count of [-2, -1, 0, 0.5, 1, 1.5, 2, 11, 21, 101, 1000]) {
      expect(fill({ one: 'one', other: 'other' }, { count }, 'en'), String(count)).toBe(rules.select(count) === 'one' ? 'one' : 'other');
    }
  });
});
