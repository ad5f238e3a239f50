/** `cs agenda [--days N] [--owner NAME] [--account NAME] [--json]`: what is due or overdue, across all accounts. */
import { inputError } from '../../errors.js';
import { agendaDays } from '../../engine/agenda.js';
import type { AgendaDay } from '../../engine/agenda.js';
import { addOffset, daysBetween, formatDay, today } from '../../engine/dates.js';
import { cleanOwner } from '../../engine/names.js';
import { plural } from '../../engine/words.js';
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
}

export const DEFAULT_DAYS = 7;

export function parseDays(value: string | undefined): number {
  if (value === undefined) return DEFAULT_DAYS;
  if (!/^\d{1,4}$/.test(value.trim())) throw inputError(`--days must be a whole number of days from 0 to 9999; got ${JSON.stringify(value)}`);
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
  return days === 0 ? 'today' : `in the next ${plural(days, 'day')}`;
}

function dayHeading(day: AgendaDay<AgendaEntry>, now: string, style: Style): string {
  const date = formatDay(day.due);
  if (day.daysOverdue > 0) return style.bold(style.red(`${date} · ${plural(day.daysOverdue, 'day')} overdue`));
  if (day.due === now) return style.bold(`${date} · today`);
  return `${style.bold(date)} ${style.dim(`· in ${plural(daysBetween(now, day.due), 'day')}`)}`;
}

export async function agenda(context: Context, flags: AgendaFlags): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const days = parseDays(flags.days);
  if (flags.owner !== undefined) cleanOwner(flags.owner); // an empty or invisible --owner is a mistake, not a filter
  const now = today(context.env);
  const store = context.readStore();
  const account = flags.account === undefined ? undefined : await requireAccount(store, flags.account);
  // "lan", "Nguyễn Thị Lan" or lan@…: whichever is typed finds the person's runs however they were stored
  const people = directory(context.env);
  const owner = flags.owner === undefined ? undefined : ownerQueryKeys(flags.owner, people);
  const query: AgendaQuery = { until: addOffset(now, `${days}d`), owner, accountId: account?.id };
  const unreadable: AgendaEntry[] = [];
  const grouped = agendaDays(await store.agenda(query), now, (entry) => unreadable.push(entry));
  const warnUnreadable = () => {
    if (unreadable.length === 0) return;
    const runs = [...new Set(unreadable.map((entry) => `${entry.account} (run #${entry.runId}, due ${entry.due})`))];
    ui.err(style.yellow(`warning: left out ${plural(unreadable.length, 'step')} whose due date is not a date, written by an older cs from a start date outside 1900–2999: ${runs.join(', ')}`));
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
  const scope = `${flags.owner === undefined ? '' : ` for ${flags.owner.trim()}`}${account ? ` for ${account.name}` : ''}`;
  if (rows.length === 0) {
    ui.out(`Nothing is overdue or due ${window(days)}${scope}.`);
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
  const parts = [overdue > 0 ? style.red(`${overdue} overdue`) : '', soon > 0 ? `${soon} due ${window(days)}` : ''].filter(Boolean);
  ui.out(await wrap(style.dim(`${plural(rows.length, 'step')}${scope}: `) + parts.join(style.dim(', ')), ui.columns));
  warnUnreadable();
}
