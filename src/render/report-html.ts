/**
 * `cs report --html`: the journey report as one self-contained HTML file that works offline. The
 * charts are Vega-Lite specs rendered to SVG here, in Node (vega and vega-lite are loaded only by
 * this module); the page holds no script, no stylesheet link and no request of any kind. Every text
 * from the book (account, owner, step and playbook names, skip reasons) is escaped.
 */
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { BookReport, PlaybookFigures, StepFigures } from '../engine/report.js';
import { plural } from '../engine/words.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** "1. Kickoff": numbered, so that two steps with the same title stay two bars, in order. */
function stepLabel(step: StepFigures, index: number): string {
  return `${index + 1}. ${step.title}`;
}

/**
 * A chart's label: at most CHART_LABEL characters. Without a canvas, vega estimates a text's width
 * generously (0.8 em a character) and cuts labels longer than labelLimit; cutting them here keeps
 * the label area no wider than it needs to be. The table under the charts has every title whole.
 */
const CHART_LABEL = 44;

function chartLabel(step: StepFigures, index: number): string {
  const label = stepLabel(step, index);
  return label.length <= CHART_LABEL ? label : `${label.slice(0, CHART_LABEL - 1).trimEnd()}…`;
}

const AXIS = { labelLimit: 480, labelFontSize: 12, titleFontSize: 12 };

async function svgOf(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function barSpec(title: string, values: Record<string, unknown>[], x: Record<string, unknown>, color?: Record<string, unknown>, extra: Record<string, unknown> = {}): TopLevelSpec {
  return {
    title: { text: title, anchor: 'start', fontSize: 14 },
    width: 420,
    data: { values },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      y: { field: 'step', type: 'nominal', sort: null, title: null, axis: AXIS },
      x: { ...x, axis: { ...AXIS, ...((x.axis as object) ?? {}) } },
      ...(color ? { color } : {}),
      ...extra,
    },
    config: { view: { stroke: null }, font: 'sans-serif' },
  } as TopLevelSpec;
}

/** Reached, done and skipped per step, in the playbook's order. */
function funnelSpec(playbook: PlaybookFigures): TopLevelSpec {
  const values = playbook.steps.flatMap((step, index) => [
    { step: chartLabel(step, index), what: 'reached', runs: step.reached },
    { step: chartLabel(step, index), what: 'done', runs: step.done },
    { step: chartLabel(step, index), what: 'skipped', runs: step.skipped },
  ]);
  return barSpec(
    'Step funnel: runs that reached each step, did it, skipped it',
    values,
    { field: 'runs', type: 'quantitative', title: 'runs' },
    { field: 'what', type: 'nominal', title: null, scale: { domain: ['reached', 'done', 'skipped'], range: ['#9ecae1', '#3182bd', '#fdae6b'] } },
    { yOffset: { field: 'what', sort: ['reached', 'done', 'skipped'] } },
  );
}

function daysSpec(playbook: PlaybookFigures): TopLevelSpec {
  const values = playbook.steps.flatMap((step, index) =>
    step.days === null ? [] : [{ step: chartLabel(step, index), what: 'median', days: step.days.median }, { step: chartLabel(step, index), what: 'p90', days: step.days.p90 }],
  );
  return barSpec(
    'Days from the previous step: median and 90th percentile',
    values,
    { field: 'days', type: 'quantitative', title: 'days' },
    { field: 'what', type: 'nominal', title: null, scale: { domain: ['median', 'p90'], range: ['#31a354', '#a1d99b'] } },
    { yOffset: { field: 'what', sort: ['median', 'p90'] } },
  );
}

function onTimeSpec(playbook: PlaybookFigures): TopLevelSpec {
  const values = playbook.steps.flatMap((step, index) => (step.onTimeRate === null ? [] : [{ step: chartLabel(step, index), rate: step.onTimeRate }]));
  return barSpec('Done on time (on or before the due date)', values, {
    field: 'rate',
    type: 'quantitative',
    title: 'share of the steps done',
    scale: { domain: [0, 1] },
    axis: { format: '%' },
  }, { value: '#756bb1' });
}

function stepTable(playbook: PlaybookFigures): string {
  const cell = (value: string | number) => `<td>${escapeHtml(String(value))}</td>`;
  const rows = playbook.steps.map((step, index) => {
    const reasons = step.skipReasons.map((each) => `${each.reason} (${each.count})`).join(', ');
    return `<tr><th scope="row">${escapeHtml(stepLabel(step, index))}</th>${[
      step.reached,
      step.done,
      step.skipped,
      step.days === null ? '—' : `${step.days.median} / ${step.days.p90}`,
      step.onTimeRate === null ? '—' : `${Math.round(step.onTimeRate * 100)}%`,
      step.daysLate === null ? '—' : step.daysLate.median,
      step.waiting === null ? '—' : `${step.waiting.count} (median ${step.waiting.median} d)`,
      reasons || '—',
    ]
      .map(cell)
      .join('')}</tr>`;
  });
  return `<table><thead><tr><th>step</th><th>reached</th><th>done</th><th>skipped</th><th>days median / p90</th><th>on time</th><th>median days late</th><th>waiting now</th><th>skip reasons</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

async function playbookSection(playbook: PlaybookFigures): Promise<string> {
  const { health, stall } = playbook;
  // days and on-time rates exist only once a step was done: no empty axes before that
  const anyDone = playbook.steps.some((step) => step.done > 0);
  const specs = playbook.steps.length === 0 ? [] : anyDone ? [funnelSpec(playbook), daysSpec(playbook), onTimeSpec(playbook)] : [funnelSpec(playbook)];
  const charts = await Promise.all(specs.map(svgOf));
  return `<section class="playbook">
<h2>${escapeHtml(playbook.title)} <small>${escapeHtml(playbook.playbookId)}</small></h2>
<p>${plural(playbook.runs, 'run')}: ${playbook.open} open, ${playbook.finished} finished. Open runs: ${health['on track']} on track, ${health.behind} behind, <strong>${health.stuck} stuck</strong>.${
    stall ? ` Most open runs wait at <strong>${escapeHtml(stall.title)}</strong> (${plural(stall.runs, 'run')}, median ${plural(stall.medianDays, 'day')} so far).` : ''
  }</p>
<div class="charts">${charts.map((svg) => `<figure>${svg}</figure>`).join('\n')}</div>${
    anyDone || playbook.steps.length === 0 ? '' : '\n<p class="note">No step has been done yet: no days per step or on-time rate to chart.</p>'
  }
${stepTable(playbook)}
</section>`;
}

function stuckSection(report: BookReport): string {
  const stuck = report.runs.filter((run) => run.health === 'stuck');
  if (stuck.length === 0) return '<section><h2>Stuck runs</h2><p>No run is stuck.</p></section>';
  const rows = stuck.map(
    (run) =>
      `<tr>${[`#${run.runId}`, run.account, run.owner ?? '—', run.playbookId, run.waitingAt?.title ?? '—', `${run.overdue} since ${run.oldestDue}`, plural(run.daysSinceCommit, 'day')]
        .map((value) => `<td>${escapeHtml(value)}</td>`)
        .join('')}</tr>`,
  );
  return `<section><h2>Stuck runs (${stuck.length})</h2><p>Overdue, with nothing committed for ${report.stuckDays} days or more; longest without a commit first.</p>
<table><thead><tr><th>run</th><th>account</th><th>owner</th><th>playbook</th><th>waiting at</th><th>overdue steps</th><th>no commit for</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:80rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h2 small{color:#777;font-weight:normal}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}
table{border-collapse:collapse;margin-top:1rem;font-size:.9rem}th,td{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}
td{font-variant-numeric:tabular-nums}`;

export async function reportHtml(report: BookReport): Promise<string> {
  const filters = [report.filters.playbook && `playbook ${report.filters.playbook}`, report.filters.owner && `owner ${report.filters.owner}`, report.filters.since && `runs started since ${report.filters.since}`].filter(Boolean) as string[];
  const sections: string[] = [];
  for (const playbook of report.playbooks) sections.push(await playbookSection(playbook));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Journey report, ${escapeHtml(report.today)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Journey report, ${escapeHtml(report.today)}</h1>
<p>${escapeHtml(filters.length ? `${filters.join(' · ')}. ` : '')}A run is stuck when a step is overdue and nothing has been committed for ${report.stuckDays} days. Figures are defined in cs's README, "How the report counts".</p>
${sections.length ? sections.join('\n') : '<p>No runs match.</p>'}
${stuckSection(report)}
</body>
</html>
`;
}
