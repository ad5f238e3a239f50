/**
 * t(): the one way cs says something. The catalogue of the interface's language is chosen once, as
 * a command starts (useLang); English is built in, Vietnamese read from its own file only then.
 */
import { en } from './en.js';
import type { Catalogue, Message, MessageKey } from './en.js';
import type { Lang } from './lang.js';
import { groupDigits } from './formats.js';
import { localeOf } from './lang.js';

export type { MessageKey } from './en.js';
export type Params = Record<string, string | number>;

let current: { lang: Lang; catalogue: Catalogue } = { lang: 'en', catalogue: en };
const loaded = new Map<Lang, Catalogue>([['en', en]]);
const pluralRules = new Map<Lang, Intl.PluralRules>();

/** The catalogue of a language, loaded on first use (Vietnamese is a file of its own). */
export async function catalogueOf(lang: Lang): Promise<Catalogue> {
  let catalogue = loaded.get(lang);
  if (!catalogue) {
    catalogue = (await import('./vi.js')).vi;
    loaded.set(lang, catalogue);
  }
  return catalogue;
}

/** Makes `lang` the interface's language for the rest of the process. */
export async function useLang(lang: Lang): Promise<void> {
  current = { lang, catalogue: await catalogueOf(lang) };
}

/** The interface's language. */
export function uiLang(): Lang {
  return current.lang;
}

function pluralForm(lang: Lang, count: number): 'one' | 'other' {
  // English's rule (CLDR: one is 1 or -1, with no fraction digits), without the ~3 ms of a process's first PluralRules
  if (lang === 'en') return Math.abs(count) === 1 ? 'one' : 'other';
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(localeOf(lang))));
  return rules.select(count) === 'one' ? 'one' : 'other';
}

const countFormats = new Map<Lang, Intl.NumberFormat>();

/** A count as the language groups its digits: 10,000 in English, 10.000 in Vietnamese. */
function shownCount(lang: Lang, count: number): string {
  if (Math.abs(count) < 1000) return String(count);
  if (Number.isSafeInteger(count)) return groupDigits(count, lang === 'vi' ? '.' : ',');
  let format = countFormats.get(lang);
  if (!format) countFormats.set(lang, (format = new Intl.NumberFormat(localeOf(lang))));
  return format.format(count);
}

/**
 * Fills a message's {placeholders}; a placeholder with no value stays as written, so it is seen. A
 * numeric {count} (what a plural message counts) is written with the language's digit grouping.
 */
export function fill(message: Message, params: Params, lang: Lang): string {
  // a language with one form (Vietnamese) needs no plural rules
  const text = typeof message === 'string' ? message : (message.one !== undefined && pluralForm(lang, Number(params.count)) === 'one' && message.one) || message.other;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!Object.hasOwn(params, name)) return whole;
    const value = params[name]!;
    return name === 'count' && typeof value === 'number' ? shownCount(lang, value) : String(value);
  });
}

/** A sentence in the interface's language. */
export function t(key: MessageKey, params: Params = {}): string {
  return fill(current.catalogue[key] ?? en[key], params, current.lang);
}

/** A sentence in a loaded language (documents speak the account's): useLang or catalogueOf first. */
export function tIn(lang: Lang, key: MessageKey, params: Params = {}): string {
  return fill((loaded.get(lang) ?? en)[key] ?? en[key], params, lang);
}

/**
 * A sentence not yet said: its key and values. Domain code (src/engine, src/playbook, src/render,
 * src/store…) hands these up instead of text; the CLI and the ui say them in the interface's
 * language (say). A value may itself be a sentence not yet said.
 */
export interface Said {
  readonly key: MessageKey;
  readonly params?: SaidParams;
}
/** A list of sentences is said joined by '; '. */
export type SaidParams = Record<string, string | number | Said | readonly Said[]>;

export function said(key: MessageKey, params?: SaidParams): Said {
  return params === undefined ? { key } : { key, params };
}

export function isSaid(value: unknown): value is Said {
  return typeof value === 'object' && value !== null && typeof (value as Said).key === 'string';
}

function flatParams(params: SaidParams | undefined, lang: Lang): Params {
  const flat: Params = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    flat[name] = Array.isArray(value) ? value.map((each: Said) => sayIn(lang, each)).join('; ') : isSaid(value) ? sayIn(lang, value) : (value as string | number);
  }
  return flat;
}

/** A sentence in the interface's language; a text already said stays as it is. */
export function say(text: string | Said): string {
  return typeof text === 'string' ? text : t(text.key, flatParams(text.params, current.lang));
}

/** A sentence in a loaded language (see tIn). */
export function sayIn(lang: Lang, text: string | Said): string {
  return typeof text === 'string' ? text : tIn(lang, text.key, flatParams(text.params, lang));
}
