/**
 * Calendar dates as ISO strings (YYYY-MM-DD). A due date is a day, not an instant, so all arithmetic
 * is done on UTC midnights and never touches the local time zone except to learn what "today" is.
 *
 * The one date parser of cs (readDate): flags (--start), prompts, answers files and CSV all accept
 * the same forms, listed in DATE_FORMS, and refuse the same way: a date that does not exist, or
 * one outside 1900–2999 (a typo such as 0026-11-20 or 9999-12-31, never a customer's date).
 */
import { inputError } from '../errors.js';
import { formatLongDate } from '../i18n/formats.js';
import { localeOf } from '../i18n/lang.js';
import { said, say } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DUE_OFFSET = /^(\d{1,4})([dwm])$/;
const RELATIVE = /^([+-])(\d{1,4})([dwm])$/;
const WORDS: Record<string, number> = { today: 0, tomorrow: 1, yesterday: -1 };

export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2999;
/** Every form readDate accepts, as the prompt hint, --help, errors and the README list them. */
export const DATE_FORMS = 'YYYY-MM-DD, today, tomorrow, yesterday, +3d, -3d, +2w, +1m';

const MONTHS = ['dates.month.1', 'dates.month.2', 'dates.month.3', 'dates.month.4', 'dates.month.5', 'dates.month.6', 'dates.month.7', 'dates.month.8', 'dates.month.9', 'dates.month.10', 'dates.month.11', 'dates.month.12'] as const;

function parts(date: string): [number, number, number] | undefined {
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return [year, month, day];
}

function daysInMonth(year: number, month: number): number {
  const date = new Date(Date.UTC(2000, month, 0));
  date.setUTCFullYear(year, month, 0); // Date.UTC reads years 0–99 as 1900–1999
  return date.getUTCDate();
}

function utc(year: number, monthIndex: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

function toIso(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function inRange(year: number): boolean {
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

/** True for a real calendar date written YYYY-MM-DD, in any four-digit year (a due date may pass 2999). */
export function isCalendarDay(value: string): boolean {
  return parts(value) !== undefined;
}

/** True for a real calendar date written YYYY-MM-DD in 1900–2999 (2026-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  const day = parts(value);
  return day !== undefined && inRange(day[0]);
}

/** Why an ISO-looking `value` is not a date cs accepts (it does not exist, or is out of range). */
function isoProblem(value: string): Said | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return said('dates.noMonth', { value, month });
  if (day < 1 || day > daysInMonth(year, month)) return said('dates.noDay', { value, month: said(MONTHS[month - 1]!), year, days: daysInMonth(year, month) });
  if (!inRange(year)) {
    const range = { value, first: FIRST_YEAR, last: LAST_YEAR };
    return year < 100 ? said('dates.outsideGuess', { ...range, guess: `${2000 + year}${value.slice(4)}` }) : said('dates.outside', range);
  }
  return undefined;
}

export type DateReading = { date: string; problem?: undefined } | { date?: undefined; problem: string };

/**
 * The date a person means by `input`: YYYY-MM-DD, or (given `today`) today, tomorrow, yesterday,
 * or a signed number of days, weeks or months from today. Any case, any spacing (" Tomorrow ",
 * "+ 3 d"). The result is always a real date in 1900–2999; anything else is a problem saying why.
 */
export function readDate(input: string, today?: string): DateReading {
  const reading = readDateSaid(input, today);
  return reading.problem === undefined ? reading : { problem: say(reading.problem) };
}

/** readDate with its problem not yet said (an error says it in the interface's language). */
function readDateSaid(input: string, today?: string): { date: string; problem?: undefined } | { date?: undefined; problem: Said } {
  const typed = input.trim().toLowerCase().replace(/\s+/g, '');
  const iso = isoProblem(typed);
  if (iso) return { problem: iso };
  if (parts(typed)) return { date: typed };
  let date: string | undefined;
  if (today !== undefined && Object.hasOwn(WORDS, typed)) date = shift(today, WORDS[typed]!, 'd');
  const relative = RELATIVE.exec(typed);
  if (today !== undefined && relative) date = shift(today, Number(`${relative[1]}${relative[2]}`), relative[3] as 'd' | 'w' | 'm');
  if (date === undefined) return { problem: said('dates.expected', { forms: DATE_FORMS, value: JSON.stringify(input.trim()) }) };
  if (!isIsoDate(date)) return { problem: said('dates.relativeOutside', { input: input.trim(), date, first: FIRST_YEAR, last: LAST_YEAR }) };
  return { date };
}

/** readDate for a flag or an environment variable: the date, or an exit-2 error naming `what`. */
export function parseDate(input: string, what: string, today?: string): string {
  const reading = readDateSaid(input, today);
  if (reading.problem !== undefined) throw inputError(said('dates.badValue', { what, problem: reading.problem }), { hint: said('dates.formsHint', { forms: DATE_FORMS }) });
  return reading.date;
}

/** The local calendar day of an instant (the user's time zone, not UTC). */
export function localDay(now: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Today's date where the user is. CS_TODAY pins it (tests, or reviewing "as of" a day); a CS_TODAY
 * that is not a date is an error, never silently ignored.
 */
export function today(env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): string {
  const pinned = env.CS_TODAY;
  if (pinned === undefined || pinned === '') return localDay(now);
  const problem = isoProblem(pinned.trim()) ?? (parts(pinned.trim()) ? undefined : said('dates.todayExpected', { value: JSON.stringify(pinned) }));
  if (problem) throw inputError(said('dates.badValue', { what: 'CS_TODAY', problem }), { hint: said('dates.todayHint') });
  return pinned.trim();
}

/**
 * When a run finished, as stored: the local day (today(), so CS_TODAY pins it too) and the local
 * time with its offset from UTC, e.g. 2026-11-26T19:05:00-10:00. Its first ten characters are the
 * day the user saw it finish, in any time zone.
 */
export function localTimestamp(day: string, now: Date = new Date()): string {
  const pad = (value: number) => String(Math.abs(value)).padStart(2, '0');
  const offset = -now.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return `${day}T${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}${zone}`;
}

/** The day of a stored timestamp: its local day as written, or (an older UTC `…Z` one) the local day of that instant. */
export function dayOf(timestamp: string): string {
  return timestamp.endsWith('Z') ? localDay(new Date(timestamp)) : timestamp.slice(0, 10);
}

function shift(date: string, amount: number, unit: 'd' | 'w' | 'm'): string {
  const [year, month, day] = parts(date)!;
  if (unit === 'd') return toIso(utc(year, month - 1, day + amount));
  if (unit === 'w') return toIso(utc(year, month - 1, day + amount * 7));
  const monthIndex = month - 1 + amount;
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = (((monthIndex % 12) + 12) % 12) + 1;
  return toIso(utc(targetYear, targetMonth - 1, Math.min(day, daysInMonth(targetYear, targetMonth))));
}

/**
 * day 0 + an offset of the playbook format: `Nd` days, `Nw` weeks, `Nm` calendar months. A month
 * step that lands past the end of the month stays on its last day (Jan 31 + 1m = Feb 28 or 29).
 */
export function addOffset(date: string, offset: string): string {
  const match = DUE_OFFSET.exec(offset);
  if (!parts(date) || !match) throw new Error(`addOffset(${date}, ${offset}): invalid arguments`);
  return shift(date, Number(match[1]), match[2] as 'd' | 'w' | 'm');
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  const a = parts(from);
  const b = parts(to);
  if (!a || !b) throw new Error(`daysBetween(${from}, ${to}): invalid dates`);
  return Math.round((utc(b[0], b[1] - 1, b[2]) - utc(a[0], a[1] - 1, a[2])) / 86_400_000);
}

const ENGLISH_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * A date as cs shows it to a person, always with its weekday: "Fri 2027-01-08" in English;
 * "Thứ Sáu, 08/01/2027" in Vietnamese. Both weekdays come from a table (src/i18n/formats.ts for
 * Vietnamese): the first Intl.DateTimeFormat of a process costs ~15 ms, paid by every command
 * showing a date.
 * JSON output keeps the plain ISO date.
 */
export function formatDay(date: string, locale = 'en'): string {
  const day = parts(date);
  if (!day) return date;
  const time = utc(day[0], day[1] - 1, day[2]);
  if (locale === 'en') return `${ENGLISH_WEEKDAYS[new Date(time).getUTCDay()]} ${date}`;
  if (locale === localeOf('vi')) return formatLongDate(date, 'vi');
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
    formats.set(locale, format);
  }
  return format.format(new Date(time));
}

/** How a CSV column writes its dates: ISO, or day and month in one of the two orders. */
export const DATE_FORMATS = ['yyyy-mm-dd', 'dd/mm/yyyy', 'mm/dd/yyyy'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const DAY_MONTH_YEAR = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
// What spreadsheets and CRMs put after the day: "10:32", "T10:32:00Z", ", 10:32 AM".
const TIME_OF_DAY = /(?:,?\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?(?:\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT))?$/;

/** The two numbers before the year of a date written with slashes (or dots, or dashes): 20/11/2026 → [20, 11]. */
export function dayMonthParts(value: string): [number, number] | undefined {
  const match = DAY_MONTH_YEAR.exec(value.trim().replace(TIME_OF_DAY, ''));
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * A date from a spreadsheet cell as YYYY-MM-DD, or undefined when it is no real date in `format`.
 * A time of day after the date is ignored (CRMs export "2026-11-20 10:32"). Slashes, dots and
 * dashes are read alike in the day/month forms; the year has four digits.
 */
export function readCellDate(value: string, format: DateFormat): string | undefined {
  const day = value.trim().replace(TIME_OF_DAY, '');
  if (format === 'yyyy-mm-dd' || ISO_DATE.test(day)) return isIsoDate(day) ? day : undefined;
  const match = DAY_MONTH_YEAR.exec(day);
  if (!match) return undefined;
  const [first, second, year] = [match[1]!.padStart(2, '0'), match[2]!.padStart(2, '0'), match[3]!];
  const iso = format === 'dd/mm/yyyy' ? `${year}-${second}-${first}` : `${year}-${first}-${second}`;
  return isIsoDate(iso) ? iso : undefined;
}
