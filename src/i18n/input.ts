/**
 * Numbers and dates as a person types them, in their language. The rules (README, "Tiếng Việt"):
 *
 * - en: `1000`, `1,000`, `1,000.5`, `2.5`. A comma groups thousands (groups of three), a dot is the
 *   decimal mark. `1,5` is refused (write 1.5); `1.500` is refused as ambiguous (1.5 or 1500?).
 * - vi: `1000`, `1.000`, `1.000,5`, `2,5`. A dot groups thousands, a comma is the decimal mark.
 *   `1.5` is refused (write 1,5); `1,500` is refused as ambiguous (1,5 or 1.500?).
 * - Dates: every form of cs's one date parser (ISO `2027-01-08`, today, tomorrow, yesterday, +3d,
 *   -3d, +2w, +1m); vi also `08/01/2027` (and `8/1/2027`), day first, and hôm nay, ngày mai, hôm
 *   qua. In English a slashed date is refused as ambiguous (8 January or 1 August?) with both ISO
 *   spellings.
 *
 * Each parser returns the value, or a problem (a whole sentence, from the catalogue) naming an
 * example of what is meant.
 */
import { isIsoDate, readDate, today } from '../engine/dates.js';
import type { DateReading } from '../engine/dates.js';
import type { Lang } from './lang.js';
import { tIn } from './messages.js';

export type Parsed<T> = { value: T } | { problem: string };

const MARKS: Record<Lang, { group: string; decimal: string }> = { en: { group: ',', decimal: '.' }, vi: { group: '.', decimal: ',' } };

function escape(mark: string): string {
  return mark === '.' ? '\\.' : mark;
}

/** A number typed in `lang`, or why not (with an example of what was probably meant). */
export function parseNumberInput(input: string, lang: Lang): Parsed<number> {
  const text = input.trim();
  const { group, decimal } = MARKS[lang];
  const g = escape(group);
  const d = escape(decimal);
  const plain = new RegExp(`^-?\\d+(?:${d}\\d+)?$`);
  const grouped = new RegExp(`^-?\\d{1,3}(?:${g}\\d{3})+(?:${d}\\d+)?$`);
  const toNumber = (digits: string) => Number(digits.split(group).join('').replace(decimal, '.'));
  // one mark of the other language's decimal kind, followed by three digits: 1,500 in vi, 1.500 in en
  const otherGrouping = new RegExp(`^-?[1-9]\\d{0,2}${d}\\d{3}$`);
  if (otherGrouping.test(text)) {
    const [whole, fraction] = text.split(decimal) as [string, string];
    return {
      problem: tIn(lang, 'input.numberAmbiguous', {
        text,
        decimal: fraction.replace(/0+$/, '') === '' ? whole : `${whole}${decimal}${fraction.replace(/0+$/, '')}`,
        whole: `${whole}${group}${fraction}`,
      }),
    };
  }
  if (plain.test(text) || grouped.test(text)) return { value: toNumber(text) };
  // the other language's decimal mark where this one groups thousands: 1,5 in en, 1.5 in vi
  const otherDecimal = new RegExp(`^-?\\d+${g}\\d{1,2}$|^-?\\d+${g}\\d{4,}$`);
  if (otherDecimal.test(text)) return { problem: tIn(lang, 'input.numberCommaDecimal', { text, example: text.replace(group, decimal) }) };
  return { problem: tIn(lang, 'input.number', { text }) };
}

const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
/** The words for today, tomorrow and yesterday in a language, as the one date parser's own words. */
const WORDS: Record<Lang, Record<string, string>> = {
  en: {},
  vi: { 'hôm nay': 'today', 'ngày mai': 'tomorrow', 'hôm qua': 'yesterday' },
};

function iso(year: string, month: string, day: string): string {
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/**
 * A date typed in `lang`, read by cs's one date parser (readDate, src/engine/dates.ts) once the
 * language's own forms are turned into its forms: vi 08/01/2027 (day first) and hôm nay, ngày mai,
 * hôm qua. In English a slashed date is refused, with the ISO date (or both) it may mean.
 */
export function readDateIn(input: string, lang: Lang, today: string): DateReading {
  const text = input.trim().toLowerCase().normalize('NFC').replace(/\s+/g, ' ');
  const slashed = SLASHED.exec(text.replace(/ /g, ''));
  if (slashed) {
    const [, first, second, year] = slashed as unknown as [string, string, string, string];
    if (lang === 'vi') {
      const reading = readDate(iso(year, second, first), today);
      return reading.problem === undefined ? reading : { problem: tIn(lang, 'input.date', { text: input.trim() }) };
    }
    const readings = [...new Set([iso(year, second, first), iso(year, first, second)].filter(isIsoDate))];
    if (readings.length === 1) return { problem: tIn(lang, 'input.dateIso', { text: input.trim(), example: readings[0]! }) };
    if (readings.length === 2) return { problem: tIn(lang, 'input.dateAmbiguous', { text: input.trim(), first: readings[0]!, second: readings[1]! }) };
  }
  const reading = readDate(WORDS[lang][text] ?? text, today);
  // the parser says why in English; another language says it in its own words, with its forms
  return reading.problem !== undefined && lang !== 'en' ? { problem: tIn(lang, 'input.date', { text: input.trim() }) } : reading;
}

/** readDateIn with today taken from the environment (CS_TODAY pins it). */
export function parseDateInput(input: string, lang: Lang, env: NodeJS.ProcessEnv = process.env): Parsed<string> {
  const reading = readDateIn(input, lang, today(env));
  return reading.problem !== undefined ? { problem: reading.problem } : { value: reading.date };
}
