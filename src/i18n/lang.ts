/**
 * Which language cs speaks (PRODUCT.md, "Languages"): CS_LANG, else the POSIX locale variables in
 * their order of precedence (LC_ALL, LC_MESSAGES, LANG); `vi_VN.UTF-8`, `vi` or `vi-VN` is
 * Vietnamese, anything else English.
 */
export const LANGS = ['en', 'vi'] as const;
export type Lang = (typeof LANGS)[number];

/** The language a locale name or a --lang value means, or undefined when cs does not speak it. */
export function langOf(value: string | undefined): Lang | undefined {
  const base = /^([a-zA-Z]{2,3})(?:[-_.@]|$)/.exec((value ?? '').trim())?.[1]?.toLowerCase();
  return (LANGS as readonly string[]).includes(base ?? '') ? (base as Lang) : undefined;
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
