/** How dates, answers and commands are written in cs's output. */
import { realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { daysBetween, formatDay, isCalendarDay } from '../engine/dates.js';
import type { ActionItem, AnswerValue } from '../playbook/types.js';

/** One action item on a line: "☐ Send the export — Lan, by 2026-12-15". */
export function actionLine(item: ActionItem): string {
  const by = [item.who, item.due ? `by ${item.due}` : ''].filter(Boolean).join(', ');
  return `${item.done ? '☑' : '☐'} ${item.what}${by ? ` — ${by}` : ''}`;
}

/**
 * "due Tue 2026-12-01 (in 5 days)", "(today)", "(3 days overdue)"; a due date that waits on its
 * anchor ('') is "due 2bd after …" when `waiting` says what it waits on.
 */
export function describeDue(due: string, now: string, waiting?: string): string {
  if (due === '') return waiting ? `due ${waiting}` : 'due once what it counts from is known';
  if (!isCalendarDay(due)) return `due ${due} (not a date: written by an older cs)`;
  const days = daysBetween(now, due);
  const day = formatDay(due);
  if (days === 0) return `due ${day} (today)`;
  if (days > 0) return `due ${day} (in ${days} day${days === 1 ? '' : 's'})`;
  return `due ${day} (${-days} day${days === -1 ? '' : 's'} overdue)`;
}

export function formatAnswer(value: AnswerValue | undefined): string {
  if (value === undefined) return '—';
  if (Array.isArray(value)) {
    return value.map((item) => (typeof item === 'string' ? item : actionLine(item))).join(typeof value[0] === 'object' ? '\n' : ', ');
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
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
