/** `cs agenda [--days N] [--owner NAME] [--account NAME] [--json]`: what is due or overdue, across all accounts. */
import { inputError } from '../../errors.js';
import { agendaDays } from '../../engine/agenda.js';
import type { AgendaDay } from '../../engine/agenda.js';
import { addOffset, daysBetween, today } from '../../engine/dates.js';
import { t } from '../../i18n/messages.js';
import { shownDay } from '../format.js';
import { cleanOwner } from '../../engine/names.js';
import { directory } from '../../people/acting.js';
import { ownerLabel, ownerQueryKeys } from '../../people/person.js';
import type { AgendaEntry, AgendaQuery } from '../../store/store.js';
import type { Style } from '../../ui/ui.js';
import { wrap } from '../../ui/layout.js';
import { table } from '../../ui/table.js';
import type { Context } from '../context.js';
import { requireAccount } from '../lookup.js';

export interface AgendaFlags {
  days?: string;
  owner?: string;
  account?: string;
  json?: boolean;
  ics?: string;
  force?: boolean;
}

export const DEFAULT_DAYS = 7;
/** "Every open step", as a due-date bound. */
const LAST_DAY = '9999-12-31';

export function parseDays(value: string | undefined): number {
  if (value === undefined) return DEFAULT_DAYS;
  if (!/^\d{1,4}$/.test(value.trim())) throw inputError(t('agenda.daysInvalid', { value: JSON.stringify(value) }));
  return Number(value.trim());
}

/**
 * One line of `--json`: these keys, in this order, are the contract. Written by hand rather than
 * through an object per step: at 100,000 accounts that kept the peak memory of the command lower.
 */
function jsonLine(entry: AgendaEntry, daysOverdue: number): string {
  const text = JSON.stringify;
  return `{"account":${text(entry.account)},"runId":${entry.runId},"playbook":${text(entry.playbookId)},"stepId":${text(entry.stepId)},"step":${text(entry.step)},"phase":${text(entry.phase)},"due":${text(entry.due)},"daysOverdue":${daysOverdue},"owner":${text(entry.owner)}}`;
}

function window(days: number): string {
  return days === 0 ? t('agenda.today') : t('agenda.window', { count: days });
}

function dayHeading(day: AgendaDay<AgendaEntry>, now: string, style: Style): string {
  const date = shownDay(day.due);
  if (day.daysOverdue > 0) return style.bold(style.red(t('agenda.daysOverdue', { date, count: day.daysOverdue })));
  if (day.due === now) return style.bold(t('agenda.dueToday', { date }));
  return `${style.bold(date)} ${style.dim(t('agenda.dueIn', { count: daysBetween(now, day.due) }))}`;
}

export async function agenda(context: Context, flags: AgendaFlags): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const days = parseDays(flags.days);
  if (flags.owner !== undefined) cleanOwner(flags.owner); // an empty or invisible --owner is a mistake, not a filter
  if (flags.ics !== undefined && flags.json) throw inputError('--ics and --json cannot be used together');
  const now = today(context.env);
  const store = context.readStore();
  const account = flags.account === undefined ? undefined : requireAccount(store, flags.account);
  // "lan", "Nguyễn Thị Lan" or lan@…: whichever is typed finds the person's runs however they were stored
  const people = directory(context.env);
  const owner = flags.owner === undefined ? undefined : ownerQueryKeys(flags.owner, people);
  // a calendar holds the whole plan, unless --days narrows it
  const until = flags.ics !== undefined && flags.days === undefined ? LAST_DAY : addOffset(now, `${days}d`);
  const query: AgendaQuery = { until, owner, accountId: account?.id };
  if (flags.ics !== undefined) {
    await (await import('./agenda-ics.js')).exportIcs(context, store, query, flags.ics, flags.force);
    return;
  }
  const unreadable: AgendaEntry[] = [];
  const grouped = agendaDays(store.agenda(query), now, (entry) => unreadable.push(entry));
  const warnUnreadable = () => {
    if (unreadable.length === 0) return;
    const runs = [...new Set(unreadable.map((entry) => `${entry.account} (run #${entry.runId}, due ${entry.due})`))];
    ui.err(style.yellow(t('agenda.unreadable', { count: unreadable.length, runs: runs.join(', ') })));
  };

  if (flags.json) {
    // Written a day at a time, one step a line: 100,000 steps never sit in memory as one string.
    // Each line waits for the next one, which decides whether it ends with a comma.
    let pending: string | undefined;
    for (const day of grouped) {
      let chunk = '';
      for (const entry of day.items) {
        if (pending === undefined) ui.out('[');
        else chunk += chunk === '' ? `${pending},` : `\n${pending},`;
        pending = `  ${jsonLine(entry, day.daysOverdue)}`;
      }
      if (chunk !== '') ui.out(chunk);
    }
    ui.out(pending === undefined ? '[]' : `${pending}\n]`);
    warnUnreadable();
    return;
  }

  const rows: string[][] = [];
  const headings = new Map<number, string>();
  let overdue = 0;
  for (const day of grouped) {
    headings.set(rows.length, dayHeading(day, now, style));
    if (day.daysOverdue > 0) overdue += day.items.length;
    for (const entry of day.items) {
      rows.push([entry.account, entry.playbookTitle, day.daysOverdue > 0 ? style.red(entry.step) : entry.step, ownerLabel(entry.owner, people) ?? style.dim('—')]);
    }
  }
  const scope = `${flags.owner === undefined ? '' : t('agenda.forOwner', { owner: flags.owner.trim() })}${account ? t('agenda.forAccount', { account: account.name }) : ''}`;
  if (rows.length === 0) {
    ui.out(t('agenda.nothing', { window: window(days), scope }));
    warnUnreadable();
    return;
  }
  const lines = await table(rows, { width: ui.columns, indent: '  ' });
  lines.forEach((line, index) => {
    const heading = headings.get(index);
    if (heading !== undefined) {
      if (index > 0) ui.out();
      ui.out(heading);
    }
    ui.out(line);
  });
  ui.out();
  const soon = rows.length - overdue;
  const parts = [overdue > 0 ? style.red(t('agenda.overdueCount', { count: overdue })) : '', soon > 0 ? t('agenda.dueCount', { count: soon, window: window(days) }) : ''].filter(Boolean);
  ui.out(await wrap(style.dim(t('agenda.steps', { count: rows.length, scope })) + parts.join(style.dim(', ')), ui.columns));
  warnUnreadable();
}
