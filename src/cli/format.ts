/** How dates, answers and commands are written in cs's output. */
import { realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { daysBetween, formatDay, isCalendarDay } from '../engine/dates.js';
import type { ActionItem, AnswerValue, FieldDef } from '../playbook/types.js';
import { choiceLabel } from '../playbook/choices.js';
import { formatDate, formatNumber, formatYesNo } from '../i18n/formats.js';
import type { Lang } from '../i18n/lang.js';
import { localeOf } from '../i18n/lang.js';
import { tIn, uiLang } from '../i18n/messages.js';

/** One action item on a line: "☐ Send the export — Lan, by Tue 2026-12-15". */
export function actionLine(item: ActionItem, lang: Lang = uiLang()): string {
  const by = item.who && item.due ? tIn(lang, 'action.whoBy', { who: item.who, date: shownDay(item.due, lang) }) : item.due ? tIn(lang, 'action.by', { date: shownDay(item.due, lang) }) : (item.who ?? '');
  return `${item.done ? '☑' : '☐'} ${item.what}${by ? ` — ${by}` : ''}`;
}

/** A day as the interface shows it, with its weekday: "Tue 2026-12-01"; vi "Thứ Ba, 01/12/2026". */
export function shownDay(date: string, lang: Lang = uiLang()): string {
  return isCalendarDay(date) ? formatDay(date, lang === 'en' ? 'en' : localeOf(lang)) : date;
}

/**
 * "due Tue 2026-12-01 (in 5 days)", "(today)", "(3 days overdue)"; vi "hạn Thứ Ba, 01/12/2026 (còn 5 ngày)".
 * A due date that waits on its anchor ('') is "due 2bd after …" when `waiting` says what it waits on.
 */
export function describeDue(due: string, now: string, lang: Lang = uiLang(), waiting?: string): string {
  if (due === '') return waiting ? tIn(lang, 'due.waiting', { waiting }) : tIn(lang, 'due.unknownYet');
  if (!isCalendarDay(due)) return tIn(lang, 'due.notADate', { date: due });
  const days = daysBetween(now, due);
  const date = shownDay(due, lang);
  if (days === 0) return tIn(lang, 'due.today', { date });
  if (days > 0) return tIn(lang, 'due.in', { date, count: days });
  return tIn(lang, 'due.overdue', { date, count: -days });
}

/** An answer as the interface shows it, in `lang`: dates, numbers, yes/no and choice labels. */
export function formatAnswer(value: AnswerValue | undefined, lang: Lang = uiLang(), field?: FieldDef): string {
  if (value === undefined) return '—';
  if (Array.isArray(value)) {
    if (value.some((item) => typeof item === 'object')) return (value as ActionItem[]).map((item) => actionLine(item, lang)).join('\n');
    return (value as string[]).map((choice) => (field ? choiceLabel(field, choice) : choice)).join(', ');
  }
  if (typeof value === 'boolean') return formatYesNo(value, lang);
  if (typeof value === 'number') return formatNumber(value, lang);
  if (field?.type === 'date') return formatDate(value, lang);
  return field ? choiceLabel(field, value) : value;
}

/**
 * An argument as a person would type it in a POSIX shell: in double quotes, unless the text holds
 * a character a shell expands inside them; then in single quotes.
 */
export function shellArgument(text: string): string {
  return /^[^"$`\\!]*$/.test(text) ? `"${text}"` : `'${text.replace(/'/g, "'\\''")}'`;
}

/** The folders npm puts in front of PATH for `npx`/`npm exec`: they are gone in the user's own shell. */
const NPM_ADDED_FOLDER = /(^|[\\/])node_modules[\\/]\.bin$|[\\/]node-gyp-bin$/;

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * What the user types to run this cs again: `cs`, unless cs was started by npx (`npm exec` sets
 * npm_command=exec) and no `cs` on the user's PATH is this very program; then `npx cs`, since
 * `cs resume …` would fail with "command not found".
 */
export function csCommand(env: NodeJS.ProcessEnv = process.env, script: string | undefined = process.argv[1]): string {
  if (env.npm_command !== 'exec' && env.npm_lifecycle_event !== 'npx') return 'cs';
  const self = script === undefined ? undefined : realpathOrUndefined(script);
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter((folder) => folder !== '' && !NPM_ADDED_FOLDER.test(folder))
    .some((folder) => {
      const found = realpathOrUndefined(join(folder, 'cs'));
      return found !== undefined && found === self;
    });
  return onPath ? 'cs' : 'npx cs';
}

export function resumeCommand(accountName: string, env: NodeJS.ProcessEnv): string {
  return `${csCommand(env)} resume ${shellArgument(accountName)}`;
}
