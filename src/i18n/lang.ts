/**
 * Which language cs speaks (PRODUCT.md, "Languages"): CS_LANG, else the POSIX locale variables in
 * their order of precedence (LC_ALL, LC_MESSAGES, LANG); `vi_VN.UTF-8`, `vi` or `vi-VN` is
 * Vietnamese, anything else English.
 */
import { inputError } from '../errors.js';
import { tIn, uiLang as uiLangOrEnglish } from './messages.js';

export const LANGS = ['en', 'vi'] as const;
export type Lang = (typeof LANGS)[number];

/** Each language by its own name, for messages. */
export const LANG_NAMES: Record<Lang, string> = { en: 'English', vi: 'tiếng Việt' };

/** The language a locale name or a --lang value means, or undefined when cs does not speak it. */
export function langOf(value: string | undefined): Lang | undefined {
  const base = /^([a-zA-Z]{2,3})(?:[-_.@]|$)/.exec((value ?? '').trim())?.[1]?.toLowerCase();
  return (LANGS as readonly string[]).includes(base ?? '') ? (base as Lang) : undefined;
}

/** A --lang value (vi, vi_VN, en…) as a language, or an exit-2 error listing the languages. */
export function parseLangOption(value: string, what: string): Lang {
  const lang = langOf(value);
  if (lang && /^[a-zA-Z]{2}(?:[-_][a-zA-Z]{2})?(?:\.[\w-]+)?$/.test(value.trim())) return lang;
  throw inputError(tIn(uiLangOrEnglish(), 'lang.unknown', { what, langs: LANGS.join(', '), value }));
}

/** The interface's language for this environment. An empty variable counts as unset, as POSIX says. */
export function detectLang(env: NodeJS.ProcessEnv = process.env): Lang {
  for (const name of ['CS_LANG', 'LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    // the first variable set decides, as in C programs: LC_ALL=C is English even with LANG=vi_VN
    return langOf(value) ?? 'en';
  }
  return 'en';
}

/** The BCP 47 locale Intl is given for a language. */
export function localeOf(lang: Lang): string {
  return lang === 'vi' ? 'vi-VN' : 'en-GB';
}

/**
 * The account field holding an account's language (the CSV column `lang`, `cs accounts set --lang`):
 * kept with the account's other fields, so templates see it as account.lang.
 */
export const ACCOUNT_LANG = 'lang';

/** The language an account's documents are written in, when it has one. */
export function accountLang(account: { fields: Record<string, string> }): Lang | undefined {
  return langOf(account.fields[ACCOUNT_LANG]);
}
