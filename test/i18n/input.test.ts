/** The number and date input rules of each language (src/i18n/input.ts), as tables. */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDateInput, parseNumberInput } from '../../src/i18n/input.js';
import type { Lang } from '../../src/i18n/lang.js';
import { catalogueOf } from '../../src/i18n/messages.js';

beforeAll(async () => {
  await catalogueOf('vi');
});

const env = { CS_TODAY: '2027-01-06' };

// typed, language, the number meant (or a piece of the refusal: the example it gives)
const NUMBERS: [string, Lang, number | string][] = [
  ['1000', 'en', 1000],
  ['1,000', 'en', 1000],
  ['1,000,000.25', 'en', 1_000_000.25],
  ['2.5', 'en', 2.5],
  ['0.125', 'en', 0.125],
  ['-3', 'en', -3],
  ['1,5', 'en', 'write 1.5'],
  ['1.500', 'en', 'write 1.5 for the decimal or 1,500'],
  ['1,00', 'en', 'write 1.00'],
  ['abc', 'en', 'expected a number'],
  ['1.000', 'vi', 1000],
  ['1000', 'vi', 1000],
  ['1.000.000', 'vi', 1_000_000],
  ['1,5', 'vi', 1.5],
  ['1.000,5', 'vi', 1000.5],
  ['0,125', 'vi', 0.125],
  ['-2,75', 'vi', -2.75],
  ['1.5', 'vi', 'viết 1,5'],
  ['12.50', 'vi', 'viết 12,50'],
  ['1,000', 'vi', 'viết 1 nếu là số thập phân, hoặc 1.000'],
  ['1,500', 'vi', 'viết 1,5 nếu là số thập phân, hoặc 1.500'],
  ['1.0000', 'vi', 'viết 1,0000'],
  ['hai', 'vi', 'cần một con số'],
  ['', 'vi', 'cần một con số'],
];

const DATES: [string, Lang, string][] = [
  ['2027-01-08', 'en', '2027-01-08'],
  ['today', 'en', '2027-01-06'],
  ['tomorrow', 'en', '2027-01-07'],
  ['+2w', 'en', '2027-01-20'],
  ['08/01/2027', 'en', 'ambiguous in English: write 2027-01-08 or 2027-08-01'],
  ['25/12/2026', 'en', 'write dates as YYYY-MM-DD, here 2026-12-25'],
  ['2027-02-30', 'en', '2027-02-30 is not a real date: February 2027 has 28 days'],
  ['yesterday', 'en', '2027-01-05'],
  ['-3d', 'en', '2027-01-03'],
  ['08/01/2027', 'vi', '2027-01-08'],
  ['8/1/2027', 'vi', '2027-01-08'],
  ['2027-01-08', 'vi', '2027-01-08'],
  ['hôm nay', 'vi', '2027-01-06'],
  ['hôm qua', 'vi', '2027-01-05'],
  ['08/01/0027', 'vi', 'từ năm 1900 đến 2999'],
  ['Ngày mai', 'vi', '2027-01-07'],
  ['today', 'vi', '2027-01-06'],
  ['+3d', 'vi', '2027-01-09'],
  ['31/02/2027', 'vi', 'cần một ngày có thật'],
  ['01/13/2027', 'vi', 'cần một ngày có thật'],
];

describe('number input', () => {
  it.each(NUMBERS)('%s in %s', (typed, lang, expected) => {
    const parsed = parseNumberInput(typed, lang);
    if (typeof expected === 'number') expect(parsed).toEqual({ value: expected });
    else expect('problem' in parsed ? parsed.problem : `accepted as ${JSON.stringify(parsed)}`).toContain(expected);
  });
});

describe('date input', () => {
  it.each(DATES)('%s in %s', (typed, lang, expected) => {
    const parsed = parseDateInput(typed, lang, env);
    if (/^\d{4}-\d{2}-\d{2}$/.test(expected)) expect(parsed).toEqual({ value: expected });
    else expect('problem' in parsed ? parsed.problem : `accepted as ${JSON.stringify(parsed)}`).toContain(expected);
  });
});
