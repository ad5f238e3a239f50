/**
 * Dates, numbers and yes/no as a language writes them, for the interface and for documents
 * (Intl, with the full ICU Node ships): vi `Thứ Sáu, 08/01/2027`, `1.000,5`, `1.000.000 ₫`, `Có`;
 * English keeps ISO dates (2027-01-08) and plain numbers, as cs always printed them.
 */
import type { Lang } from './lang.js';
import { localeOf } from './lang.js';

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let found = formatters.get(key) as T | undefined;
  if (!found) formatters.set(key, (found = make()));
  return found;
}

function utcDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Vietnamese weekdays from Sunday, as ICU writes them for vi-VN (test/unit/formats.test.ts holds
 * them to it). A table, not Intl: a process's first Intl.DateTimeFormat in Vietnamese costs 10-15 ms
 * (ICU loads the locale's data), paid by every command that shows a date, as cs status does.
 */
const VI_WEEKDAYS = ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'] as const;

/** A calendar day: vi 08/01/2027, en 2027-01-08 (as stored). */
export function formatDate(iso: string, lang: Lang): string {
  const day = ISO_DAY.exec(iso);
  if (lang === 'en' || !day) return iso;
  return `${day[3]}/${day[2]}/${day[1]}`;
}

/** The day of the week: Thứ Sáu, Friday. */
export function formatWeekday(iso: string, lang: Lang, width: 'long' | 'short' = 'long'): string {
  if (lang === 'vi' && width === 'long' && ISO_DAY.test(iso)) return VI_WEEKDAYS[utcDate(iso).getUTCDay()]!;
  return cached(`w:${lang}:${width}`, () => new Intl.DateTimeFormat(localeOf(lang), { weekday: width, timeZone: 'UTC' })).format(utcDate(iso));
}

/** A date with its weekday, as a letter says it: vi `Thứ Sáu, 08/01/2027`, en `Friday, 8 January 2027`. */
export function formatLongDate(iso: string, lang: Lang): string {
  if (lang === 'vi' && ISO_DAY.test(iso)) return `${formatWeekday(iso, lang)}, ${formatDate(iso, lang)}`;
  const options: Intl.DateTimeFormatOptions =
    lang === 'vi' ? { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' } : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };
  return cached(`l:${lang}`, () => new Intl.DateTimeFormat(localeOf(lang), options)).format(utcDate(iso));
}

/**
 * A whole number with its digits grouped by `separator` (10,000 or 10.000), as ICU groups them for
 * en-GB and vi-VN; without Intl, whose first NumberFormat of a process costs ~10 ms.
 */
export function groupDigits(value: number, separator: string): string {
  const digits = String(Math.abs(value));
  return `${value < 0 ? '-' : ''}${digits.replace(/\B(?=(\d{3})+$)/g, separator)}`;
}

/** A number: vi 1.000,5; en as given (1000.5), the way cs has always printed answers. */
export function formatNumber(value: number, lang: Lang): string {
  if (lang === 'en') return String(value);
  if (Number.isSafeInteger(value)) return groupDigits(value, '.');
  return cached(`n:${lang}`, () => new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: 20 })).format(value);
}

/** A figure with at most one decimal, as the report gives medians of days: vi 2,5; en 2.5. */
export function formatTenths(value: number, lang: Lang): string {
  return formatNumber(Math.round(value * 10) / 10, lang);
}

/** A share (0..1) as a whole percentage: 50%. */
export function formatPercent(rate: number, lang: Lang): string {
  return cached(`p:${lang}`, () => new Intl.NumberFormat(localeOf(lang), { style: 'percent', maximumFractionDigits: 0 })).format(rate);
}

/** An amount of đồng: 1.000.000 ₫. */
export function formatVnd(value: number, lang: Lang): string {
  return cached(`vnd:${lang}`, () => new Intl.NumberFormat(localeOf(lang), { style: 'currency', currency: 'VND' })).format(value);
}

const YES_NO: Record<Lang, [string, string]> = { en: ['yes', 'no'], vi: ['Có', 'Không'] };

/** yes/no: vi Có/Không. */
export function formatYesNo(value: boolean, lang: Lang): string {
  return YES_NO[lang][value ? 0 : 1];
}
