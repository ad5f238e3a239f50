/**
 * `cs report [--playbook ID] [--owner WHO] [--since DATE] [--stuck-days N] [--json] [--html FILE]`:
 * the journey report. The figures are defined in src/engine/report.ts and README ("How the report
 * counts") and computed by the store; this module only prints them (the HTML page is made by
 * src/render/report-html.ts, loaded only for --html).
 */
import { inputError } from '../../errors.js';
import { parseDate, today } from '../../engine/dates.js';
import { stuckDaysSetting } from '../../engine/report.js';
import type { BookReport, PlaybookFigures, Spread, StepFigures } from '../../engine/report.js';
import { t, uiLang } from '../../i18n/messages.js';
import type { MessageKey } from '../../i18n/messages.js';
import { formatDate, formatNumber, formatPercent, formatTenths } from '../../i18n/formats.js';
import { checkOutput, writeOutput } from '../../files/output.js';
import { peopleOf } from '../team.js';
import { ownerQueryKeys } from '../../people/person.js';
import type { Style } from '../../ui/ui.js';
import { table } from '../../ui/table.js';
import type { Context } from '../context.js';
import { titlesInUserLanguage } from '../titles.js';

export interface ReportFlags {
  playbook?: string;
  owner?: string;
  since?: string;
  stuckDays?: string;
  json?: boolean;
  html?: string;
  force?: boolean;
}

/** How many stuck runs the text lists (--json and --html list every one). */
const STUCK_LISTED = 20;

/** A count as the interface's language groups digits: vi 14.905. */
function count(value: number): string {
  return formatNumber(value, uiLang());
}

function percent(rate: number | null): string {
  return rate === null ? '—' : formatPercent(rate, uiLang());
}

/** A number of days as the report prints it: whole, or with one decimal (a median of two): vi 2,5. */
function days(value: number): string {
  return formatTenths(value, uiLang());
}

/** A number of days for a counted message ({count} day/days): the plural chosen, the decimal the language's. */
function dayCount(value: number): number | string {
  return Number.isInteger(value) ? value : days(value);
}

function spread(value: Spread | null): string {
  return value === null ? '—' : `${days(value.median)} / ${days(value.p90)}`;
}

function stepRow(step: StepFigures): string[] {
  return [
    step.title,
    count(step.reached),
    count(step.done),
    count(step.skipped),
    spread(step.days),
    percent(step.onTimeRate),
    step.daysLate === null ? '—' : days(step.daysLate.median),
    step.waiting === null ? '—' : t('report.waiting', { count: step.waiting.count, days: days(step.waiting.median) }),
  ];
}

const HEADINGS: MessageKey[] = ['report.col.step', 'report.col.reached', 'report.col.done', 'report.col.skipped', 'report.col.days', 'report.col.onTime', 'report.col.daysLate', 'report.col.waiting'];
/** Columns whose figures read best right-aligned. */
const NUMERIC = new Set([1, 2, 3, 4, 5, 6]);

function alignNumbers(rows: string[][]): string[][] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (NUMERIC.has(column) ? cell.padStart(widths[column]!) : cell)));
}

async function printPlaybook(out: (text?: string) => void, playbook: PlaybookFigures, style: Style): Promise<void> {
  const { health } = playbook;
  out(style.bold(`${playbook.title} (${playbook.playbookId})`) + style.dim(` · ${t('report.runs', { count: playbook.runs, open: count(playbook.open), finished: count(playbook.finished) })}`));
  if (playbook.open > 0) {
    const behind = t('report.behind', { count: health.behind });
    const stuck = t('report.stuck', { count: health.stuck });
    const parts = [t('report.onTrack', { count: health['on track'] }), health.behind > 0 ? style.yellow(behind) : behind, health.stuck > 0 ? style.red(stuck) : stuck];
    out(`  ${t('report.openRuns', { parts: parts.join(', ') })}`);
  }
  if (playbook.stall) {
    out(`  ${t('report.stall', { step: style.bold(playbook.stall.title), runs: t('count.run', { count: playbook.stall.runs }), days: t('count.day', { count: dayCount(playbook.stall.medianDays) }) })}`);
  }
  out();
  const rows = alignNumbers([HEADINGS.map((key) => t(key)), ...playbook.steps.map(stepRow)]);
  const lines = await table(rows);
  out(`  ${style.dim(lines[0]!)}`);
  for (const line of lines.slice(1)) out(`  ${line}`);
  const skipped = playbook.steps.filter((step) => step.skipReasons.length > 0);
  if (skipped.length > 0) {
    out();
    out(style.dim(`  ${t('report.whySkipped')}`));
    for (const step of skipped) out(`    ${step.title}: ${step.skipReasons.map((each) => `${each.reason} (${count(each.count)})`).join(', ')}`);
  }
}

async function printReport(context: Context, report: BookReport): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const out = (text?: string) => ui.out(text);
  const { filters } = report;
  const scope = [filters.playbook && t('report.scope.playbook', { id: filters.playbook }), filters.owner && t('report.scope.owner', { owner: filters.owner }), filters.since && t('report.scope.since', { date: formatDate(filters.since, uiLang()) })].filter(Boolean);
  out(style.bold(t('report.title', { date: formatDate(report.today, uiLang()) })) + style.dim(`${scope.length ? ` · ${scope.join(' · ')}` : ''} · ${t('report.stuckMeans', { count: report.stuckDays })}`));
  if (report.playbooks.length === 0) {
    out(t('report.noRuns'));
    return;
  }
  for (const playbook of report.playbooks) {
    out();
    await printPlaybook(out, playbook, style);
  }
  const stuck = report.runs.filter((run) => run.health === 'stuck');
  out();
  if (stuck.length === 0) {
    out(style.green(t('report.noneStuck')));
    return;
  }
  out(style.bold(style.red(t('report.stuckRuns', { count: stuck.length }))) + style.dim(` · ${t('report.longestFirst')}`));
  const rows = stuck.slice(0, STUCK_LISTED).map((run) => [
    `#${run.runId}`,
    run.account,
    run.owner ?? '—',
    run.playbookId,
    run.waitingAt ? t('report.at', { step: run.waitingAt.title }) : '—',
    t('report.overdueSince', { count: run.overdue, date: run.oldestDue === null ? '—' : formatDate(run.oldestDue, uiLang()) }),
    t('report.noCommitFor', { count: run.daysSinceCommit }),
  ]);
  for (const line of await table(rows)) out(`  ${line}`);
  if (stuck.length > STUCK_LISTED) out(style.dim(`  ${t('report.andMore', { count: stuck.length - STUCK_LISTED })}`));
}

/**
 * The report with its playbook and step titles in the interface's language (the runs stored them
 * in English), for the text and the page; --json keeps them as stored. Each playbook is translated
 * once (titles.ts).
 */
async function inUserLanguage(context: Context, report: BookReport): Promise<BookReport> {
  if (uiLang() === 'en') return report;
  const titles = await titlesInUserLanguage(context.env, report.playbooks.map((playbook) => playbook.playbookId));
  const step = (playbookId: string, place: { stepId: string; title: string }) => titles.step(playbookId, place.stepId, place.title);
  return {
    ...report,
    playbooks: report.playbooks.map((playbook) => ({
      ...playbook,
      title: titles.playbook(playbook.playbookId, playbook.title),
      steps: playbook.steps.map((each) => ({ ...each, title: step(playbook.playbookId, each) })),
      stall: playbook.stall && { ...playbook.stall, title: step(playbook.playbookId, playbook.stall) },
    })),
    runs: report.runs.map((run) => (run.waitingAt ? { ...run, waitingAt: { ...run.waitingAt, title: step(run.playbookId, run.waitingAt) } } : run)),
  };
}

/** Lines of the runs written at a time: 100,000 open runs never sit in memory as one string. */
const JSON_CHUNK = 2_000;

/** The report as JSON: indented, but one open run a line (a large book has 100,000 of them). */
function printJson(context: Context, figures: BookReport): void {
  const { runs, ...head } = figures;
  const text = JSON.stringify({ ...head, runs: [] }, null, 2);
  context.ui.out(text.slice(0, text.lastIndexOf('"runs": []')) + (runs.length === 0 ? '"runs": []\n}' : '"runs": ['));
  for (let start = 0; start < runs.length; start += JSON_CHUNK) {
    const last = start + JSON_CHUNK >= runs.length;
    const lines = runs.slice(start, start + JSON_CHUNK).map((run) => `    ${JSON.stringify(run)}`);
    context.ui.out(lines.join(',\n') + (last ? '\n  ]\n}' : ','));
  }
}

export async function report(context: Context, flags: ReportFlags): Promise<void> {
  const stuckDays = stuckDaysSetting(flags.stuckDays, context.env);
  if (flags.owner !== undefined && flags.owner.trim() === '') throw inputError(t('report.ownerEmpty'));
  if (flags.playbook !== undefined && flags.playbook.trim() === '') throw inputError(t('report.playbookEmpty'));
  if (flags.json && flags.html !== undefined) throw inputError(t('report.jsonAndHtml'));
  const now = today(context.env);
  const since = flags.since === undefined ? undefined : parseDate(flags.since, '--since', now);
  const store = context.readStore();
  const outOptions = { force: flags.force, protect: [store.path] };
  if (flags.html !== undefined) checkOutput(flags.html, outOptions);
  // "lan", "Nguyễn Thị Lan" or lan@…: whichever is typed finds the person's runs however they were stored
  const owner = flags.owner?.trim();
  const ownerKeys = owner === undefined ? undefined : ownerQueryKeys(owner, (await peopleOf(context, store)).directory);
  const figures = await store.report({ today: now, stuckDays, playbookId: flags.playbook?.trim(), owner, ownerKeys, since });
  if (flags.json) {
    printJson(context, figures);
    return;
  }
  if (flags.html !== undefined) {
    const { reportHtml } = await import('../../render/report-html.js');
    writeOutput(flags.html, await reportHtml(await inUserLanguage(context, figures), uiLang()), outOptions);
    const playbooks = t('count.playbook', { count: figures.playbooks.length });
    context.ui.out(`${context.ui.style.green('✓')} ${t('report.wroteHtml', { file: flags.html, playbooks, count: figures.runs.length })}`);
    return;
  }
  await printReport(context, await inUserLanguage(context, figures));
}
