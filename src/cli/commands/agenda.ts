/** `cs agenda [--days N] [--owner NAME] [--account NAME] [--json]`: what is due or overdue, across all accounts. */
import { inputError } from '../../errors.js';
import { agendaDays, summariseAgenda } from '../../engine/agenda.js';
import type { AccountLine, AgendaDay } from '../../engine/agenda.js';
import { addOffset, daysBetween, today } from '../../engine/dates.js';
import { t } from '../../i18n/messages.js';
import type { MessageKey } from '../../i18n/messages.js';
import { shownDay } from '../format.js';
import { cleanOwner } from '../../engine/names.js';
import { identityKeys, ownerLabeller, ownerQueryKeys } from '../../people/person.js';
import type { Directory } from '../../people/person.js';
import { peopleOf } from '../team.js';
import { agendaByPerson } from './agenda-team.js';
import type { ActionEntry, AgendaEntry, AgendaQuery } from '../../store/store.js';
import type { Style } from '../../ui/ui.js';
import { wrap } from '../../ui/layout.js';
import { table } from '../../ui/table.js';
import type { Context } from '../context.js';
import { requireAccount } from '../lookup.js';
import { titlesInUserLanguage } from '../titles.js';
import { writeJsonLines } from '../json-array.js';

export interface AgendaFlags {
  days?: string;
  owner?: string;
  account?: string;
  /** Everyone's steps, grouped by person (default: the acting user's, when cs knows who that is). */
  team?: boolean;
  json?: boolean;
  ics?: string;
  force?: boolean;
  /** Every step, even when the agenda is longer than the terminal. */
  all?: boolean;
  /** At most this many lines: steps, or accounts in the summary (and entries of --json). */
  limit?: string;
}

export const DEFAULT_DAYS = 7;
/** "Every open step", as a due-date bound. */
const LAST_DAY = '9999-12-31';

export function parseDays(value: string | undefined): number {
  if (value === undefined) return DEFAULT_DAYS;
  if (!/^\d{1,4}$/.test(value.trim())) throw inputError(t('agenda.daysInvalid', { value: JSON.stringify(value) }));
  return Number(value.trim());
}

export function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,7}$/.test(value.trim()) || Number(value) === 0) throw inputError(t('agenda.limitInvalid', { value: JSON.stringify(value) }));
  return Number(value.trim());
}

/**
 * One line of `--json`: these keys, in this order, are the contract. Written by hand rather than
 * through an object per step: at 100,000 accounts that kept the peak memory of the command lower.
 */
function jsonLine(entry: AgendaRow, daysOverdue: number): string {
  const text = JSON.stringify;
  const action = entry.action ? `,"action":{"n":${entry.action.n},"what":${text(entry.action.what)},"who":${text(entry.action.who)}}` : '';
  return `{"account":${text(entry.account)},"runId":${entry.runId},"playbook":${text(entry.playbookId)},"stepId":${text(entry.stepId)},"step":${text(entry.step)},"phase":${text(entry.phase)},"due":${text(entry.due)},"daysOverdue":${daysOverdue},"owner":${text(entry.owner)}${action}}`;
}

/** A step, or an open action item with a due date (`action` set), as the agenda lists it. */
type AgendaRow = AgendaEntry & { action?: { n: number; what: string; who: string | null } };

function actionRow(item: ActionEntry): AgendaRow {
  return {
    due: item.due!,
    account: item.account,
    runId: item.runId,
    playbookId: item.playbookId,
    playbookTitle: item.playbookTitle,
    stepId: item.stepId,
    step: `☐ ${item.what} (${item.step})`,
    phase: item.phase,
    position: item.position,
    owner: item.who ?? item.owner,
    action: { n: item.n, what: item.what, who: item.who },
  };
}

/** Steps and action items in one stream, soonest first (each source comes ordered by due date). */
function* merged(steps: Iterable<AgendaEntry>, actions: readonly ActionEntry[]): Generator<AgendaRow> {
  let next = 0;
  for (const step of steps) {
    while (next < actions.length && actions[next]!.due! <= step.due) yield actionRow(actions[next++]!);
    yield step;
  }
  while (next < actions.length) yield actionRow(actions[next++]!);
}

function window(days: number): string {
  return days === 0 ? t('agenda.today') : t('agenda.window', { count: days });
}

/** "3 steps and 1 action item for Lan: " — what the totals count, steps and action items apart. */
function counted(steps: number, actions: number, scope: string): string {
  if (actions === 0) return t('agenda.steps', { count: steps, scope });
  if (steps === 0) return t('agenda.actionsOnly', { count: actions, scope });
  return t('agenda.stepsAndActions', { steps: t('agenda.stepCount', { count: steps }), actions: t('agenda.actionCount', { count: actions }), scope });
}

function dayHeading(day: AgendaDay<AgendaRow>, now: string, style: Style): string {
  const date = shownDay(day.due);
  if (day.daysOverdue > 0) return style.bold(style.red(t('agenda.daysOverdue', { date, count: day.daysOverdue })));
  if (day.due === now) return style.bold(t('agenda.dueToday', { date }));
  return `${style.bold(date)} ${style.dim(t('agenda.dueIn', { count: daysBetween(now, day.due) }))}`;
}

export async function agenda(context: Context, flags: AgendaFlags): Promise<void> {
  const { ui } = context;
  const days = parseDays(flags.days);
  if (flags.owner !== undefined) cleanOwner(flags.owner); // an empty or invisible --owner is a mistake, not a filter
  if (flags.ics !== undefined && flags.json) throw inputError(t('agenda.icsAndJson'));
  if (flags.team && flags.owner !== undefined) throw inputError(t('agenda.teamAndOwner'));
  const now = today(context.env);
  const store = context.readStore();
  const account = flags.account === undefined ? undefined : await requireAccount(store, flags.account);
  // "lan", "Nguyễn Thị Lan" or lan@…: whichever is typed finds the person's runs however they were stored
  const { directory: people, me } = await peopleOf(context, store);
  // without --owner or --team: the acting user's steps, and those nobody owns (nobody else's either)
  const mine = flags.owner === undefined && !flags.team && me !== undefined;
  const owner = flags.owner !== undefined ? ownerQueryKeys(flags.owner, people) : mine ? identityKeys(me) : undefined;
  const limit = parseLimit(flags.limit);
  // a calendar holds the whole plan, unless --days narrows it
  const until = flags.ics !== undefined && flags.days === undefined ? LAST_DAY : addOffset(now, `${days}d`);
  const query: AgendaQuery = { until, owner, accountId: account?.id, ...(mine ? { orUnowned: true } : {}) };
  if (flags.ics !== undefined) {
    await (await import('./agenda-ics.js')).exportIcs(context, store, query, flags.ics, flags.force);
    return;
  }
  const { style } = ui;
  const unreadable: AgendaRow[] = [];
  const grouped = agendaDays(merged(await store.agenda(query), await store.dueActionItems(query)), now, (entry) => unreadable.push(entry));
  const warnUnreadable = () => {
    if (unreadable.length === 0) return;
    const runs = [...new Set(unreadable.map((entry) => t('ics.unreadableRun', { account: entry.account, run: entry.runId, due: entry.due })))];
    ui.err(style.yellow(t('agenda.unreadable', { count: unreadable.length, runs: runs.join(', ') })));
  };

  if (flags.json) {
    // one step a line, as the rows stream from the store: 100,000 steps never sit in memory at once
    await writeJsonLines(
      ui,
      (function* () {
        let written = 0;
        for (const day of grouped) {
          for (const entry of day.items) {
            if (limit !== undefined && written++ >= limit) return;
            yield jsonLine(entry, day.daysOverdue);
          }
        }
      })(),
    );
    warnUnreadable();
    return;
  }

  const whose = flags.owner !== undefined ? flags.owner.trim() : mine ? me.name : undefined;
  const scope = `${whose === undefined ? '' : t('agenda.forOwner', { owner: whose })}${account ? t('agenda.forAccount', { account: account.name }) : ''}`;
  const options: TextOptions = { now, days, scope, limit, people };
  const screen = flags.all ? undefined : ui.rows;
  if (flags.team) {
    await agendaByPerson(context, grouped, options, { screen, steps, summary });
    warnUnreadable();
    return;
  }
  if (screen === undefined) await steps(context, grouped, options); // a pipe, a file, or --all: every step
  else {
    // Steps, their day headings with a blank line each, and the totals: more than fit, summed up.
    const held = [...grouped];
    const lines = held.reduce((count, day) => count + day.items.length + 2, 1);
    await (lines > screen ? summary(context, summariseAgenda(held, (entry) => entry.action !== undefined), options) : steps(context, held, options));
  }
  warnUnreadable();
}

export interface TextOptions {
  now: string;
  days: number;
  scope: string;
  limit: number | undefined;
  people: Directory;
}

/** What --limit left out, said after the lines shown. */
function moreLine(shown: number, total: number, unit: MessageKey, style: Style): string | undefined {
  return shown < total ? style.dim(t(unit, { count: total - shown, limit: shown })) : undefined;
}

function describeLine(line: AccountLine, overdue: boolean): string {
  if (overdue) return t('agenda.summary.overdueLine', { steps: t('agenda.stepCount', { count: line.steps }), days: t('count.day', { count: line.oldestDaysOverdue }) });
  return line.steps === 1 ? line.first : t('agenda.summary.firstOf', { count: line.steps, first: line.first });
}

/** The agenda longer than the terminal: a line per account (overdue, then each day), and totals. */
export async function summary(context: Context, summed: ReturnType<typeof summariseAgenda>, options: TextOptions): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const { now, limit } = options;
  const sections: { heading: string; lines: AccountLine[]; overdue: boolean }[] = [];
  if (summed.overdue.length > 0) {
    const heading = t('agenda.summary.overdue', { steps: t('agenda.stepCount', { count: summed.overdueSteps }), accounts: t('count.account', { count: summed.overdue.length }) });
    sections.push({ heading: style.bold(style.red(heading)), lines: summed.overdue, overdue: true });
  }
  for (const day of summed.days) {
    const stepsThatDay = day.accounts.reduce((count, line) => count + line.steps, 0);
    sections.push({ heading: `${dayHeading({ due: day.due, daysOverdue: 0, items: [] }, now, style)} ${style.dim(`· ${t('agenda.stepCount', { count: stepsThatDay })}`)}`, lines: day.accounts, overdue: false });
  }
  const total = sections.reduce((count, section) => count + section.lines.length, 0);
  let budget = limit ?? total;
  for (const [index, section] of sections.entries()) {
    if (budget <= 0) break;
    const shown = section.lines.slice(0, budget);
    budget -= shown.length;
    if (index > 0) ui.out();
    ui.out(section.heading);
    const rows = shown.map((line) => [line.account, section.overdue ? style.red(describeLine(line, true)) : describeLine(line, false)]);
    for (const text of await table(rows, { width: ui.columns, indent: '  ', gap: ' — ', keep: section.overdue ? [1] : [] })) ui.out(text);
  }
  const more = moreLine(Math.min(total, limit ?? total), total, 'agenda.moreAccounts', style);
  if (more) ui.out(more);
  ui.out();
  const soon = summed.steps - summed.overdueSteps;
  const parts = [summed.overdueSteps > 0 ? style.red(t('agenda.overdueCount', { count: summed.overdueSteps })) : '', soon > 0 ? t('agenda.dueCount', { count: soon, window: window(options.days) }) : ''].filter(Boolean);
  ui.out(await wrap(`${style.dim(counted(summed.steps - summed.actionItems, summed.actionItems, options.scope))}${parts.join(style.dim(', '))}${style.dim(` — ${t('agenda.summary.perAccount')}`)}`, ui.columns));
}

/** Every step, under its day (the first --limit of them). */
export async function steps(context: Context, grouped: Iterable<AgendaDay<AgendaRow>>, options: TextOptions): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const { now, days, scope, limit, people } = options;
  const titles = await titlesInUserLanguage(context.env);
  const rows: string[][] = [];
  const headings = new Map<number, string>();
  let overdue = 0;
  let total = 0;
  const labelOf = ownerLabeller(people);
  let actionItems = 0;
  for (const day of grouped) {
    total += day.items.length;
    actionItems += day.items.filter((entry) => entry.action !== undefined).length;
    if (day.daysOverdue > 0) overdue += day.items.length;
    if (limit !== undefined && rows.length >= limit) continue;
    headings.set(rows.length, dayHeading(day, now, style));
    for (const entry of day.items) {
      if (limit !== undefined && rows.length >= limit) break;
      const step = entry.action ? entry.step : titles.step(entry.playbookId, entry.stepId, entry.step);
      rows.push([entry.account, titles.playbook(entry.playbookId, entry.playbookTitle), day.daysOverdue > 0 ? style.red(step) : step, labelOf(entry.owner) ?? style.dim('—')]);
    }
  }
  if (rows.length === 0) {
    ui.out(t('agenda.nothing', { window: window(days), scope }));
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
  const more = moreLine(rows.length, total, 'agenda.moreSteps', style);
  if (more) ui.out(more);
  ui.out();
  const soon = total - overdue;
  const parts = [overdue > 0 ? style.red(t('agenda.overdueCount', { count: overdue })) : '', soon > 0 ? t('agenda.dueCount', { count: soon, window: window(days) }) : ''].filter(Boolean);
  ui.out(await wrap(style.dim(counted(total - actionItems, actionItems, scope)) + parts.join(style.dim(', ')), ui.columns));
}
