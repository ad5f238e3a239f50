/** The one date parser (src/engine/dates.ts): every form it accepts, every way it refuses, bounds, leap days, month ends, weekdays. */
import { afterEach, describe, expect, it } from 'vitest';
import { DATE_FORMS, dayOf, formatDay, localDay, localTimestamp, parseDate, readDate, today } from '../../src/engine/dates.js';
import { inputRefusal } from '../support/errors.js';

const TODAY = '2026-12-01';

describe('readDate: accepted forms', () => {
  it.each([
    ['2026-11-26', '2026-11-26'],
    [' 2026-11-26 ', '2026-11-26'],
    ['today', TODAY],
    ['TODAY', TODAY],
    [' Tomorrow ', '2026-12-02'],
    ['tomorrow', '2026-12-02'],
    ['Yesterday', '2026-11-30'],
    ['+3d', '2026-12-04'],
    ['+ 3 D', '2026-12-04'],
    ['-3d', '2026-11-28'],
    ['+0d', TODAY],
    ['+2w', '2026-12-15'],
    ['-2w', '2026-11-17'],
    ['+1m', '2027-01-01'], // a public holiday: the weekday is shown wherever it is echoed
    ['-1m', '2026-11-01'],
    ['+12m', '2027-12-01'],
    ['+9999d', '2054-04-17'],
  ])('%j is %s', (input, expected) => {
    expect(readDate(input, TODAY)).toEqual({ date: expected });
  });

  it.each([
    ['+1m', '2026-01-31', '2026-02-28'],
    ['+1m', '2028-01-31', '2028-02-29'],
    ['-1m', '2026-03-31', '2026-02-28'],
    ['+1m', '2026-03-31', '2026-04-30'],
    ['+13m', '2026-12-31', '2028-01-31'],
    ['-12m', '2028-02-29', '2027-02-28'],
    ['+1d', '2026-12-31', '2027-01-01'],
    ['+1d', '2028-02-28', '2028-02-29'],
    ['-1d', '2026-03-01', '2026-02-28'],
  ])('%s from %s is %s (a month step past the month end stays on its last day)', (input, from, expected) => {
    expect(readDate(input, from)).toEqual({ date: expected });
  });

  it.each([
    ['1900-01-01'],
    ['2999-12-31'],
    ['2000-02-29'], // divisible by 400: a leap year
    ['2028-02-29'],
    ['2024-02-29'],
  ])('%s is a date in range', (date) => {
    expect(readDate(date, TODAY)).toEqual({ date });
  });
});

describe('readDate: refused', () => {
  it.each([
    ['1899-12-31', '1899-12-31 is outside the years cs accepts, 1900 to 2999'],
    ['3000-01-01', '3000-01-01 is outside the years cs accepts, 1900 to 2999'],
    ['9999-12-31', '9999-12-31 is outside the years cs accepts, 1900 to 2999'],
    ['0026-11-20', '0026-11-20 is outside the years cs accepts, 1900 to 2999 (did you mean 2026-11-20?)'],
    ['0000-01-01', '0000-01-01 is outside the years cs accepts, 1900 to 2999 (did you mean 2000-01-01?)'],
    ['1900-02-29', '1900-02-29 is not a real date: February 1900 has 28 days'], // 1900 is not a leap year
    ['2100-02-29', '2100-02-29 is not a real date: February 2100 has 28 days'],
    ['2027-02-29', '2027-02-29 is not a real date: February 2027 has 28 days'],
    ['2026-04-31', '2026-04-31 is not a real date: April 2026 has 30 days'],
    ['2026-02-30', '2026-02-30 is not a real date: February 2026 has 28 days'],
    ['2026-13-01', '2026-13-01 is not a real date: there is no month 13'],
    ['2026-00-10', '2026-00-10 is not a real date: there is no month 0'],
    ['2026-11-00', '2026-11-00 is not a real date: November 2026 has 30 days'],
    ['-9999m', '-9999m is 1193-09-01, outside the years cs accepts, 1900 to 2999'],
    ['+9999m', undefined], // 2860: in range
  ])('%s: %s', (input, problem) => {
    const reading = readDate(input, TODAY);
    if (problem === undefined) expect(reading.problem).toBeUndefined();
    else expect(reading).toEqual({ problem });
  });

  it.each(['', '   ', 'next week', '20/11/2026', '2026-1-5', '26-11-26', '2026-11-26T00:00', '3d', '+3', '+3y', '+99999d', '++3d', 'constructor', 'toString', '1e3', '２０２６-１１-２６'])(
    '%j is not a form cs reads',
    (input) => {
      expect(readDate(input, TODAY)).toEqual({ problem: `expected a date (${DATE_FORMS}); got ${JSON.stringify(input.trim())}` });
    },
  );

  it('words and offsets need a today to count from', () => {
    expect(readDate('tomorrow').problem).toMatch(/^expected a date/);
    expect(readDate('+3d').problem).toMatch(/^expected a date/);
    expect(readDate('2026-11-26')).toEqual({ date: '2026-11-26' });
  });

  it('parseDate throws an exit-2 error naming what was given, and the forms', () => {
    const error = inputRefusal(() => parseDate('9999-12-31', '--start', TODAY));
    expect(error.message).toBe('--start: 9999-12-31 is outside the years cs accepts, 1900 to 2999');
    expect(error.hint).toBe(`A date is written ${DATE_FORMS}.`);
    expect(parseDate(' Tomorrow ', '--start', TODAY)).toBe('2026-12-02');
  });
});

describe('today and CS_TODAY', () => {
  const noon = new Date(2026, 11, 1, 12, 0, 0);

  it('is the local day, or CS_TODAY when it is set', () => {
    expect(today({}, noon)).toBe('2026-12-01');
    expect(today({ CS_TODAY: '' }, noon)).toBe('2026-12-01');
    expect(today({ CS_TODAY: '2026-11-26' }, noon)).toBe('2026-11-26');
    expect(today({ CS_TODAY: ' 2026-11-26 ' }, noon)).toBe('2026-11-26');
  });

  it.each([
    ['tomorrow', 'CS_TODAY: expected a date written YYYY-MM-DD; got "tomorrow"'],
    ['2026-02-30', 'CS_TODAY: 2026-02-30 is not a real date: February 2026 has 28 days'],
    ['9999-12-31', 'CS_TODAY: 9999-12-31 is outside the years cs accepts, 1900 to 2999'],
    ['0026-11-20', 'CS_TODAY: 0026-11-20 is outside the years cs accepts, 1900 to 2999 (did you mean 2026-11-20?)'],
    ['26/11/2026', 'CS_TODAY: expected a date written YYYY-MM-DD; got "26/11/2026"'],
  ])('an invalid CS_TODAY (%s) is an exit-2 error, never ignored', (value, message) => {
    const error = inputRefusal(() => today({ CS_TODAY: value }, noon));
    expect(error.message).toBe(message);
    expect(error.hint).toMatch(/Unset CS_TODAY/);
  });
});

describe('local days and finish times', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('an evening in America/Adak (UTC-10) is that day there, not the next UTC day', () => {
    process.env.TZ = 'America/Adak';
    const evening = new Date('2026-11-27T05:30:00Z'); // 19:30 on 26 November in Adak
    expect(localDay(evening)).toBe('2026-11-26');
    expect(today({}, evening)).toBe('2026-11-26');
    expect(localTimestamp('2026-11-26', evening)).toBe('2026-11-26T19:30:00-10:00');
    expect(dayOf(localTimestamp('2026-11-26', evening))).toBe('2026-11-26');
    expect(dayOf('2026-11-27T05:30:00.000Z'), 'a UTC stamp from an older cs: its local day').toBe('2026-11-26');
  });

  it('east of UTC, an early morning is that day there', () => {
    process.env.TZ = 'Asia/Ho_Chi_Minh';
    const early = new Date('2026-11-26T18:30:00Z'); // 01:30 on 27 November in Hồ Chí Minh City
    expect(localDay(early)).toBe('2026-11-27');
    expect(localTimestamp('2026-11-27', early)).toBe('2026-11-27T01:30:00+07:00');
  });

  it('a pinned CS_TODAY gives the day of the stamp', () => {
    expect(localTimestamp(today({ CS_TODAY: '2026-11-26' }), new Date(2026, 11, 1, 9, 5, 7)).slice(0, 19)).toBe('2026-11-26T09:05:07');
  });
});

describe('formatDay: every date shown with its weekday', () => {
  it.each([
    ['2027-01-08', 'Fri 2027-01-08'],
    ['2027-01-01', 'Fri 2027-01-01'],
    ['2026-11-26', 'Thu 2026-11-26'],
    ['2028-02-29', 'Tue 2028-02-29'],
    ['1900-01-01', 'Mon 1900-01-01'],
    ['2999-12-31', 'Tue 2999-12-31'],
  ])('%s in English is %s', (date, shown) => {
    expect(formatDay(date)).toBe(shown);
  });

  it('agrees with Intl for every day of two years (the English table is no guess)', () => {
    const intl = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' });
    for (let day = 0; day < 731; day += 1) {
      const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
      expect(formatDay(date)).toBe(`${intl.format(new Date(`${date}T00:00:00Z`))} ${date}`);
    }
  });

  it('switches to Vietnamese with the locale', () => {
    expect(formatDay('2027-01-08', 'vi-VN')).toBe('Thứ Sáu, 08/01/2027');
    expect(formatDay('2026-11-29', 'vi-VN')).toBe('Chủ Nhật, 29/11/2026');
  });
});
