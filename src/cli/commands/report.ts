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
import { plural, thousands as count } from '../../engine/words.js';
import { checkOutput, writeOutput } from '../../files/output.js';
import { peopleOf } from '../team.js';
import { ownerQueryKeys } from '../../people/person.js';
import type { Style } from '../../ui/ui.js';
import { table } from '../../ui/table.js';
import type { Context } from '../context.js';

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

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/** A number of days as the report prints it: whole, or with one decimal (a median of two). */
export function days(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
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
    step.waiting === null ? '—' : `${count(step.waiting.count)} · ${days(step.waiting.median)} d`,
  ];
}

const HEADINGS = ['step', 'reached', 'done', 'skipped', 'days med / p90', 'on time', 'days late', 'waiting now · median'];
/** Columns whose figures read best right-aligned. */
const NUMERIC = new Set([1, 2, 3, 4, 5, 6]);

function alignNumbers(rows: string[][]): string[][] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (NUMERIC.has(column) ? cell.padStart(widths[column]!) : cell)));
}

async function printPlaybook(out: (text?: string) => void, playbook: PlaybookFigures, style: Style): Promise<void> {
  const { health } = playbook;
  out(style.bold(`${playbook.title} (${playbook.playbookId})`) + style.dim(` · ${plural(playbook.runs, 'run')}: ${count(playbook.open)} open, ${count(playbook.finished)} finished`));
  if (playbook.open > 0) {
    const parts = [`${count(health['on track'])} on track`, health.behind > 0 ? style.yellow(`${count(health.behind)} behind`) : '0 behind', health.stuck > 0 ? style.red(`${count(health.stuck)} stuck`) : '0 stuck'];
    out(`  open runs: ${parts.join(', ')}`);
  }
  if (playbook.stall) {
    out(`  most open runs wait at: ${style.bold(playbook.stall.title)} — ${plural(playbook.stall.runs, 'run')}, median ${plural(Number(days(playbook.stall.medianDays)), 'day')} so far`);
  }
  out();
  const rows = alignNumbers([HEADINGS, ...playbook.steps.map(stepRow)]);
  const lines = await table(rows);
  out(`  ${style.dim(lines[0]!)}`);
  for (const line of lines.slice(1)) out(`  ${line}`);
  const skipped = playbook.steps.filter((step) => step.skipReasons.length > 0);
  if (skipped.length > 0) {
    out();
    out(style.dim('  why steps were skipped (most given):'));
    for (const step of skipped) out(`    ${step.title}: ${step.skipReasons.map((each) => `${each.reason} (${each.count})`).join(', ')}`);
  }
}

async function printReport(context: Context, report: BookReport): Promise<void> {
  const { ui } = context;
  const { style } = ui;
  const out = (text?: string) => ui.out(text);
  const scope = [report.filters.playbook && `playbook ${report.filters.playbook}`, report.filters.owner && `owner ${report.filters.owner}`, report.filters.since && `runs started since ${report.filters.since}`].filter(Boolean);
  out(style.bold(`Journey report, ${report.today}`) + style.dim(`${scope.length ? ` · ${scope.join(' · ')}` : ''} · stuck = overdue with no commit for ${plural(report.stuckDays, 'day')}`));
  if (report.playbooks.length === 0) {
    out('No runs match.');
    return;
  }
  for (const playbook of report.playbooks) {
    out();
    await printPlaybook(out, playbook, style);
  }
  const stuck = report.runs.filter((run) => run.health === 'stuck');
  out();
  if (stuck.length === 0) {
    out(style.green('No run is stuck.'));
    return;
  }
  out(style.bold(style.red(`Stuck runs (${count(stuck.length)})`)) + style.dim(' · longest without a commit first'));
  const rows = stuck.slice(0, STUCK_LISTED).map((run) => [
    `#${run.runId}`,
    run.account,
    run.owner ?? '—',
    run.playbookId,
    run.waitingAt ? `at ${run.waitingAt.title}` : '—',
    `${plural(run.overdue, 'step')} overdue since ${run.oldestDue}`,
    `no commit for ${plural(run.daysSinceCommit, 'day')}`,
  ]);
  for (const line of await table(rows)) out(`  ${line}`);
  if (stuck.length > STUCK_LISTED) out(style.dim(`  … and ${count(stuck.length - STUCK_LISTED)} more (--json or --html lists every one)`));
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
  if (flags.owner !== undefined && flags.owner.trim() === '') throw inputError('--owner needs a name');
  if (flags.playbook !== undefined && flags.playbook.trim() === '') throw inputError('--playbook needs a playbook id');
  if (flags.json && flags.html !== undefined) throw inputError('--json and --html cannot be used together');
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
    writeOutput(flags.html, await reportHtml(figures), outOptions);
    context.ui.out(`${context.ui.style.green('✓')} Wrote ${flags.html} (${plural(figures.playbooks.length, 'playbook')}, ${plural(figures.runs.length, 'open run')}; one file, works offline)`);
    return;
  }
  await printReport(context, figures);
}
