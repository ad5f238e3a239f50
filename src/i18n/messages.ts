/**
 * t(): the one way cs says something. The catalogue of the interface's language is chosen once, as
 * a command starts (useLang); English is built in, Vietnamese read from its own file only then.
 */
import { en } from './en.js';
import type { Catalogue, Message, MessageKey } from './en.js';
import type { Lang } from './lang.js';
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
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(localeOf(lang))));
  return rules.select(count) === 'one' ? 'one' : 'other';
}

/** Fills a message's {placeholders}; a placeholder with no value stays as written, so it is seen. */
export function fill(message: Message, params: Params, lang: Lang): string {
  const text = typeof message === 'string' ? message : (pluralForm(lang, Number(params.count)) === 'one' && message.one) || message.other;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/** A sentence in the interface's language. */
export function t(key: MessageKey, params: Params = {}): string {
  return fill(current.catalogue[key] ?? en[key], params, current.lang);
}

/** A sentence in a loaded language (documents speak the account's): useLang or catalogueOf first. */
export function tIn(lang: Lang, key: MessageKey, params: Params = {}): string {
  return fill((loaded.get(lang) ?? en)[key] ?? en[key], params, lang);
}
